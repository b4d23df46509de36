-- One row per (game_date, system_id): the day's diagnosis of a prediction system. Replaced by key.
-- Hit-rate windows end on game_date inclusive ([D-6, D], [D-13, D], [D-29, D]); shares/probabilities on 0-1.
CREATE TABLE IF NOT EXISTS nba_orchestration.performance_diagnostics_daily (
  game_date DATE NOT NULL,
  system_id STRING NOT NULL,
  hit_rate_7d FLOAT64,
  hit_rate_7d_n INT64 NOT NULL,
  hit_rate_7d_lower FLOAT64,        -- Wilson 95% interval
  hit_rate_7d_upper FLOAT64,
  hit_rate_7d_position STRING,      -- above | below | straddles break-even
  hit_rate_14d FLOAT64,
  hit_rate_14d_n INT64 NOT NULL,
  hit_rate_14d_lower FLOAT64,
  hit_rate_14d_upper FLOAT64,
  hit_rate_14d_position STRING,
  hit_rate_30d FLOAT64,
  hit_rate_30d_n INT64 NOT NULL,
  hit_rate_30d_lower FLOAT64,
  hit_rate_30d_upper FLOAT64,
  hit_rate_30d_position STRING,
  break_even FLOAT64 NOT NULL,
  roi_7d FLOAT64,                   -- profit per unit staked at the recorded prices; pushes return the stake
  roi_30d FLOAT64,
  roi_30d_n INT64 NOT NULL,
  model_mae_recent FLOAT64,         -- recent = [D-6, D]; baseline = [D-36, D-7]
  model_mae_baseline FLOAT64,
  model_bias_recent FLOAT64,        -- mean(predicted - actual)
  model_bias_baseline FLOAT64,
  recent_n INT64 NOT NULL,
  baseline_n INT64 NOT NULL,
  vegas_mae_recent FLOAT64,
  vegas_mae_baseline FLOAT64,
  model_beats_vegas_pct_recent FLOAT64,  -- 0-100
  model_beats_vegas_pct_baseline FLOAT64,
  brier_recent FLOAT64,             -- P(over) vs actual > line, pushes excluded
  ece_recent FLOAT64,
  calibration_n INT64 NOT NULL,
  clv_mean_recent FLOAT64,          -- points gained vs the closing line per OVER/UNDER bet
  clv_positive_share_recent FLOAT64,
  clv_n INT64 NOT NULL,
  sharpness_status STRING,          -- tier All, computed here from prediction_accuracy (not read back)
  previous_sharpness_status STRING,
  market_regime STRING,
  previous_market_regime STRING,
  previous_graded_date DATE,
  scheduled_games INT64 NOT NULL,   -- completeness of game_date itself
  box_score_games INT64 NOT NULL,
  predictions INT64 NOT NULL,
  graded INT64 NOT NULL,
  season_start DATE NOT NULL,
  problem_date_count INT64 NOT NULL,
  oldest_problem_date DATE,
  problem_dates STRING,             -- JSON list of {game_date, games, box_score_games, predictions, graded, problems}
  drift_score FLOAT64 NOT NULL,
  root_cause STRING NOT NULL,       -- VEGAS_SHARP | MODEL_DRIFT | DATA_QUALITY | UNEXPLAINED_UNDERPERFORMANCE | NORMAL_VARIANCE
  root_cause_confidence FLOAT64 NOT NULL,
  contributing_factors STRING,      -- JSON list of strings
  alert_level STRING NOT NULL,      -- OK | INFO | WARNING | CRITICAL
  gated_by_sample_size BOOL NOT NULL,
  recommendations STRING,           -- JSON list of strings
  computed_at TIMESTAMP NOT NULL,
  run_id STRING
)
PARTITION BY game_date
CLUSTER BY system_id
OPTIONS (description = "Daily performance diagnosis per prediction system");
