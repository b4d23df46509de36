-- The schedule of games a file mentions (existence, date, tip-off, teams, status), in the seasons of the
-- file's game dates (season_from .. season_to): a game is only ever rescheduled within its season, so
-- every game of those dates is found in those seasons' partitions. Ids not found here are looked up in
-- every season by ingest/schedule_games_any_season.sql.
SELECT game_id, game_date, tipoff_utc, home_team, away_team, status
FROM nba_raw.schedule
WHERE game_date BETWEEN @season_from AND @season_to AND game_id IN UNNEST(@game_ids)
