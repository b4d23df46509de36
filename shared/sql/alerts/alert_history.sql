-- What the alert log knows about @dedupe_key within the cooldown before @game_date: the latest date it was sent
-- (an earlier send cannot hold this one back, so older partitions are not read), and whether a row for
-- @game_date itself exists already (a redelivery).
SELECT
  MAX(IF(status = 'sent', game_date, NULL)) AS last_sent_on,
  COUNTIF(game_date = @game_date) AS rows_for_date
FROM nba_orchestration.alert_log
WHERE dedupe_key = @dedupe_key
  AND game_date BETWEEN CAST(DATE_SUB(@game_date, INTERVAL @cooldown_days DAY) AS DATE) AND @game_date
