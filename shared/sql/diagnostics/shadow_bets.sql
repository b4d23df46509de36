-- Graded OVER/UNDER bets from window_start to game_date (inclusive) for the paired comparison of each shadow
-- with the champion: the champion's (is_champion, side 'champion') and every other production system's (side
-- 'shadow'), each with its model_id, from which shared/services/shadow_fleet.py picks each aliased shadow's.
-- One read for the whole fleet; a backtest system's bets are never a shadow's. (ORDER BY names columns, not
-- the alias side: an alias is not visible there once combined, on DuckDB.)
SELECT
  IF(is_champion, 'champion', 'shadow') AS side,
  model_id,
  game_date,
  player_id,
  is_correct
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
  AND grade_status = 'graded'
  AND recommendation IN ('OVER', 'UNDER')
  AND (is_champion OR NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern))
ORDER BY game_date, player_id, is_champion DESC, model_id
