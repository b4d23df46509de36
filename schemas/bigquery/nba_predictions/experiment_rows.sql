-- One row per predicted player-game of a walk-forward run; natural key: (run_id, game_date, player_id).
-- The evidence reports and promotion gates read: every prediction the production prediction service made for
-- the run, its production grade (prediction_accuracy at the time of the run) and the naive baselines as of
-- the decision time. is_bet marks the production-equivalent population (OVER/UNDER, real line, graded).
CREATE TABLE IF NOT EXISTS nba_predictions.experiment_rows (
  run_id STRING NOT NULL,
  fold_index INT64 NOT NULL,
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  game_id STRING NOT NULL,
  system_id STRING NOT NULL,        -- the backtest system the prediction was written under
  model_id STRING NOT NULL,
  prediction_id STRING NOT NULL,
  predicted_points FLOAT64 NOT NULL,
  actual_points FLOAT64,            -- NULL when the player did not play
  line_source STRING,
  line_value FLOAT64,
  recommendation STRING NOT NULL,   -- OVER | UNDER | PASS
  p_over FLOAT64,
  edge FLOAT64,
  grade_status STRING,              -- graded | voided | pending | NULL (no real line: not gradable)
  is_bet BOOL NOT NULL,
  is_correct BOOL,
  is_push BOOL NOT NULL,
  bet_price INT64,                  -- American odds recorded for the side called
  closing_line FLOAT64,
  baseline_last10 FLOAT64 NOT NULL, -- pts_avg_last10 of the feature row
  baseline_season FLOAT64 NOT NULL, -- pts_avg_season (last-10 before a player's first game of the season)
  baseline_ewma FLOAT64             -- EWMA of the player's earlier games (shared/domain/evaluation.py)
)
PARTITION BY game_date
CLUSTER BY run_id, player_id
OPTIONS (description = "Per player-game evidence of walk-forward runs: prediction, grade, baselines");
