-- Remove grades of (player, system) pairs that are no longer gradable on the game date (their current
-- prediction lost its line). Param stale_keys holds 'player_id|system_id' strings.
DELETE FROM nba_predictions.prediction_accuracy
WHERE game_date = @game_date
  AND CONCAT(player_id, '|', system_id) IN UNNEST(@stale_keys)
