-- The current prediction version of every (player, system) of a game date.
SELECT player_id, system_id, prediction_id, model_id, features_hash, created_at
FROM nba_predictions.player_prop_predictions_current
WHERE game_date = @game_date
