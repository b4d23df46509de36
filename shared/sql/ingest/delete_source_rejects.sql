-- A re-landed object replaces all of its earlier rejects (they described the previous content).
DELETE FROM nba_raw.rejects
WHERE source_object = @source_object
