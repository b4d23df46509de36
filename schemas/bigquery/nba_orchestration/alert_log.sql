-- One row per (dedupe_key, game_date): what the alerts function did with an alert about that date
-- (shared/services/alerts.py): sending = claimed, outcome not yet known (an incident's alert claims on its
-- incident instead, alert_incidents.claimed_key); sent = the sink accepted it; send_failed = the sink refused
-- it (the redelivery sends again); unconfirmed = a redelivery found it claimed but not confirmed, so it may
-- have reached Slack and is never re-sent; suppressed = the cooldown or the incident.
CREATE TABLE IF NOT EXISTS nba_orchestration.alert_log (
  dedupe_key STRING NOT NULL,       -- kind|system_id|cause|level (shared/domain/diagnosis.py)
  game_date DATE NOT NULL,
  status STRING NOT NULL,           -- sending | sent | send_failed | unconfirmed | suppressed
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
