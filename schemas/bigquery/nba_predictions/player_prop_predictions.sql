-- Append-only history of every prediction version; natural key: prediction_id
-- (a hash of game_date, player_id, system_id, model_id, features_hash and the superseded version: a redelivered
-- event adds nothing, a changed line or model adds a new version). Read the current call from
-- player_prop_predictions_current.
CREATE TABLE IF NOT EXISTS nba_predictions.player_prop_predictions (
  prediction_id STRING NOT NULL,
  supersedes_prediction_id STRING,  -- the version this one replaced (NULL for the first)
  run_id STRING NOT NULL,
  game_date DATE NOT NULL,
  game_id STRING NOT NULL,
  player_id STRING NOT NULL,
  player_name STRING NOT NULL,
  team STRING,
  opponent STRING,
  system_id STRING NOT NULL,        -- e.g. catboost_points_v1
  model_id STRING NOT NULL,
  is_champion BOOL NOT NULL,        -- false = a shadow
  feature_version STRING NOT NULL,
  features_hash STRING NOT NULL,
  predicted_points FLOAT64 NOT NULL,
  line_source STRING NOT NULL,      -- ACTUAL_PROP | NO_PROP_LINE
  line_value FLOAT64,
  line_bookmaker STRING,
  line_snapshot_at TIMESTAMP,
  over_price INT64,
  under_price INT64,
  edge FLOAT64,                     -- predicted_points - line_value
  p_over FLOAT64,                   -- probability in [0, 1]
  confidence FLOAT64,               -- probability in [0, 1] of the recommended side; never 0-100
  recommendation STRING NOT NULL,   -- OVER | UNDER | PASS | NO_LINE
  min_edge FLOAT64 NOT NULL,
  created_at TIMESTAMP NOT NULL
)
PARTITION BY game_date
CLUSTER BY system_id, player_id
OPTIONS (description = "Every prediction version ever made (append-only)");
