-- What the alerts function needs of one scope's incidents (shared/services/alerts.py): the open one, and the
-- one this alert (dedupe_key, game_date) claimed, if any, even resolved since (its redelivery must not send it
-- again); every column, so that a failed send can put the row back as it was. Oldest first.
-- partitions: all, because an open incident may have opened on any date, and the table holds a few rows a season.
SELECT
  incident_id, scope, status, opened_on, last_seen_on, resolved_on, peak_level, cause, causes_told, messages,
  updated_at, claimed_key, claimed_on
FROM nba_orchestration.alert_incidents
WHERE scope = @scope
  AND (status = 'open' OR (claimed_key = @dedupe_key AND claimed_on = @game_date))
ORDER BY opened_on
