-- Runs and total handling time per function.
SELECT function_name, COUNT(*) AS runs, SUM(duration_ms) AS ms
FROM nba_orchestration.pipeline_runs
GROUP BY function_name
