-- The evidence rows of one walk-forward run. Params: run_id STRING, date_from DATE, date_to DATE (its span).
SELECT *
FROM nba_predictions.experiment_rows
WHERE game_date BETWEEN @date_from AND @date_to
  AND run_id = @run_id
ORDER BY game_date, player_id
