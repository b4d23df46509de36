-- Games of one US Eastern game date that are expected to be played (postponed games are left out).
-- Params: @game_date DATE.
SELECT game_id, tipoff_utc, home_team, away_team
FROM nba_raw.schedule
WHERE game_date = @game_date
  AND status != 'postponed'
ORDER BY tipoff_utc, game_id
