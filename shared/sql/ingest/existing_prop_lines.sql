-- Stored line snapshots that a file may overlap, to write only new or changed rows.
SELECT game_id, game_date, player_id, player_name, bookmaker, line, over_price, under_price, snapshot_at,
  is_in_game
FROM nba_raw.prop_line_snapshots
WHERE game_date IN UNNEST(@game_dates) AND game_id IN UNNEST(@game_ids)
