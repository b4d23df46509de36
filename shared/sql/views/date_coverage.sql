-- Whether the schedule knows game_date and which game dates it holds between since and until.
-- Params: game_date, since, until DATE.
SELECT
  COUNTIF(game_date = @game_date AND status != 'postponed') AS games_on_date,
  COUNT(*) AS games_in_range,
  MIN(game_date) AS first_date,
  MAX(game_date) AS last_date
FROM nba_raw.schedule
WHERE game_date BETWEEN @since AND @until
