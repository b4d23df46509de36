-- Every run started at or after since, in the order they started.
SELECT function_name, event_id, run_id, status, game_date, topic, rows_read, rows_written, delivery_attempt,
  published_topics, detail, error, started_at, duration_ms
FROM nba_orchestration.pipeline_runs_latest
WHERE started_at >= @since
ORDER BY started_at, function_name
