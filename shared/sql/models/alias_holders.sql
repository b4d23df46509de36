-- Models holding one alias. Params: @alias STRING.
SELECT *
FROM nba_predictions.model_registry
WHERE alias = @alias
ORDER BY model_id
