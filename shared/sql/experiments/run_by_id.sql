-- One walk-forward run's lineage row. Params: run_id STRING.
-- partitions: all, because a run is looked up by its id alone (its span is in the row); one small row per run.
SELECT *
FROM nba_predictions.experiment_runs
WHERE run_id = @run_id
