-- A re-landed object replaces all of its earlier rejects (they described the previous content).
-- partitions: all, because an object's earlier rejects may be in any day's partition; clustered by source_object.
DELETE FROM nba_raw.rejects
WHERE source_object = @source_object
