-- One system's Vegas sharpness rows (every tier) from start to end. Params: system_id STRING, start, end.
SELECT
  game_date,
  tier,
  n_graded,
  n_bets,
  vegas_mae,
  model_mae,
  model_beats_vegas_pct,
  edge_3_plus_share,
  edge_5_plus_share,
  win_rate,
  win_rate_n,
  sharpness_score,
  sharpness_status,
  vegas_mae_7d,
  market_regime
FROM nba_predictions.vegas_sharpness_daily
WHERE system_id = @system_id AND game_date BETWEEN @start AND @end
ORDER BY game_date, tier
