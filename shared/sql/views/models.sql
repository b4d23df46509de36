-- Registered models trained from since to until, newest first. Params: since, until DATE.
SELECT
  model_id,
  system_id,
  alias,
  alias_updated_at,
  trained_at,
  train_from,
  train_to,
  holdout_to,
  train_rows,
  holdout_rows,
  feature_version,
  metrics
FROM nba_predictions.model_registry
WHERE DATE(trained_at) BETWEEN @since AND @until AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
ORDER BY trained_at DESC, model_id
