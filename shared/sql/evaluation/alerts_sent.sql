-- Alerts actually sent (cooldown suppressions excluded) per level and kind, over the whole replay.
-- partitions: all, because the scenario evaluation reads a whole replayed season, offline, once.
SELECT level, kind, COUNT(*) AS sent
FROM nba_orchestration.alert_log
WHERE status IN ('sent', 'unconfirmed')  -- unconfirmed: may have reached Slack (shared/services/alerts.py)
GROUP BY level, kind
ORDER BY level, kind
