-- The champion's decided bets (OVER/UNDER graded win or loss: pushes, PASS and voids excluded) of the whole
-- replayed season, with the model-vs-line errors of every graded row with a line: the scenario evaluation's
-- "how good was the model" line.
-- partitions: all, because the scenario evaluation reads a whole replayed season, offline, once.
SELECT
  COUNTIF(is_correct IS NOT NULL) AS decided,
  COUNTIF(is_correct) AS wins,
  COUNTIF(line_value IS NOT NULL AND actual_points IS NOT NULL) AS lined,
  AVG(IF(line_value IS NOT NULL, ABS(predicted_points - actual_points), NULL)) AS model_mae,
  AVG(IF(line_value IS NOT NULL, ABS(line_value - actual_points), NULL)) AS line_mae
FROM nba_predictions.prediction_accuracy
WHERE grade_status = 'graded'
  AND is_champion
