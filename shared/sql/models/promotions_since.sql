-- Alias changes at or after since, oldest first (a rollback replays them). Params: since TIMESTAMP.
SELECT promotion_id, changed_at, actor, environment, reason, action, alias, from_model_id, to_model_id,
  forced, gates, evidence
FROM nba_predictions.model_promotions
WHERE changed_at >= @since
ORDER BY changed_at, promotion_id
