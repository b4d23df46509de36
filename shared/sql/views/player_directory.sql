-- Every player with a prediction from since to until, with the name and team last used.
-- Params: since, until DATE.
SELECT player_id, player_name, team, game_date AS last_game_date
FROM nba_predictions.player_prop_predictions
WHERE game_date BETWEEN @since AND @until AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
QUALIFY ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY game_date DESC, created_at DESC) = 1
ORDER BY player_name, player_id
