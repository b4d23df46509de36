-- Feature-store rows (the very rows production reads) joined to what happened: the actual points of players
-- who played (minutes > 0). Params: date_from DATE, date_to DATE, feature_version STRING.
SELECT
  features.*,
  CAST(box.points AS FLOAT64) AS actual_points,
  box.minutes AS actual_minutes
FROM nba_predictions.ml_feature_store AS features
JOIN nba_raw.boxscores AS box
  ON box.game_id = features.game_id
  AND box.player_id = features.player_id
WHERE features.game_date BETWEEN @date_from AND @date_to
  AND box.game_date BETWEEN @date_from AND @date_to
  AND features.feature_version = @feature_version
  AND box.status = 'played'
  AND box.minutes > 0
ORDER BY features.game_date, features.game_id, features.player_id
