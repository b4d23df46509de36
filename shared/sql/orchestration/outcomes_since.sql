-- Runs and rows written per function and status, of the runs finished at or after since (each started at or
-- after started_from, a bound no run outlives, so BigQuery reads only those days).
SELECT function_name, status, COUNT(*) AS runs, SUM(rows_written) AS rows_written
FROM nba_orchestration.pipeline_runs_latest
WHERE finished_at >= @since AND started_at >= @started_from
GROUP BY function_name, status
