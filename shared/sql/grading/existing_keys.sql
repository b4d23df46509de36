-- Keys already graded for @game_date, to drop rows whose prediction no longer has a real line.
SELECT player_id, system_id
FROM nba_predictions.prediction_accuracy
WHERE game_date = @game_date
