-- Dates with at least one game that was not postponed: the unit of "game days" in the evaluation.
-- partitions: all, because the scenario evaluation reads a whole replayed season, offline, once.
SELECT DISTINCT game_date
FROM nba_raw.schedule
WHERE status != 'postponed'
ORDER BY game_date
