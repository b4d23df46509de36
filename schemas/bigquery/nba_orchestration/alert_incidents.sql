-- One row per incident (shared/domain/incidents.py): a WARNING/CRITICAL condition of one scope, from its
-- opening to its resolution. Written by the alerts function; at most one open incident per scope.
CREATE TABLE IF NOT EXISTS nba_orchestration.alert_incidents (
  incident_id STRING NOT NULL,      -- <scope>|<opened_on>
  scope STRING NOT NULL,            -- kind|system (performance) or kind|system|cause (watchdog)
  status STRING NOT NULL,           -- open | resolved
  opened_on DATE NOT NULL,
  last_seen_on DATE NOT NULL,       -- the latest game date the condition was raised
  resolved_on DATE,
  peak_level STRING NOT NULL,       -- the highest level told
  cause STRING NOT NULL,            -- the latest root cause raised
  causes_told STRING NOT NULL,      -- comma-separated root causes already told
  messages INT64 NOT NULL,          -- messages sent for this incident (at most IncidentPolicy.max_messages)
  updated_at TIMESTAMP NOT NULL,    -- publish time of the alert that last changed it
  -- The alert (dedupe key, game date) that claimed the latest message: saved before the send, so a redelivery
  -- of that alert finding its claim unconfirmed in alert_log never sends it again. Nullable: added to a live
  -- table (BigQuery adds only nullable columns).
  claimed_key STRING,
  claimed_on DATE
)
PARTITION BY opened_on
CLUSTER BY scope
OPTIONS (description = "Alert incidents: one message per opening, escalation, new cause and resolution");
