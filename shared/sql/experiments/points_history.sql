-- Points of every played game (minutes > 0) in a span, for the EWMA baseline of later dates.
-- Params: date_from DATE, date_to DATE.
SELECT player_id, game_date, CAST(points AS FLOAT64) AS points
FROM nba_raw.boxscores
WHERE game_date BETWEEN @date_from AND @date_to
  AND status = 'played'
  AND minutes > 0
ORDER BY player_id, game_date
