-- Game dates of a span with at least one scheduled game. Params: date_from DATE, date_to DATE.
SELECT DISTINCT game_date
FROM nba_raw.schedule
WHERE game_date BETWEEN @date_from AND @date_to
ORDER BY game_date
