-- Models that currently hold an alias (the champion, then every shadow), champion first.
SELECT *
FROM nba_predictions.model_registry
WHERE alias IS NOT NULL
ORDER BY IF(alias = 'champion', 0, 1), alias, model_id
