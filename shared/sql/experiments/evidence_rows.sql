-- Every current prediction of one system in a span with its production grade, what happened and the naive
-- baselines of its feature row. Params: system_id STRING, date_from DATE, date_to DATE,
-- feature_version STRING.
SELECT
  p.game_date,
  p.player_id,
  p.game_id,
  p.system_id,
  p.model_id,
  p.prediction_id,
  p.predicted_points,
  p.line_source,
  p.line_value,
  p.recommendation,
  p.p_over,
  p.edge,
  p.over_price,
  p.under_price,
  accuracy.grade_status,
  accuracy.is_correct,
  accuracy.is_push,
  accuracy.closing_line,
  IF(box.status = 'played' AND box.minutes > 0, CAST(box.points AS FLOAT64), NULL) AS actual_points,
  features.pts_avg_last10,
  features.pts_avg_season,
  features.games_played_season
FROM nba_predictions.player_prop_predictions_current AS p
LEFT JOIN nba_predictions.prediction_accuracy AS accuracy
  ON accuracy.game_date = p.game_date
  AND accuracy.player_id = p.player_id
  AND accuracy.system_id = p.system_id
  AND accuracy.game_date BETWEEN @date_from AND @date_to
LEFT JOIN nba_raw.boxscores AS box
  ON box.game_id = p.game_id
  AND box.player_id = p.player_id
  AND box.game_date BETWEEN @date_from AND @date_to
LEFT JOIN nba_predictions.ml_feature_store AS features
  ON features.game_date = p.game_date
  AND features.player_id = p.player_id
  AND features.feature_version = @feature_version
  AND features.game_date BETWEEN @date_from AND @date_to
WHERE p.game_date BETWEEN @date_from AND @date_to
  AND p.system_id = @system_id
ORDER BY p.game_date, p.player_id
