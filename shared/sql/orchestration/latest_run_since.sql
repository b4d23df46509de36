-- The latest run of one function finished at or after @since.
SELECT status, detail, error
FROM nba_orchestration.pipeline_runs
WHERE function_name = @function_name AND finished_at >= @since
ORDER BY finished_at DESC
LIMIT 1
