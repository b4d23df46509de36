-- Models that currently hold an alias (the champion, then every shadow), champion first: every registry column,
-- named (diagnostics reads this file inside one combined statement, where SELECT * cannot be used;
-- tests/unit/test_combined_sql.py checks the list against the DDL).
-- partitions: all, because the registry holds one row per trained model (kilobytes), looked up by alias.
SELECT
  model_id, system_id, alias, models_bucket, model_path, metadata_path, feature_version, feature_names,
  trained_at, train_from, train_to, holdout_to, train_rows, holdout_rows, metrics, catboost_version,
  numpy_version, python_version, git_commit, seed, experiment_id, alias_updated_at
FROM nba_predictions.model_registry
WHERE alias IS NOT NULL
ORDER BY IF(alias = 'champion', 0, 1), alias, model_id
