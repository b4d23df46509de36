-- One row per bookmaker snapshot of a player's points line; natural key: (game_id, player_id, bookmaker, snapshot_at).
-- Never averaged: which single line counts is decided by shared/domain/line_policy.py.
CREATE TABLE IF NOT EXISTS nba_raw.prop_line_snapshots (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  player_name STRING NOT NULL,
  bookmaker STRING NOT NULL,
  line FLOAT64 NOT NULL,            -- ends in .0 or .5; averaged lines are rejected at ingest
  over_price INT64 NOT NULL,        -- American odds
  under_price INT64 NOT NULL,
  snapshot_at TIMESTAMP NOT NULL,
  is_in_game BOOL NOT NULL,         -- snapshot taken at or after tip-off: kept, never used as "the line"
  source_object STRING NOT NULL,
  source_row INT64 NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
PARTITION BY game_date
CLUSTER BY player_id, bookmaker
OPTIONS (description = "Sportsbook player-points line snapshots (docs/data-formats.md)");
