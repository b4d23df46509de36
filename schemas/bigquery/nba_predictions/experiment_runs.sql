-- One row per walk-forward run (one experiment config, one seed, one span); natural key: run_id.
-- The lineage of the evidence in experiment_folds / experiment_rows: the config and its hash, the data
-- fingerprint of every fold's training window, the code and the libraries. Each fold's model is also a
-- training run in ml_experiments (through model_id in experiment_folds).
CREATE TABLE IF NOT EXISTS nba_predictions.experiment_runs (
  run_id STRING NOT NULL,
  config_name STRING NOT NULL,      -- the file's stem, e.g. v1_baseline
  config STRING NOT NULL,           -- JSON: the validated config
  config_hash STRING NOT NULL,      -- sha256 of that JSON
  system_id STRING NOT NULL,        -- the config's system
  backtest_system_id STRING NOT NULL, -- the system_id its predictions and grades are written under
  feature_version STRING NOT NULL,
  seed INT64 NOT NULL,
  evaluation_from DATE NOT NULL,
  evaluation_to DATE NOT NULL,
  folds INT64 NOT NULL,
  data_fingerprint STRING NOT NULL, -- sha256 over the folds' training-window fingerprints, in fold order
  git_commit STRING NOT NULL,
  library_versions STRING NOT NULL, -- JSON: catboost, numpy, python
  status STRING NOT NULL,           -- complete
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  duration_seconds FLOAT64 NOT NULL
)
PARTITION BY evaluation_from
CLUSTER BY system_id
OPTIONS (description = "Walk-forward runs of experiment configs: config, hash, data fingerprint, code, libraries");
