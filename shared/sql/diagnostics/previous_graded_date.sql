-- The latest date before @game_date with graded predictions of @system_id (for change-versus-previous alerts).
SELECT MAX(game_date) AS previous_date
FROM nba_predictions.prediction_accuracy
WHERE game_date < @game_date AND system_id = @system_id AND grade_status = 'graded'
