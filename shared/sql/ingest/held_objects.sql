-- Raw objects holding rows refused only because their game was not yet in the schedule, whose game the
-- schedule file just ingested now knows (@game_dates): re-driving the object loads those rows (its rejects are
-- replaced as a set). Such rows were refused when their file landed, at most HELD_DAYS (services/ingest.py) before those dates.
SELECT DISTINCT r.source_object
FROM nba_raw.rejects AS r
JOIN nba_raw.schedule AS s
  ON s.game_id = r.raw_value AND s.game_date IN UNNEST(@game_dates)
WHERE r.reason = 'unknown_game' AND r.column_name = 'game_id'
  AND r.rejected_at >= @held_since
ORDER BY r.source_object
