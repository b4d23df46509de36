-- Per system from start to end: decided OVER/UNDER bets (pushes, PASS, voids excluded) and wins, and the
-- model's error on graded rows. Params: start, end DATE.
SELECT
  system_id,
  LOGICAL_OR(is_champion) AS is_champion,
  COUNTIF(is_correct IS NOT NULL) AS decided,
  COUNTIF(is_correct) AS wins,
  COUNTIF(grade_status = 'graded') AS graded,
  AVG(IF(grade_status = 'graded', ABS(signed_error), NULL)) AS mae,
  AVG(IF(grade_status = 'graded', signed_error, NULL)) AS bias
FROM nba_predictions.prediction_accuracy
WHERE game_date BETWEEN @start AND @end AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
GROUP BY system_id
ORDER BY is_champion DESC, system_id
