-- One registered model. Params: model_id STRING.
-- partitions: all, because the registry holds one row per trained model (kilobytes), looked up by id.
SELECT *
FROM nba_predictions.model_registry
WHERE model_id = @model_id
