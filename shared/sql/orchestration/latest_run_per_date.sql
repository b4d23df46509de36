-- The latest run of each function for each game date from start to end.
-- partitions: all, because it is operator tooling over the whole log (CLI, bench, tests), never on an event's path.
SELECT game_date, function_name, status, rows_written
FROM nba_orchestration.pipeline_runs_latest
WHERE game_date BETWEEN @start AND @end
QUALIFY ROW_NUMBER() OVER (PARTITION BY game_date, function_name ORDER BY finished_at DESC) = 1
