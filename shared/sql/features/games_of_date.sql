-- Games of one US Eastern game date that are expected to be played (postponed games are left out), each
-- with the newest stored build of the date and feature version (NULLs when there is none: a build older
-- than it must not replace it, state only moves forward) and the players that build holds (the rows a new
-- build no longer produces are removed with it). One read for both, so a build costs one job less.
-- Params: game_date DATE, feature_version STRING.
WITH stored AS (
  SELECT
    MAX(as_of) AS stored_as_of,
    MAX(built_at) AS stored_built_at,
    ARRAY_AGG(player_id ORDER BY player_id) AS stored_player_ids
  FROM nba_predictions.ml_feature_store
  WHERE game_date = @game_date
    AND feature_version = @feature_version
)
SELECT game.game_id, game.tipoff_utc, game.home_team, game.away_team, stored.stored_as_of,
  stored.stored_built_at, stored.stored_player_ids
FROM nba_raw.schedule AS game
CROSS JOIN stored
WHERE game.game_date = @game_date
  AND game.status != 'postponed'
ORDER BY game.tipoff_utc, game.game_id
