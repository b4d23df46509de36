-- The newest stored build of a date and feature version (NULLs when there is none): a build older than
-- this one must not replace it (state only moves forward).
-- Params: @game_date DATE, @feature_version STRING.
SELECT MAX(as_of) AS as_of, MAX(built_at) AS built_at
FROM nba_predictions.ml_feature_store
WHERE game_date = @game_date
  AND feature_version = @feature_version
