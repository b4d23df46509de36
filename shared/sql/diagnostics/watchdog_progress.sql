-- Per date with (non-postponed) games from season_start to game_date: scheduled games, the first tip-off,
-- current predictions (every system, any line source) and graded predictions. What the morning watchdog
-- (shared/domain/watchdog.py) checks against the time it runs, and on each row the season's first prediction date.
WITH games AS (
  SELECT game_date, COUNT(*) AS games, MIN(tipoff_utc) AS first_tipoff
  FROM nba_raw.schedule
  WHERE game_date BETWEEN @season_start AND @game_date AND status != 'postponed'
  GROUP BY game_date
),
predictions AS (
  SELECT game_date, COUNT(*) AS predictions
  FROM nba_predictions.player_prop_predictions_current
  WHERE game_date BETWEEN @season_start AND @game_date AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
  GROUP BY game_date
),
graded AS (
  SELECT game_date, COUNTIF(grade_status = 'graded') AS graded
  FROM nba_predictions.prediction_accuracy
  WHERE game_date BETWEEN @season_start AND @game_date AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
  GROUP BY game_date
),
first_prediction AS (
  -- The first date on or after season_start with any prediction: completeness is owed only from there on
  -- (on every row, so one read serves both).
  SELECT MIN(game_date) AS first_prediction_date
  FROM nba_predictions.player_prop_predictions
  WHERE game_date BETWEEN @season_start AND @game_date AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
)
SELECT
  games.game_date,
  games.games,
  games.first_tipoff,
  COALESCE(predictions.predictions, 0) AS predictions,
  COALESCE(graded.graded, 0) AS graded,
  first_prediction.first_prediction_date
FROM games
CROSS JOIN first_prediction
LEFT JOIN predictions ON predictions.game_date = games.game_date
LEFT JOIN graded ON graded.game_date = games.game_date
ORDER BY games.game_date
