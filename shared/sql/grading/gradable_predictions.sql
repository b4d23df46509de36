-- The current prediction of every system that had a real line on the game date, with what grading needs:
-- the game's status and tip-off, the player's box-score row (if any), the latest injury report published
-- BEFORE tip-off (a report after tip-off cannot explain a pre-game scratch) and, in closing_snapshots, every
-- pre-game line snapshot of the player's game taken before tip-off: the input of the line policy at
-- as_of = tip-off (the closing line; in-game snapshots never count). NULL when there is none. One read for
-- both, so grading costs one job less. Params: game_date DATE.
WITH predictions AS (
  SELECT *
  FROM nba_predictions.player_prop_predictions_current
  WHERE game_date = @game_date AND line_source = 'ACTUAL_PROP'
),
pre_game_injuries AS (
  SELECT injury.player_id, injury.status
  FROM nba_raw.injuries AS injury
  JOIN nba_raw.schedule AS game
    ON game.game_date = injury.game_date
  JOIN (SELECT DISTINCT game_id, player_id FROM predictions) AS predicted
    ON predicted.game_id = game.game_id AND predicted.player_id = injury.player_id
  WHERE injury.game_date = @game_date AND game.game_date = @game_date AND injury.reported_at < game.tipoff_utc
  QUALIFY ROW_NUMBER() OVER (PARTITION BY injury.player_id ORDER BY injury.reported_at DESC) = 1
),
pre_tipoff_snapshots AS (
  SELECT
    snap.game_id,
    snap.player_id,
    ARRAY_AGG(
      STRUCT(
        snap.bookmaker AS bookmaker,
        snap.line AS line,
        snap.over_price AS over_price,
        snap.under_price AS under_price,
        snap.snapshot_at AS snapshot_at
      )
      ORDER BY snap.bookmaker, snap.snapshot_at
    ) AS closing_snapshots
  FROM nba_raw.prop_line_snapshots AS snap
  JOIN nba_raw.schedule AS game
    ON game.game_id = snap.game_id AND game.game_date = @game_date
  JOIN (SELECT DISTINCT game_id, player_id FROM predictions) AS predicted
    ON predicted.game_id = snap.game_id AND predicted.player_id = snap.player_id
  WHERE snap.game_date = @game_date
    AND NOT snap.is_in_game
    AND snap.snapshot_at < game.tipoff_utc
  GROUP BY snap.game_id, snap.player_id
)
SELECT
  p.prediction_id,
  p.run_id AS prediction_run_id,
  p.game_date,
  p.game_id,
  p.player_id,
  p.player_name,
  p.team,
  p.opponent,
  p.system_id,
  p.model_id,
  p.is_champion,
  p.predicted_points,
  p.line_value,
  p.line_bookmaker,
  p.line_snapshot_at,
  p.over_price,
  p.under_price,
  p.edge,
  p.p_over,
  p.confidence,
  p.recommendation,
  game.status AS game_status,
  game.tipoff_utc,
  box.status AS box_score_status,
  box.points AS actual_points,
  box.minutes,
  injury.status AS pre_game_injury_status,
  snapshots.closing_snapshots
FROM predictions AS p
LEFT JOIN nba_raw.schedule AS game
  ON game.game_id = p.game_id AND game.game_date = @game_date
LEFT JOIN nba_raw.boxscores AS box
  ON box.game_id = p.game_id AND box.player_id = p.player_id AND box.game_date = @game_date
LEFT JOIN pre_game_injuries AS injury
  ON injury.player_id = p.player_id
LEFT JOIN pre_tipoff_snapshots AS snapshots
  ON snapshots.game_id = p.game_id AND snapshots.player_id = p.player_id
ORDER BY p.system_id, p.player_id
