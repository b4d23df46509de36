-- Every system's current prediction for game_date with its game's tip-off and the injury status the
-- feature store saw at decision time. Params: game_date DATE.
SELECT
  p.game_date,
  p.game_id,
  p.player_id,
  p.player_name,
  p.team,
  p.opponent,
  p.system_id,
  p.model_id,
  p.is_champion,
  p.line_source,
  p.line_value,
  p.line_bookmaker,
  p.predicted_points,
  p.edge,
  p.p_over,
  p.recommendation,
  p.min_edge,
  p.created_at,
  game.tipoff_utc,
  features.injury_status
FROM nba_predictions.player_prop_predictions_current AS p
LEFT JOIN nba_raw.schedule AS game
  ON game.game_id = p.game_id AND game.game_date = @game_date
LEFT JOIN nba_predictions.ml_feature_store AS features
  ON features.game_date = @game_date
 AND features.player_id = p.player_id
 AND features.feature_version = p.feature_version
WHERE p.game_date = @game_date AND NOT REGEXP_CONTAINS(p.system_id, @backtest_system_pattern)
ORDER BY game.tipoff_utc, p.player_name, p.is_champion DESC, p.system_id
