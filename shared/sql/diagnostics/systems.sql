-- Systems to diagnose on @game_date: every system with a grade (any status) in the window ending on it.
SELECT DISTINCT system_id
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
ORDER BY system_id
