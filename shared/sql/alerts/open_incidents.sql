-- The open incidents (shared/domain/incidents.py), optionally of one scope (scope NULL: every scope).
-- partitions: all, because an open incident may have opened on any date, and the table holds a few rows a season.
SELECT
  incident_id, scope, status, opened_on, last_seen_on, resolved_on, peak_level, cause, causes_told, messages,
  claimed_key, claimed_on
FROM nba_orchestration.alert_incidents
WHERE status = 'open' AND (@scope IS NULL OR scope = @scope)
ORDER BY opened_on
