-- What grading-complete would have announced for a date, from the stored grades (when the backfill runs
-- sharpness or diagnostics without grading): production systems only, as the grading function grades.
-- Params: game_date DATE, backtest_system_pattern STRING (shared/domain/systems.py).
SELECT
  COUNT(*) AS gradable,
  COUNTIF(grade_status = 'graded') AS graded,
  COUNTIF(grade_status = 'voided') AS voided,
  COUNTIF(grade_status = 'pending') AS pending
FROM nba_predictions.prediction_accuracy
WHERE game_date = @game_date AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
