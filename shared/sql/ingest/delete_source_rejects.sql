-- A re-landed object replaces all of its earlier rejects (they described the previous content), found
-- from since on as ingest/source_rejects.sql finds them.
DELETE FROM nba_raw.rejects
WHERE rejected_at >= @since AND source_object = @source_object
