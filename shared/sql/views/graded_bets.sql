-- One system's graded rows from start to end, only what the performance charts read.
-- Params: system_id STRING, start, end DATE.
SELECT
  game_date,
  recommendation,
  is_correct,
  is_push,
  over_price,
  under_price,
  p_over,
  actual_points,
  line_value,
  closing_line
FROM nba_predictions.prediction_accuracy
WHERE system_id = @system_id AND game_date BETWEEN @start AND @end AND grade_status = 'graded'
ORDER BY game_date
