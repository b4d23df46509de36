-- One row per trained model; natural key: model_id.
-- One champion; any number of shadows, at most one per system_id (shared/services/model_registry.py).
CREATE TABLE IF NOT EXISTS nba_predictions.model_registry (
  model_id STRING NOT NULL,
  system_id STRING NOT NULL,        -- e.g. catboost_points_v1; predictions are grouped by it
  alias STRING,                     -- champion | shadow | NULL
  models_bucket STRING NOT NULL,
  model_path STRING NOT NULL,       -- object name of the .cbm file in models_bucket
  metadata_path STRING NOT NULL,    -- object name of the metadata JSON in models_bucket
  feature_version STRING NOT NULL,
  feature_names STRING NOT NULL,    -- JSON array, model input order
  trained_at TIMESTAMP NOT NULL,
  train_from DATE NOT NULL,
  train_to DATE NOT NULL,
  holdout_to DATE NOT NULL,
  train_rows INT64 NOT NULL,
  holdout_rows INT64 NOT NULL,
  metrics STRING NOT NULL,          -- JSON: MAE/RMSE train & holdout, baselines
  catboost_version STRING NOT NULL,
  numpy_version STRING NOT NULL,
  python_version STRING NOT NULL,
  git_commit STRING NOT NULL,
  seed INT64 NOT NULL,
  experiment_id STRING NOT NULL,    -- the ml_experiments row of the training run
  alias_updated_at TIMESTAMP
)
PARTITION BY DATE(trained_at)
CLUSTER BY system_id, alias
OPTIONS (description = "Trained models, their artifacts and the champion and shadow aliases");
