-- Remove the rows of a date and feature version that the latest build no longer produces.
-- Params: @game_date DATE, @feature_version STRING, @player_ids ARRAY<STRING> (the players just written).
DELETE FROM nba_predictions.ml_feature_store
WHERE game_date = @game_date
  AND feature_version = @feature_version
  AND player_id NOT IN UNNEST(@player_ids)
