-- One row per injury report; natural key: (game_date, player_id, reported_at).
CREATE TABLE IF NOT EXISTS nba_raw.injuries (
  game_date DATE NOT NULL,
  player_id STRING NOT NULL,
  status STRING NOT NULL,           -- OUT | DOUBTFUL | QUESTIONABLE | PROBABLE | AVAILABLE
  reported_at TIMESTAMP NOT NULL,
  source_object STRING NOT NULL,
  source_row INT64 NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
PARTITION BY game_date
CLUSTER BY player_id
OPTIONS (description = "Injury reports as published, every version kept (docs/data-formats.md)");
