-- Models that currently hold an alias (the champion, then every shadow), champion first.
-- partitions: all, because the registry holds one row per trained model (kilobytes), looked up by alias.
SELECT *
FROM nba_predictions.model_registry
WHERE alias IS NOT NULL
ORDER BY IF(alias = 'champion', 0, 1), alias, model_id
