-- Grades (graded, voided and pending) from start to end, every system. Params: start, end DATE.
SELECT
  game_date,
  player_id,
  player_name,
  system_id,
  is_champion,
  grade_status,
  pending_reason,
  void_reason,
  recommendation,
  predicted_points,
  actual_points,
  line_value,
  closing_line,
  over_price,
  under_price,
  p_over,
  edge,
  signed_error,
  is_correct,
  is_push
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @start AND @end AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
ORDER BY game_date, system_id, player_id
