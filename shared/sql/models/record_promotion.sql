-- One alias change: a plain INSERT. model_promotions is append-only: nothing updates or deletes its rows.
INSERT INTO nba_predictions.model_promotions (
  promotion_id, changed_at, actor, environment, reason, action, alias, from_model_id, to_model_id, forced,
  gates, evidence
)
VALUES (
  @promotion_id, @changed_at, @actor, @environment, @reason, @action, @alias, @from_model_id, @to_model_id,
  @forced, @gates, @evidence
)
