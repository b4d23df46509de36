-- One row per (game_date, player_id, system_id): the grade of the CURRENT prediction of every system that had a
-- real line (line_source = ACTUAL_PROP). Replaced by key on every grading run; graded_at comes from the
-- triggering message's publish time, so a redelivered event rewrites identical rows, and never moves back (a
-- late, older trigger keeps the newer graded_at and run_id; a settled grade never turns pending again).
CREATE TABLE IF NOT EXISTS nba_predictions.prediction_accuracy (
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  system_id STRING NOT NULL,
  game_id STRING NOT NULL,
  player_name STRING NOT NULL,
  team STRING,
  opponent STRING,
  prediction_id STRING NOT NULL,
  model_id STRING NOT NULL,
  is_champion BOOL NOT NULL,
  grade_status STRING NOT NULL,     -- graded | voided | pending
  pending_reason STRING,            -- game_not_final | player_missing_from_box_score | actual_points_missing
  void_reason STRING,               -- dnp_injury_confirmed | dnp_late_scratch | dnp_unknown | game_postponed
  pre_game_injury_status STRING,    -- latest injury report before tip-off (OUT | DOUBTFUL | ...), if any
  predicted_points FLOAT64 NOT NULL,
  actual_points INT64,
  minutes FLOAT64,
  absolute_error FLOAT64,           -- |predicted - actual|
  signed_error FLOAT64,             -- predicted - actual (positive = over-predicted)
  line_margin FLOAT64,              -- actual - line
  prediction_margin FLOAT64,        -- predicted - line
  within_3 BOOL,
  within_5 BOOL,
  line_value FLOAT64,               -- the line the prediction was made against
  line_bookmaker STRING,
  line_snapshot_at TIMESTAMP,
  over_price INT64,                 -- American odds recorded with the prediction
  under_price INT64,
  closing_line FLOAT64,             -- line policy applied at tip-off (shared/domain/line_policy.py)
  closing_bookmaker STRING,
  closing_snapshot_at TIMESTAMP,
  p_over FLOAT64,                   -- probability in [0, 1]
  confidence FLOAT64,               -- probability in [0, 1]
  edge FLOAT64,
  recommendation STRING NOT NULL,   -- OVER | UNDER | PASS
  is_correct BOOL,                  -- NULL for pushes, PASS, voided and pending rows
  is_push BOOL NOT NULL,
  is_voided BOOL NOT NULL,
  graded_at TIMESTAMP NOT NULL,
  run_id STRING
)
PARTITION BY game_date
CLUSTER BY system_id, player_id
OPTIONS (description = "Grades of the current predictions that had a real sportsbook line");
