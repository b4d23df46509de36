-- One row per fold of a walk-forward run; natural key: (run_id, fold_index). The fold's model was trained on
-- [train_from, train_to] (held out to holdout_to, the day before fold_from) and predicted fold_from..fold_to
-- through the production prediction service; figures are production-equivalent bets and all-rows MAE.
CREATE TABLE IF NOT EXISTS nba_predictions.experiment_folds (
  run_id STRING NOT NULL,
  fold_index INT64 NOT NULL,
  model_id STRING NOT NULL,         -- model_registry / ml_experiments of the fold's training run
  train_from DATE NOT NULL,
  train_to DATE NOT NULL,
  holdout_to DATE NOT NULL,
  fold_from DATE NOT NULL,
  fold_to DATE NOT NULL,
  data_fingerprint STRING NOT NULL, -- of the fold's training rows (shared/services/training.py)
  train_rows INT64 NOT NULL,
  holdout_rows INT64 NOT NULL,
  dates_predicted INT64 NOT NULL,
  bets INT64 NOT NULL,              -- production-equivalent bets (pushes included)
  wins INT64 NOT NULL,
  losses INT64 NOT NULL,
  pushes INT64 NOT NULL,
  roi FLOAT64,                      -- per bet at the recorded prices
  bets_mae FLOAT64,                 -- model MAE on the bets
  all_rows INT64 NOT NULL,          -- every predicted row whose player played
  all_rows_mae FLOAT64
)
PARTITION BY fold_from
CLUSTER BY run_id
OPTIONS (description = "Per-fold results of walk-forward runs");
