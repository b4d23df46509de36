-- One row per (dedupe_key, game_date): what the alerts function did with an alert about that date.
-- status sent = delivered to the sink; suppressed = held back by the cooldown. Written only after a successful
-- send, so a failed send leaves no row and the redelivered message tries again.
CREATE TABLE IF NOT EXISTS nba_orchestration.alert_log (
  dedupe_key STRING NOT NULL,       -- kind|system_id|cause|level (shared/domain/diagnosis.py)
  game_date DATE NOT NULL,
  status STRING NOT NULL,           -- sent | suppressed
  level STRING NOT NULL,
  kind STRING NOT NULL,
  system_id STRING NOT NULL,
  title STRING NOT NULL,
  last_sent_on DATE,                -- for suppressed rows: the earlier send that holds this one back
  event_id STRING,
  run_id STRING,
  recorded_at TIMESTAMP NOT NULL    -- the message's publish time
)
PARTITION BY game_date
CLUSTER BY dedupe_key
OPTIONS (description = "Alert deliveries and cooldown suppressions, for dedupe");
