-- Complete walk-forward runs of one experiment config, latest first. Params: config_hash STRING.
-- partitions: all, because promotion looks a config's evidence up by its hash alone (the spans are in the rows); one small row per run.
SELECT *
FROM nba_predictions.experiment_runs
WHERE config_hash = @config_hash
  AND status = 'complete'
ORDER BY finished_at DESC, run_id
