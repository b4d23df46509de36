-- The stored feature rows of one date and feature version (what prediction and backtests read).
-- Params: game_date DATE, feature_version STRING.
SELECT *
FROM nba_predictions.ml_feature_store
WHERE game_date = @game_date
  AND feature_version = @feature_version
ORDER BY game_id, player_id
