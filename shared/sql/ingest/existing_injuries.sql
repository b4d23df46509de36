-- Stored injury reports that a file may overlap, to write only new or changed rows.
SELECT game_date, player_id, status, reported_at
FROM nba_raw.injuries
WHERE game_date IN UNNEST(@game_dates) AND player_id IN UNNEST(@player_ids)
