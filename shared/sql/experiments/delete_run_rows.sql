-- Drop a run's evidence rows of a span before rewriting them, so a rerun on changed data leaves no stale row.
-- Params: run_id STRING, date_from DATE, date_to DATE.
DELETE FROM nba_predictions.experiment_rows
WHERE game_date BETWEEN @date_from AND @date_to
  AND run_id = @run_id
