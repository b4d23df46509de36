-- How many times this event was already handled by this function (0 rows: never).
SELECT delivery_attempt
FROM nba_orchestration.pipeline_runs
WHERE function_name = @function_name AND event_id = @event_id
