-- Candidate line snapshots of one game date for the line policy (shared/domain/line_policy.py decides).
-- Params: game_date DATE, as_of TIMESTAMP. Only a pre-filter: nothing taken after as_of or in-game can
-- matter; the policy itself applies every rule (tip-off, as_of, valid values, bookmaker priority).
SELECT game_id, player_id, bookmaker, line, over_price, under_price, snapshot_at
FROM nba_raw.prop_line_snapshots
WHERE game_date = @game_date
  AND NOT is_in_game
  AND snapshot_at <= @as_of
