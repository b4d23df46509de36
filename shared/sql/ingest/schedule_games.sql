-- The schedule of the games a box-score or line file mentions (existence, date, tip-off, teams).
-- partitions: all, because looked up by game id (the cluster key); a mismatched date must still be found.
SELECT game_id, game_date, tipoff_utc, home_team, away_team, status
FROM nba_raw.schedule
WHERE game_id IN UNNEST(@game_ids)
