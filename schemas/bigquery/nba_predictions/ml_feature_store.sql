-- One row per player expected in a game; natural key: (game_date, player_id, feature_version).
-- Written by shared/services/feature_store.py (the whole date is replaced per feature version); the contract
-- (names, ranges, defaults) is shared/domain/features.py. Feature values are stored after defaults.
-- The feature columns are checked against that registry (tests/unit/test_feature_contract.py), not generated:
-- this folder stays the one hand-written DDL source, and BigQuery can only append columns to a live table, so
-- where a new feature's column goes is a deployment decision made here.
CREATE TABLE IF NOT EXISTS nba_predictions.ml_feature_store (
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  feature_version STRING NOT NULL,
  game_id STRING NOT NULL,
  player_name STRING NOT NULL,
  team STRING NOT NULL,
  opponent STRING NOT NULL,
  tipoff_utc TIMESTAMP NOT NULL,
  pts_avg_last5 FLOAT64 NOT NULL,
  pts_avg_last10 FLOAT64 NOT NULL,
  pts_avg_season FLOAT64 NOT NULL,
  pts_std_last10 FLOAT64 NOT NULL,
  min_avg_last5 FLOAT64 NOT NULL,
  min_avg_last10 FLOAT64 NOT NULL,
  fga_avg_last10 FLOAT64 NOT NULL,
  fta_avg_last10 FLOAT64 NOT NULL,
  fg3a_avg_last10 FLOAT64 NOT NULL,
  rest_days FLOAT64 NOT NULL,
  is_back_to_back FLOAT64 NOT NULL,
  is_home FLOAT64 NOT NULL,
  opp_pts_allowed_last10 FLOAT64 NOT NULL,
  games_played_season FLOAT64 NOT NULL,
  injury_status_code FLOAT64 NOT NULL,
  injury_status STRING,             -- latest report text at as_of; NULL = not on the report
  line_source STRING NOT NULL,      -- ACTUAL_PROP | NO_PROP_LINE (shared/domain/line_policy.py)
  has_line FLOAT64 NOT NULL,
  line_value FLOAT64,               -- NULL without a line (the model feature is then 0, see has_line)
  line_bookmaker STRING,
  line_snapshot_at TIMESTAMP,
  line_minutes_before_tip FLOAT64,
  line_over_price INT64,
  line_under_price INT64,
  opening_line FLOAT64,
  line_movement FLOAT64,
  defaulted_count INT64 NOT NULL,   -- model inputs replaced by their contract default
  defaulted_features STRING,        -- comma-separated names of those inputs
  history_games INT64 NOT NULL,     -- played games (minutes > 0) before game_date within the lookback
  range_problems STRING,            -- validate_ranges() findings; NULL when valid
  is_production_ready BOOL NOT NULL,
  features_hash STRING NOT NULL,    -- shared.domain.features.features_hash of the contract values
  as_of TIMESTAMP NOT NULL,         -- decision time: nothing reported after it is used
  built_at TIMESTAMP NOT NULL,      -- the triggering publish time (or as_of): redelivery changes nothing
  -- Contract v2's features, appended and NULLABLE because BigQuery can add only nullable columns at the end
  -- of a live table; stored as found (NULL = missing, readers complete the default; v1 rows have NULL).
  pts_slope_last10 FLOAT64,
  pts_zscore_last3 FLOAT64,
  teammates_out_pts FLOAT64,
  teammates_out_min FLOAT64
)
PARTITION BY game_date
CLUSTER BY feature_version, player_id
OPTIONS (description = "Point-in-time player features per game date (docs/features.md)");
