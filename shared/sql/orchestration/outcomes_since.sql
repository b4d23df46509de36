-- Runs and rows written per function and status, of the runs finished at or after @since.
SELECT function_name, status, COUNT(*) AS runs, SUM(rows_written) AS rows_written
FROM nba_orchestration.pipeline_runs
WHERE finished_at >= @since
GROUP BY function_name, status
