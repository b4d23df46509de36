-- The rejects already recorded for one raw object (a redelivery must not duplicate or change them).
-- partitions: all, because an object's earlier rejects may be in any day's partition; clustered by source_object.
SELECT source_object, file_kind, row_number, column_name, reason, raw_value, raw_row
FROM nba_raw.rejects
WHERE source_object = @source_object
