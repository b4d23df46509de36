-- Append-only: one row per attempt (function_name, event_id, started_at). Every invocation INSERTs its row and
-- never reads or updates the table, so functions never contend on DML for it (pipeline_runs_latest: the
-- latest attempt per event).
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
  published_topics STRING,
  detail STRING,
  error STRING
)
PARTITION BY DATE(started_at)
CLUSTER BY function_name, game_date
OPTIONS (description = "Every function invocation attempt, with its outcome and row counts (append-only)");
