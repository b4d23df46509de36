-- Each system's latest diagnosis from since to game_date. Params: since, game_date DATE.
SELECT *
FROM nba_orchestration.performance_diagnostics_daily
WHERE game_date BETWEEN @since AND @game_date
QUALIFY ROW_NUMBER() OVER (PARTITION BY system_id ORDER BY game_date DESC) = 1
ORDER BY system_id
