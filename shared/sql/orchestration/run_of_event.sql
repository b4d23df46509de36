-- What one function recorded for one event.
SELECT status, detail, error
FROM nba_orchestration.pipeline_runs
WHERE function_name = @function_name AND event_id = @event_id
