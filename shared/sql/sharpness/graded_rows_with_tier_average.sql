-- Graded predictions with a line from window_start to game_date (inclusive), each with its player's average
-- points over the lookback_days days BEFORE that row's own date, counting only games with more than
-- min_minutes minutes (NULL when no game qualifies: the player is untiered and only counts under All).
WITH graded AS (
  SELECT
    game_date,
    player_id,
    system_id,
    predicted_points,
    line_value,
    actual_points,
    recommendation,
    is_correct
  FROM nba_predictions.prediction_accuracy
  WHERE game_date BETWEEN @window_start AND @game_date
    AND grade_status = 'graded'
    AND line_value IS NOT NULL
    AND actual_points IS NOT NULL
    AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
),
player_dates AS (
  SELECT DISTINCT game_date, player_id FROM graded
),
tier_averages AS (
  SELECT pd.game_date, pd.player_id, AVG(box.points) AS average_points
  FROM player_dates AS pd
  JOIN nba_raw.boxscores AS box
    ON box.player_id = pd.player_id
   AND box.game_date BETWEEN CAST(DATE_SUB(pd.game_date, INTERVAL @lookback_days DAY) AS DATE)
                         AND CAST(DATE_SUB(pd.game_date, INTERVAL 1 DAY) AS DATE)
   AND box.minutes > @min_minutes
   -- the same window, as constants, so BigQuery prunes boxscores' partitions
   AND box.game_date BETWEEN CAST(DATE_SUB(@window_start, INTERVAL @lookback_days DAY) AS DATE) AND @game_date
  GROUP BY pd.game_date, pd.player_id
)
SELECT g.*, t.average_points
FROM graded AS g
LEFT JOIN tier_averages AS t
  ON t.game_date = g.game_date AND t.player_id = g.player_id
ORDER BY g.game_date, g.system_id, g.player_id
