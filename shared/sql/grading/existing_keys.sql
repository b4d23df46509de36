-- The grades already stored for the game date: their keys (to drop rows whose prediction no longer has a real
-- line) and what keeps grades moving forward only (the prediction, its status and when it was graded).
SELECT player_id, system_id, prediction_id, grade_status, graded_at, run_id
FROM nba_predictions.prediction_accuracy
WHERE game_date = @game_date
