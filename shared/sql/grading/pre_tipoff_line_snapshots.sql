-- Every pre-game line snapshot of the predicted players' games on @game_date, taken before tip-off: the
-- input of the line policy at as_of = tip-off (the closing line). In-game snapshots never count.
SELECT
  snap.game_id,
  snap.player_id,
  snap.bookmaker,
  snap.line,
  snap.over_price,
  snap.under_price,
  snap.snapshot_at,
  snap.is_in_game,
  game.tipoff_utc
FROM nba_raw.prop_line_snapshots AS snap
JOIN nba_raw.schedule AS game
  ON game.game_id = snap.game_id AND game.game_date = @game_date
WHERE snap.game_date = @game_date
  AND snap.player_id IN (
    SELECT player_id
    FROM nba_predictions.player_prop_predictions_current
    WHERE game_date = @game_date AND line_source = 'ACTUAL_PROP'
  )
  AND NOT snap.is_in_game
  AND snap.snapshot_at < game.tipoff_utc
ORDER BY snap.game_id, snap.player_id, snap.bookmaker, snap.snapshot_at
