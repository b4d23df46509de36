-- Raw objects holding rows refused only because their game was not yet in the schedule, whose game is now
-- known: re-driving the object loads those rows (its rejects are replaced as a set).
SELECT DISTINCT r.source_object
FROM nba_raw.rejects AS r
JOIN nba_raw.schedule AS s ON s.game_id = r.raw_value
WHERE r.reason = 'unknown_game' AND r.column_name = 'game_id'
ORDER BY r.source_object
