-- How many box-score rows the date's teams have in the 400 days before the date, the window the player
-- features read (0 = none of them has played in it: the start of the data, when no player can have
-- history). Params: game_date DATE, teams ARRAY<STRING>.
SELECT COUNT(*) AS history_rows
FROM nba_raw.boxscores
WHERE game_date < @game_date
  AND game_date >= CAST(DATE_SUB(@game_date, INTERVAL 400 DAY) AS DATE)
  AND team IN UNNEST(@teams)
