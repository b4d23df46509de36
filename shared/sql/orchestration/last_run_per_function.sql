-- Per function, its latest run (status, game date) and latest successful run for game dates up to game_date
-- (or none: scheduled runs), started between since and until (dates of started_at, the partition column:
-- wall-clock time, so a replayed season's runs are recent). Params: game_date, since, until DATE.
WITH runs AS (
  SELECT function_name, status, game_date, started_at
  FROM nba_orchestration.pipeline_runs_latest
  WHERE DATE(started_at) BETWEEN @since AND @until
    AND (game_date IS NULL OR game_date <= @game_date)
),
latest AS (
  SELECT function_name, status AS last_status, game_date AS last_game_date, started_at AS last_started_at
  FROM runs
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY function_name ORDER BY started_at DESC) = 1
),
totals AS (
  SELECT
    function_name,
    MAX(IF(status = 'success', started_at, NULL)) AS last_success_at,
    COUNTIF(status = 'failed') AS failed_runs,
    COUNT(*) AS runs
  FROM runs
  GROUP BY function_name
)
SELECT latest.*, totals.last_success_at, totals.failed_runs, totals.runs
FROM latest
JOIN totals ON totals.function_name = latest.function_name
ORDER BY latest.function_name
