-- How many box-score rows the date's teams have before the date (0 = none of them has played yet:
-- the start of the data, when no player can have history).
-- Params: @game_date DATE, @teams ARRAY<STRING>.
SELECT COUNT(*) AS history_rows
FROM nba_raw.boxscores
WHERE game_date < @game_date
  AND team IN UNNEST(@teams)
