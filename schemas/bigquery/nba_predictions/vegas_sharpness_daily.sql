-- One row per (game_date, tier, system_id); tier is Star | Starter | Rotation | Bench | All. Replaced by key.
-- Shares are on 0-1; model_beats_vegas_pct and sharpness_score are percents (0-100). Thresholds: docs/thresholds.md.
CREATE TABLE IF NOT EXISTS nba_predictions.vegas_sharpness_daily (
  game_date DATE NOT NULL,
  tier STRING NOT NULL,
  system_id STRING NOT NULL,
  n_graded INT64 NOT NULL,          -- graded predictions with a line
  n_bets INT64 NOT NULL,            -- OVER / UNDER among them
  n_pushes INT64 NOT NULL,
  vegas_mae FLOAT64,                -- |line - actual|
  vegas_std FLOAT64,                -- sample std of (line - actual)
  vegas_within_3 FLOAT64,
  vegas_within_5 FLOAT64,
  model_mae FLOAT64,
  model_std FLOAT64,
  model_within_3 FLOAT64,
  model_within_5 FLOAT64,
  model_beats_vegas_pct FLOAT64,    -- 0-100
  edge_3_plus_share FLOAT64,        -- share with |edge| >= 3 points
  edge_5_plus_share FLOAT64,        -- share with |edge| >= 5 points
  avg_abs_edge FLOAT64,
  win_rate FLOAT64,
  win_rate_n INT64 NOT NULL,        -- decided OVER / UNDER bets (pushes excluded)
  high_edge_win_rate FLOAT64,
  high_edge_win_rate_n INT64 NOT NULL,
  sharpness_score FLOAT64,          -- 0-100 (= model_beats_vegas_pct); low = Vegas sharp
  sharpness_status STRING,          -- VERY_SHARP | SHARP | NORMAL | SOFT
  vegas_mae_7d FLOAT64,             -- Vegas MAE over the 7 days ending on game_date (tier of each row's own date)
  vegas_mae_7d_n INT64 NOT NULL,
  market_regime STRING,             -- TIGHT | NORMAL | LOOSE
  computed_at TIMESTAMP NOT NULL,
  run_id STRING
)
PARTITION BY game_date
CLUSTER BY system_id, tier
OPTIONS (description = "How sharp the sportsbook lines were versus each system, per day and player tier");
