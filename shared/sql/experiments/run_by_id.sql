-- One walk-forward run's lineage row. Params: @run_id STRING.
SELECT *
FROM nba_predictions.experiment_runs
WHERE run_id = @run_id
