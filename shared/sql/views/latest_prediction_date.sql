-- The latest game date on or before until (from since) with a current prediction: the dashboard's default.
SELECT MAX(game_date) AS game_date
FROM nba_predictions.player_prop_predictions
WHERE game_date BETWEEN @since AND @until AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
