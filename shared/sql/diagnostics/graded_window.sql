-- Graded predictions of every system from window_start to game_date (inclusive): the inputs of hit rates,
-- ROI, error, calibration and closing-line metrics. Voided and pending rows are excluded here.
SELECT
  game_date,
  system_id,
  player_id,
  predicted_points,
  actual_points,
  line_value,
  closing_line,
  recommendation,
  is_correct,
  is_push,
  over_price,
  under_price,
  p_over
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
  AND grade_status = 'graded'
  AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
ORDER BY game_date, system_id, player_id
