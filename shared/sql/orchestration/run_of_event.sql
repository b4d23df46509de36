-- What one function recorded for one event.
-- partitions: all, because it is operator tooling over the whole log (CLI, bench, tests), never on an event's path.
SELECT status, detail, error
FROM nba_orchestration.pipeline_runs_latest
WHERE function_name = @function_name AND event_id = @event_id
