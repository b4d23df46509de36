-- The latest registered training run of system_id started on or after since (partition pruning), if any.
SELECT MAX(started_at) AS last_started_at
FROM nba_predictions.ml_experiments
WHERE DATE(started_at) >= @since
  AND system_id = @system_id
  AND status = 'registered'
