-- Each system's two latest diagnoses from since to game_date, newest first: the latest answers "how healthy",
-- the latest before game_date is what was known that morning (the picks' edge rule). Params: since,
-- game_date DATE.
SELECT *
FROM nba_orchestration.performance_diagnostics_daily
WHERE game_date BETWEEN @since AND @game_date AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
QUALIFY ROW_NUMBER() OVER (PARTITION BY system_id ORDER BY game_date DESC) <= 2
ORDER BY system_id, game_date DESC
