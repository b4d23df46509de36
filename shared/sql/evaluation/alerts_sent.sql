-- Alerts actually sent (cooldown suppressions excluded) per level and kind, over the whole replay.
SELECT level, kind, COUNT(*) AS sent
FROM nba_orchestration.alert_log
WHERE status IN ('sent', 'unconfirmed')  -- unconfirmed: may have reached Slack (shared/services/alerts.py)
GROUP BY level, kind
ORDER BY level, kind
