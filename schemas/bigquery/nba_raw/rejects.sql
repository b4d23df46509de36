-- One row per refused row (or per unreadable file, row_number 0); natural key: (source_object, row_number, column_name).
CREATE TABLE IF NOT EXISTS nba_raw.rejects (
  source_object STRING NOT NULL,
  file_kind STRING,                 -- schedule | boxscores | injuries | prop_lines | unknown
  row_number INT64 NOT NULL,        -- 1 = first data row; 0 = the file as a whole
  column_name STRING NOT NULL,      -- '' when the reason concerns the whole row or file
  reason STRING NOT NULL,
  raw_value STRING,
  raw_row STRING,                   -- the row as JSON, so nothing refused is lost
  rejected_at TIMESTAMP NOT NULL,
  run_id STRING
)
PARTITION BY DATE(rejected_at)
CLUSTER BY source_object
OPTIONS (description = "Rows and files refused by ingest, with the reason");
