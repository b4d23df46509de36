-- Models holding one alias. Params: alias STRING.
-- partitions: all, because the registry holds one row per trained model (kilobytes), looked up by alias.
SELECT *
FROM nba_predictions.model_registry
WHERE alias = @alias
ORDER BY model_id
