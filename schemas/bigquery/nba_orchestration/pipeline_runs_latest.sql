-- The latest attempt per (function_name, event_id), with delivery_attempt = how many attempts were recorded.
CREATE OR REPLACE VIEW nba_orchestration.pipeline_runs_latest AS
SELECT *, COUNT(*) OVER (PARTITION BY function_name, event_id) AS delivery_attempt
FROM nba_orchestration.pipeline_runs
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY function_name, event_id
  ORDER BY started_at DESC, finished_at DESC
) = 1;
