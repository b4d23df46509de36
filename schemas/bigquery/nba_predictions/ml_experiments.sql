-- One row per training run; natural key: experiment_id. The one experiment registry.
CREATE TABLE IF NOT EXISTS nba_predictions.ml_experiments (
  experiment_id STRING NOT NULL,
  model_id STRING NOT NULL,
  system_id STRING NOT NULL,
  feature_version STRING NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  duration_seconds FLOAT64 NOT NULL,
  train_from DATE NOT NULL,
  train_to DATE NOT NULL,
  holdout_to DATE NOT NULL,
  seed INT64 NOT NULL,
  params STRING NOT NULL,           -- JSON: CatBoost parameters
  train_rows INT64 NOT NULL,
  holdout_rows INT64 NOT NULL,
  holdout_rows_with_line INT64 NOT NULL,
  metrics STRING NOT NULL,          -- JSON: MAE/RMSE train & holdout
  baselines STRING NOT NULL,        -- JSON: holdout MAE of season avg, last-10 avg, the line
  status STRING NOT NULL,           -- registered
  alias STRING,                     -- alias requested at training time
  git_commit STRING NOT NULL,
  model_path STRING NOT NULL,
  metadata_path STRING NOT NULL
)
PARTITION BY DATE(started_at)
CLUSTER BY system_id
OPTIONS (description = "Training runs: windows, parameters, metrics and baselines");
