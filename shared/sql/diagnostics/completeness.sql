-- Per date with (non-postponed) games from season_start to game_date: scheduled games, games with box scores,
-- current predictions (any line source), predictions with a real line, graded predictions and pre-game line
-- snapshots. Counts cover every system. Dates without games are not listed. Each row also carries the
-- season's first prediction date.
WITH games AS (
  SELECT game_date, COUNT(*) AS games
  FROM nba_raw.schedule
  WHERE game_date BETWEEN @season_start AND @game_date AND status != 'postponed'
  GROUP BY game_date
),
box_scores AS (
  SELECT box.game_date, COUNT(DISTINCT box.game_id) AS box_score_games
  FROM nba_raw.boxscores AS box
  JOIN nba_raw.schedule AS game
    ON game.game_id = box.game_id
  WHERE box.game_date BETWEEN @season_start AND @game_date
    AND game.game_date BETWEEN @season_start AND @game_date AND game.status != 'postponed'
  GROUP BY box.game_date
),
predictions AS (
  SELECT
    game_date,
    COUNT(*) AS predictions,
    COUNTIF(line_source = 'ACTUAL_PROP') AS line_predictions
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
lines AS (
  SELECT game_date, COUNT(*) AS line_snapshots
  FROM nba_raw.prop_line_snapshots
  WHERE game_date BETWEEN @season_start AND @game_date AND NOT is_in_game
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
  COALESCE(box_scores.box_score_games, 0) AS box_score_games,
  COALESCE(predictions.predictions, 0) AS predictions,
  COALESCE(predictions.line_predictions, 0) AS line_predictions,
  COALESCE(graded.graded, 0) AS graded,
  COALESCE(lines.line_snapshots, 0) AS line_snapshots,
  first_prediction.first_prediction_date
FROM games
CROSS JOIN first_prediction
LEFT JOIN box_scores ON box_scores.game_date = games.game_date
LEFT JOIN predictions ON predictions.game_date = games.game_date
LEFT JOIN graded ON graded.game_date = games.game_date
LEFT JOIN lines ON lines.game_date = games.game_date
ORDER BY games.game_date
