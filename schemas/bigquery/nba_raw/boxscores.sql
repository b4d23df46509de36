-- One row per player and game; natural key: (game_id, player_id).
CREATE TABLE IF NOT EXISTS nba_raw.boxscores (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  player_name STRING NOT NULL,
  team STRING NOT NULL,
  opponent STRING NOT NULL,
  is_home BOOL NOT NULL,
  minutes FLOAT64 NOT NULL,
  points INT64 NOT NULL,
  status STRING NOT NULL,           -- played | dnp | inactive
  fga INT64,
  fta INT64,
  fg3a INT64,
  rebounds INT64,
  assists INT64,
  starter BOOL,
  source_object STRING NOT NULL,
  source_row INT64 NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
PARTITION BY game_date
CLUSTER BY player_id, game_id
OPTIONS (description = "Player box scores (docs/data-formats.md)");
