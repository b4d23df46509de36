-- Graded OVER/UNDER bets from @window_start to @game_date (inclusive) of the champion (is_champion) and of one
-- shadow model (@shadow_model_id), for the paired comparison. side: 'champion' | 'shadow'.
SELECT
  IF(is_champion, 'champion', 'shadow') AS side,
  game_date,
  player_id,
  is_correct
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @window_start AND @game_date
  AND grade_status = 'graded'
  AND recommendation IN ('OVER', 'UNDER')
  AND (is_champion OR model_id = @shadow_model_id)
ORDER BY game_date, player_id, side
