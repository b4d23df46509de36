-- The schedule of games a file mentions that are not in the seasons of its game dates (a row dated in
-- the wrong season, a game the schedule does not know yet, a schedule file announcing new games).
-- partitions: all, because such a game id may be stored in any season; only ids missing from their rows' seasons are looked up, by the cluster key.
SELECT game_id, game_date, tipoff_utc, home_team, away_team, status
FROM nba_raw.schedule
WHERE game_id IN UNNEST(@game_ids)
