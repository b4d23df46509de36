-- Stored box-score rows that a file may overlap, to write only new or changed rows.
SELECT game_id, game_date, player_id, player_name, team, opponent, is_home, minutes, points, status,
  fga, fta, fg3a, rebounds, assists, starter
FROM nba_raw.boxscores
WHERE game_date IN UNNEST(@game_dates) AND game_id IN UNNEST(@game_ids)
