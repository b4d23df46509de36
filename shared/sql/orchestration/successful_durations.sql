-- How long each successful run of one function took.
-- partitions: all, because it is operator tooling over the whole log (CLI, bench, tests), never on an event's path.
SELECT duration_ms
FROM nba_orchestration.pipeline_runs_latest
WHERE function_name = @function_name AND status = 'success'
