-- What the alert log knows about dedupe_key within the cooldown before game_date: the latest date it was (or
-- may have been) sent (an earlier send cannot hold this one back, so older partitions are not read), and the
-- status of the row for game_date itself, if any (a redelivery; shared/services/alerts.py).
SELECT
  MAX(IF(status IN ('sent', 'sending', 'unconfirmed'), game_date, NULL)) AS last_sent_on,
  MAX(IF(game_date = @game_date, status, NULL)) AS status_for_date
FROM nba_orchestration.alert_log
WHERE dedupe_key = @dedupe_key
  AND game_date BETWEEN CAST(DATE_SUB(@game_date, INTERVAL @cooldown_days DAY) AS DATE) AND @game_date
