-- Runs and total handling time per function.
-- partitions: all, because it is operator tooling over the whole log (CLI, bench, tests), never on an event's path.
SELECT function_name, COUNT(*) AS runs, SUM(duration_ms) AS ms
FROM nba_orchestration.pipeline_runs_latest
GROUP BY function_name
