-- Per date with (non-postponed) games from @season_start to @game_date: scheduled games, the first tip-off,
-- current predictions (every system, any line source) and graded predictions. What the morning watchdog
-- (shared/domain/watchdog.py) checks against the time it runs.
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
)
SELECT
  games.game_date,
  games.games,
  games.first_tipoff,
  COALESCE(predictions.predictions, 0) AS predictions,
  COALESCE(graded.graded, 0) AS graded
FROM games
LEFT JOIN predictions ON predictions.game_date = games.game_date
LEFT JOIN graded ON graded.game_date = games.game_date
ORDER BY games.game_date
