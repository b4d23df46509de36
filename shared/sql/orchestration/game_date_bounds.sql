-- The first and last game date any run worked on (NULLs when nothing has run).
SELECT MIN(game_date) AS first, MAX(game_date) AS last
FROM nba_orchestration.pipeline_runs
