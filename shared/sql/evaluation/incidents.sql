-- Every alert incident of the replay and the messages it sent (its resolution included).
-- partitions: all, because the scenario evaluation reads a whole replayed season, offline, once.
SELECT incident_id, scope, status, messages
FROM nba_orchestration.alert_incidents
ORDER BY opened_on, scope
