-- What grading-complete would have announced for a date, from the stored grades (when the backfill runs
-- sharpness or diagnostics without grading). Params: @game_date DATE.
SELECT
  COUNT(*) AS gradable,
  COUNTIF(grade_status = 'graded') AS graded,
  COUNTIF(grade_status = 'voided') AS voided,
  COUNTIF(grade_status = 'pending') AS pending
FROM nba_predictions.prediction_accuracy
WHERE game_date = @game_date
