-- The rejects already recorded for one raw object (a redelivery must not duplicate or change them).
SELECT source_object, file_kind, row_number, column_name, reason, raw_value, raw_row
FROM nba_raw.rejects
WHERE source_object = @source_object
