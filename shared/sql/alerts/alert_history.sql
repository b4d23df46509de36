-- What the alert log knows about @dedupe_key up to @game_date: the latest date it was (or may have been) sent,
-- and the status of the row for @game_date itself, if any (a redelivery; shared/services/alerts.py).
SELECT
  MAX(IF(status IN ('sent', 'sending', 'unconfirmed'), game_date, NULL)) AS last_sent_on,
  MAX(IF(game_date = @game_date, status, NULL)) AS status_for_date
FROM nba_orchestration.alert_log
WHERE dedupe_key = @dedupe_key AND game_date <= @game_date
