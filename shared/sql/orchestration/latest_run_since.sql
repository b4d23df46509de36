-- The latest run of one function finished at or after since.
SELECT status, detail, error
FROM nba_orchestration.pipeline_runs_latest
WHERE function_name = @function_name AND finished_at >= @since AND started_at >= @started_from
ORDER BY finished_at DESC
LIMIT 1
