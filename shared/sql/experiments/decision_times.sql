-- Per game date of a span: when its feature rows were built (the decision time a walk-forward prediction is
-- stamped with, as production's features-ready was) and when its box scores landed (grades are stamped with
-- it, as production's boxscores-loaded was). Params: date_from DATE, date_to DATE, feature_version STRING.
WITH built AS (
  SELECT game_date, MAX(built_at) AS built_at
  FROM nba_predictions.ml_feature_store
  WHERE game_date BETWEEN @date_from AND @date_to
    AND feature_version = @feature_version
  GROUP BY game_date
),
landed AS (
  SELECT game_date, MAX(loaded_at) AS loaded_at
  FROM nba_raw.boxscores
  WHERE game_date BETWEEN @date_from AND @date_to
  GROUP BY game_date
)
SELECT built.game_date, built.built_at, landed.loaded_at
FROM built
LEFT JOIN landed
  ON landed.game_date = built.game_date
ORDER BY built.game_date
