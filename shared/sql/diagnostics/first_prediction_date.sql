-- The first date on or after @season_start with any prediction: completeness is owed only from there on.
SELECT MIN(game_date) AS first_date
FROM nba_predictions.player_prop_predictions
WHERE game_date BETWEEN @season_start AND @game_date
  AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
