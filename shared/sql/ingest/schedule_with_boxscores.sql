-- The schedule of the games a box-score file mentions (existence, date, tip-off, teams), each with the rows
-- already stored for it on its scheduled date (stored_*; NULL when none), to write only new or changed
-- rows: a file's row on another date than its game's is refused (game_date_mismatch), so none is missed.
-- One read for both, so an ingest costs one job less. game_dates: the dates the file's rows name.
-- Games are looked up in the seasons of those dates (season_from .. season_to), as ingest/schedule_games.sql
-- (a game is only ever rescheduled within its season); ids not found here are looked up in every season by
-- ingest/schedule_games_any_season.sql (their games are on none of game_dates: no stored row is owed).
-- rejects_of_object: how many rejects the file (source_object) already has from since on (as
-- ingest/source_rejects.sql finds them); none (a new file): no need to read them.
WITH games AS (
  SELECT game_id, game_date, tipoff_utc, home_team, away_team, status
  FROM nba_raw.schedule
  WHERE game_date BETWEEN @season_from AND @season_to AND game_id IN UNNEST(@game_ids)
)
SELECT
  (
    SELECT COUNT(*) FROM nba_raw.rejects WHERE rejected_at >= @since AND source_object = @source_object
  ) AS rejects_of_object,
  games.game_id, games.game_date, games.tipoff_utc, games.home_team, games.away_team, games.status,
  stored.game_id AS stored_game_id, stored.game_date AS stored_game_date, stored.player_id AS stored_player_id,
  stored.player_name AS stored_player_name, stored.team AS stored_team, stored.opponent AS stored_opponent,
  stored.is_home AS stored_is_home, stored.minutes AS stored_minutes, stored.points AS stored_points,
  stored.status AS stored_status, stored.fga AS stored_fga, stored.fta AS stored_fta,
  stored.fg3a AS stored_fg3a, stored.rebounds AS stored_rebounds, stored.assists AS stored_assists,
  stored.starter AS stored_starter
FROM games
LEFT JOIN nba_raw.boxscores AS stored
  ON stored.game_id = games.game_id AND stored.game_date = games.game_date
  AND stored.game_date IN UNNEST(@game_dates)
