-- The systems that predicted from since to until, champion first. Params: since, until DATE.
SELECT system_id, LOGICAL_OR(is_champion) AS is_champion
FROM nba_predictions.player_prop_predictions
WHERE game_date BETWEEN @since AND @until AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
GROUP BY system_id
ORDER BY is_champion DESC, system_id
