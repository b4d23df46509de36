-- When each function last finished a successful run (the morning watchdog's silence check).
SELECT function_name, MAX(finished_at) AS last_success
FROM nba_orchestration.pipeline_runs
WHERE status = 'success'
GROUP BY function_name
