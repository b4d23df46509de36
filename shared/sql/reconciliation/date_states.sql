-- What each game date from start to end has, for the reconciler (shared/domain/reconciliation.py): games,
-- feature rows of feature_version, current champion predictions of the production-ready rows with a line,
-- grades of the current predictions with a line (missing or made before the game was final), sharpness and diagnostics rows; lines known at now. Dates without games are
-- not listed. Every table is read on its game_date partitions only. Counts are cast to INT64: DuckDB's
-- COUNTIF is a 128-bit integer that overflows when compared with a small literal.
WITH games AS (
  SELECT
    game_date,
    CAST(COUNTIF(status != 'postponed') AS INT64) AS games,
    CAST(COUNTIF(status = 'final') AS INT64) AS final_games,
    MIN(IF(status != 'postponed', tipoff_utc, NULL)) AS first_tipoff
  FROM nba_raw.schedule
  WHERE game_date BETWEEN @start AND @end
  GROUP BY game_date
),
features AS (
  SELECT game_date, player_id, features_hash, is_production_ready, line_source, as_of
  FROM nba_predictions.ml_feature_store
  WHERE game_date BETWEEN @start AND @end AND feature_version = @feature_version
),
feature_counts AS (
  SELECT
    game_date,
    COUNT(*) AS feature_rows,
    MAX(as_of) AS features_as_of,
    CAST(COUNTIF(is_production_ready AND line_source = 'ACTUAL_PROP') AS INT64) AS ready_line_rows
  FROM features
  GROUP BY game_date
),
pregame_lines AS (
  SELECT line.game_date, MAX(line.snapshot_at) AS latest_pregame_line_at
  FROM nba_raw.prop_line_snapshots AS line
  JOIN games ON games.game_date = line.game_date
  WHERE line.game_date BETWEEN @start AND @end AND NOT line.is_in_game AND line.snapshot_at < games.first_tipoff
    AND line.snapshot_at <= @now
  GROUP BY line.game_date
),
current_predictions AS (
  SELECT game_date, player_id, prediction_id, is_champion, features_hash, line_source
  FROM nba_predictions.player_prop_predictions_current
  WHERE game_date BETWEEN @start AND @end AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
),
champion_coverage AS (
  SELECT features.game_date, COUNT(*) AS champion_predicted_ready_rows
  FROM features
  JOIN current_predictions AS prediction
    ON prediction.game_date = features.game_date
    AND prediction.player_id = features.player_id
    AND prediction.features_hash = features.features_hash
    AND prediction.is_champion
  WHERE features.is_production_ready AND features.line_source = 'ACTUAL_PROP'
  GROUP BY features.game_date
),
accuracy AS (
  SELECT game_date, prediction_id, grade_status, pending_reason
  FROM nba_predictions.prediction_accuracy
  WHERE game_date BETWEEN @start AND @end AND NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)
),
grades AS (
  SELECT
    prediction.game_date,
    COUNT(*) AS line_predictions,
    -- Never graded, or graded before its game was final: a grading run now would settle it. Rows pending
    -- for a player missing from the box score stay pending until new box scores arrive (and re-drive).
    CAST(
      COUNTIF(accuracy.prediction_id IS NULL OR COALESCE(accuracy.pending_reason = 'game_not_final', FALSE))
      AS INT64
    ) AS ungraded,
    CAST(COUNTIF(accuracy.grade_status = 'graded') AS INT64) AS graded,
    CAST(COUNTIF(accuracy.grade_status = 'voided') AS INT64) AS voided,
    CAST(COUNTIF(accuracy.grade_status = 'pending') AS INT64) AS pending
  FROM current_predictions AS prediction
  LEFT JOIN accuracy
    ON accuracy.game_date = prediction.game_date AND accuracy.prediction_id = prediction.prediction_id
  WHERE prediction.line_source = 'ACTUAL_PROP'
  GROUP BY prediction.game_date
),
sharpness AS (
  SELECT game_date, COUNT(*) AS sharpness_rows
  FROM nba_predictions.vegas_sharpness_daily
  WHERE game_date BETWEEN @start AND @end
  GROUP BY game_date
),
diagnostics AS (
  SELECT game_date, COUNT(*) AS diagnostics_rows
  FROM nba_orchestration.performance_diagnostics_daily
  WHERE game_date BETWEEN @start AND @end
  GROUP BY game_date
)
SELECT
  games.game_date,
  games.games,
  games.final_games,
  games.first_tipoff,
  COALESCE(feature_counts.feature_rows, 0) AS feature_rows,
  feature_counts.features_as_of,
  COALESCE(feature_counts.ready_line_rows, 0) AS ready_line_rows,
  pregame_lines.latest_pregame_line_at,
  COALESCE(champion_coverage.champion_predicted_ready_rows, 0) AS champion_predicted_ready_rows,
  COALESCE(grades.line_predictions, 0) AS line_predictions,
  COALESCE(grades.ungraded, 0) AS ungraded,
  COALESCE(grades.graded, 0) AS graded,
  COALESCE(grades.voided, 0) AS voided,
  COALESCE(grades.pending, 0) AS pending,
  COALESCE(sharpness.sharpness_rows, 0) AS sharpness_rows,
  COALESCE(diagnostics.diagnostics_rows, 0) AS diagnostics_rows
FROM games
LEFT JOIN feature_counts ON feature_counts.game_date = games.game_date
LEFT JOIN pregame_lines ON pregame_lines.game_date = games.game_date
LEFT JOIN champion_coverage ON champion_coverage.game_date = games.game_date
LEFT JOIN grades ON grades.game_date = games.game_date
LEFT JOIN sharpness ON sharpness.game_date = games.game_date
LEFT JOIN diagnostics ON diagnostics.game_date = games.game_date
WHERE games.games > 0
ORDER BY games.game_date
