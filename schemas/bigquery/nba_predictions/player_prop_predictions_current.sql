-- The current prediction: the latest version per (game_date, player_id, system_id).
CREATE OR REPLACE VIEW nba_predictions.player_prop_predictions_current AS
SELECT *
FROM nba_predictions.player_prop_predictions
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY game_date, player_id, system_id
  ORDER BY created_at DESC, prediction_id DESC
) = 1;
