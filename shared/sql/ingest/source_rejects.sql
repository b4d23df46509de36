-- The rejects already recorded for one raw object (a redelivery must not duplicate or change them), written
-- from since on: an object's rejects are written when it lands, and a file lands at most a season before
-- the games it holds (ingest refuses later dates as implausible), so since is the start of the season
-- before its earliest game date (or the first plausible date when no row has a readable date).
SELECT source_object, file_kind, row_number, column_name, reason, raw_value, raw_row
FROM nba_raw.rejects
WHERE rejected_at >= @since AND source_object = @source_object
