-- One row per (game_date, shadow_system_id): the champion vs one shadow on the bets both made (same game date
-- and player, both OVER/UNDER against a real line, graded) in the lookback window ending on game_date.
-- Written by diagnostics (shared/domain/shadow_comparison.py); replaced by key. Rates on 0-1.
CREATE TABLE IF NOT EXISTS nba_orchestration.shadow_comparison_daily (
  game_date DATE NOT NULL,
  shadow_system_id STRING NOT NULL,
  shadow_model_id STRING NOT NULL,
  champion_system_id STRING NOT NULL,
  window_start DATE NOT NULL,
  paired_bets INT64 NOT NULL,             -- player-games both bet (pushes included)
  decided_pairs INT64 NOT NULL,           -- pairs where neither bet pushed: the n of every figure below
  champion_hit_rate FLOAT64,
  champion_hit_rate_lower FLOAT64,        -- Wilson 95% interval
  champion_hit_rate_upper FLOAT64,
  shadow_hit_rate FLOAT64,
  shadow_hit_rate_lower FLOAT64,          -- Wilson 95% interval
  shadow_hit_rate_upper FLOAT64,
  break_even FLOAT64 NOT NULL,
  hit_rate_difference FLOAT64,            -- shadow - champion on the decided pairs
  hit_rate_difference_lower FLOAT64,      -- 95% normal interval of the paired differences
  hit_rate_difference_upper FLOAT64,
  min_paired_bets INT64 NOT NULL,         -- the promotion-candidate minimum of decided pairs
  promotion_candidate BOOL NOT NULL,      -- significantly better over at least min_paired_bets
  computed_at TIMESTAMP NOT NULL,
  run_id STRING
)
PARTITION BY game_date
CLUSTER BY shadow_system_id
OPTIONS (description = "Daily paired comparison of the champion with each shadow");
