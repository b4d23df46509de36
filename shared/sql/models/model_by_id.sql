-- One registered model. Params: @model_id STRING.
SELECT *
FROM nba_predictions.model_registry
WHERE model_id = @model_id
