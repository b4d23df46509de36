-- How many feature-store rows of feature_version exist from date_from to date_to (inclusive): zero means
-- there is nothing to retrain on (the off-season), not a failure.
SELECT COUNT(*) AS n
FROM nba_predictions.ml_feature_store
WHERE game_date BETWEEN @date_from AND @date_to
  AND feature_version = @feature_version
