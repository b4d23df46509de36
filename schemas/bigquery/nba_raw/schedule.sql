-- One row per game; natural key: game_id. Status moves scheduled -> final | postponed.
CREATE TABLE IF NOT EXISTS nba_raw.schedule (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,          -- US Eastern date of tip-off
  tipoff_utc TIMESTAMP NOT NULL,
  home_team STRING NOT NULL,
  away_team STRING NOT NULL,
  status STRING NOT NULL,           -- scheduled | final | postponed
  source_object STRING NOT NULL,
  source_row INT64 NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)
PARTITION BY game_date
CLUSTER BY game_id
OPTIONS (description = "NBA schedule, one row per game (docs/data-formats.md)");
