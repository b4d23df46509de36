-- One attempt of one function on one event: a plain INSERT (no read, no MERGE), so it never contends.
INSERT INTO nba_orchestration.pipeline_runs (
  function_name, event_id, run_id, topic, game_date, status, started_at, finished_at, duration_ms,
  rows_read, rows_written, published_topics, detail, error
)
VALUES (
  @function_name, @event_id, @run_id, @topic, CAST(@game_date AS DATE), @status, @started_at,
  @finished_at, CAST(@duration_ms AS INT64), CAST(@rows_read AS INT64), CAST(@rows_written AS INT64),
  @published_topics, @detail, @error
)
