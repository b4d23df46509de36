-- Systems to diagnose on game_date: every system with a grade (any status) in the window ending on it.
-- (GROUP BY rather than DISTINCT: it orders by a grouped column on every engine, combined or not.)
SELECT system_id
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
  AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
GROUP BY system_id
ORDER BY system_id
