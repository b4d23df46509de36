-- Removes an incident its own opening alert saved before a send that failed (shared/services/alerts.py): the
-- retry then finds the scope as it was, with no incident.
DELETE FROM nba_orchestration.alert_incidents
WHERE opened_on = @opened_on AND incident_id = @incident_id
