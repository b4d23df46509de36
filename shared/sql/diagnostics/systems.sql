-- Systems to diagnose on game_date: every system with a grade (any status) in the window ending on it.
SELECT DISTINCT system_id
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
  AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
ORDER BY system_id
