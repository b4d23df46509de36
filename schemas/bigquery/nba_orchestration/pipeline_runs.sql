-- One row per (function_name, event_id): every invocation is recorded; a redelivery updates its row.
-- event_id and topic come from the message and are bounded to 256 characters (shared/run_log.py, bounded):
-- a longer value keeps its first 223 characters, then "~" and 32 hex digits of its SHA-256.
CREATE TABLE IF NOT EXISTS nba_orchestration.pipeline_runs (
  function_name STRING NOT NULL,
  event_id STRING NOT NULL,
  run_id STRING,
  topic STRING,
  game_date DATE,
  status STRING NOT NULL,           -- success | skipped | rejected | failed
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  duration_ms INT64,
  rows_read INT64,
  rows_written INT64,
  delivery_attempt INT64 NOT NULL,
  published_topics STRING,
  detail STRING,
  error STRING
)
PARTITION BY DATE(started_at)
CLUSTER BY function_name, game_date
OPTIONS (description = "Every function invocation, with its outcome and row counts");
