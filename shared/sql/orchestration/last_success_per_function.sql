-- When each function last finished a successful run since since (the morning watchdog's silence check: a
-- function with no success in that window counts as never having succeeded since the watch began).
SELECT function_name, MAX(finished_at) AS last_success
FROM nba_orchestration.pipeline_runs
WHERE status = 'success' AND started_at >= @since
GROUP BY function_name
