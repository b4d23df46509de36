-- Games a schedule file moves to another date: their stored rows leave their old dates' partitions
-- (old_dates) before the games are written, by game id and date, at their new dates. One row per game id.
DELETE FROM nba_raw.schedule
WHERE game_date IN UNNEST(@old_dates) AND game_id IN UNNEST(@game_ids)
