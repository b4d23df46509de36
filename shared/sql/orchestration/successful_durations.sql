-- How long each successful run of one function took.
SELECT duration_ms
FROM nba_orchestration.pipeline_runs
WHERE function_name = @function_name AND status = 'success'
