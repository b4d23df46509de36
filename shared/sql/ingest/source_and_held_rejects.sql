-- For a schedule file, in one read: the rejects already recorded for it (part 'own': a redelivery must not
-- duplicate or change them), and the raw objects holding rows refused only because their game was not yet in
-- the schedule, whose game the schedule now knows on game_dates (the dates the file loaded; part 'held'):
-- re-driving such an object loads those rows (its rejects are replaced as a set). Such rows were refused when
-- their file landed, at most HELD_DAYS (services/ingest.py) before those dates (held_since).
-- Its own rejects are looked for from since on, as ingest/source_rejects.sql finds them.
SELECT 'own' AS part, source_object, file_kind, row_number, column_name, reason, raw_value, raw_row
FROM nba_raw.rejects
WHERE rejected_at >= @since AND source_object = @source_object
UNION ALL
SELECT DISTINCT 'held' AS part, r.source_object, NULL, NULL, NULL, NULL, NULL, NULL
FROM nba_raw.rejects AS r
JOIN nba_raw.schedule AS s
  ON s.game_id = r.raw_value AND s.game_date IN UNNEST(@game_dates)
WHERE r.reason = 'unknown_game' AND r.column_name = 'game_id'
  AND r.rejected_at >= @held_since
