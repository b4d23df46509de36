-- Per system, the latest date of game_date's season before game_date with graded predictions (for
-- change-versus-previous alerts; the first graded date of a season has none, like a long gap).
SELECT system_id, MAX(game_date) AS previous_date
FROM nba_predictions.prediction_accuracy
WHERE game_date >= @season_start AND game_date < @game_date AND grade_status = 'graded'
  AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
GROUP BY system_id
ORDER BY system_id
