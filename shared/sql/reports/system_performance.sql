-- Per system, over a range of game dates: decided bets (OVER/UNDER graded win or loss; pushes, PASS and
-- voids excluded), wins, pushes, voids, and model-vs-line errors on graded rows.
-- Params: start DATE, end DATE.
SELECT
  system_id,
  LOGICAL_OR(is_champion) AS is_champion,
  COUNTIF(is_correct IS NOT NULL) AS decided,
  COUNTIF(is_correct) AS wins,
  COUNTIF(is_push AND recommendation IN ('OVER', 'UNDER')) AS pushes,
  COUNTIF(is_voided) AS voided,
  COUNTIF(grade_status = 'graded') AS graded,
  AVG(IF(grade_status = 'graded', ABS(predicted_points - actual_points), NULL)) AS model_mae,
  AVG(IF(grade_status = 'graded', ABS(line_value - actual_points), NULL)) AS line_mae
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @start AND @end AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
GROUP BY system_id
ORDER BY is_champion DESC, system_id
