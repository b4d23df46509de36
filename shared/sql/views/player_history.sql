-- Every prediction version of player_id from since to until, with the grade of the version that was graded.
-- Params: player_id STRING, since, until DATE.
SELECT
  p.game_date,
  p.system_id,
  p.is_champion,
  p.prediction_id,
  p.supersedes_prediction_id,
  p.created_at,
  p.opponent,
  p.line_value,
  p.line_bookmaker,
  p.predicted_points,
  p.edge,
  p.p_over,
  p.recommendation,
  accuracy.grade_status,
  accuracy.actual_points,
  accuracy.is_correct,
  accuracy.is_push
FROM nba_predictions.player_prop_predictions AS p
LEFT JOIN nba_predictions.prediction_accuracy AS accuracy
  ON accuracy.prediction_id = p.prediction_id
 AND accuracy.game_date BETWEEN @since AND @until
WHERE p.player_id = @player_id AND p.game_date BETWEEN @since AND @until
  AND NOT REGEXP_CONTAINS(p.system_id, @backtest_system_pattern)
ORDER BY p.game_date DESC, p.system_id, p.created_at DESC
