-- How many box-score rows exist before a game date (0 = the warehouse holds no history yet).
-- Params: @game_date DATE.
SELECT COUNT(*) AS history_rows
FROM nba_raw.boxscores
WHERE game_date < @game_date
