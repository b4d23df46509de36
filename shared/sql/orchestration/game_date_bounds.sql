-- The first and last game date any run worked on (NULLs when nothing has run).
-- partitions: all, because it is operator tooling over the whole log (CLI, bench, tests), never on an event's path.
SELECT MIN(game_date) AS first, MAX(game_date) AS last
FROM nba_orchestration.pipeline_runs_latest
