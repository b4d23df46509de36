-- Point-in-time stat features (contract v2, shared/domain/features.py) of every player expected on game_date.
-- Params: game_date DATE, as_of TIMESTAMP (decision time), season_start DATE (first day of the game's season).
--
-- Leakage rule: box scores are read STRICTLY BEFORE game_date; injury reports and line snapshots only when
-- reported at or before as_of. Box scores are read over a 400-day lookback (partition pruning): enough for
-- last-10 features across a season boundary.
--
-- Expected players ("recent roster"): a player belongs to the team of his most recent box-score row before
-- game_date (any status: played, dnp or inactive), so a trade moves him on his first box score with the new
-- team. He is expected in the team's game when that row is at most 30 days older than the team's own most
-- recent game (not the calendar date, so the season opener uses the end of last season), or when a sportsbook
-- had a pre-tip line on him for that game at as_of (e.g. back from a long injury).
WITH games AS (
  SELECT game_id, tipoff_utc, home_team, away_team
  FROM nba_raw.schedule
  WHERE game_date = @game_date
    AND status != 'postponed'
),
game_teams AS (
  SELECT game_id, tipoff_utc, home_team AS team, away_team AS opponent, TRUE AS is_home FROM games
  UNION ALL
  SELECT game_id, tipoff_utc, away_team AS team, home_team AS opponent, FALSE AS is_home FROM games
),
prior_box AS (
  SELECT game_id, game_date, player_id, player_name, team, opponent, status, minutes, points, fga, fta, fg3a
  FROM nba_raw.boxscores
  WHERE game_date < @game_date
    AND game_date >= CAST(DATE_SUB(@game_date, INTERVAL 400 DAY) AS DATE)
),
latest_team AS (
  SELECT player_id, player_name, team, game_date AS last_seen
  FROM prior_box
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY game_date DESC, game_id DESC) = 1
),
team_last_game AS (
  SELECT team, MAX(game_date) AS last_game
  FROM prior_box
  GROUP BY team
),
lined_players AS (
  SELECT DISTINCT snapshots.game_id, snapshots.player_id
  FROM nba_raw.prop_line_snapshots AS snapshots
  JOIN games ON games.game_id = snapshots.game_id
  WHERE snapshots.game_date = @game_date
    AND NOT snapshots.is_in_game
    AND snapshots.snapshot_at <= @as_of
    AND snapshots.snapshot_at < games.tipoff_utc
),
roster AS (
  SELECT
    game_teams.game_id,
    game_teams.tipoff_utc,
    game_teams.team,
    game_teams.opponent,
    game_teams.is_home,
    latest_team.player_id,
    latest_team.player_name
  FROM game_teams
  JOIN latest_team ON latest_team.team = game_teams.team
  JOIN team_last_game ON team_last_game.team = game_teams.team
  LEFT JOIN lined_players
    ON lined_players.game_id = game_teams.game_id AND lined_players.player_id = latest_team.player_id
  WHERE latest_team.last_seen >= CAST(DATE_SUB(team_last_game.last_game, INTERVAL 30 DAY) AS DATE)
    OR lined_players.player_id IS NOT NULL
),
history AS (
  SELECT
    player_id,
    game_date,
    CAST(points AS FLOAT64) AS points,
    minutes,
    CAST(fga AS FLOAT64) AS fga,
    CAST(fta AS FLOAT64) AS fta,
    CAST(fg3a AS FLOAT64) AS fg3a,
    ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY game_date DESC, game_id DESC) AS recency
  FROM prior_box
  WHERE status = 'played'
    AND minutes > 0
    -- Only the expected players' stats are used: the window is per player, so this changes no value.
    AND player_id IN (SELECT player_id FROM roster)
),
player_stats AS (
  SELECT
    player_id,
    COUNT(*) AS history_games,
    AVG(IF(recency <= 5, points, NULL)) AS pts_avg_last5,
    AVG(IF(recency <= 10, points, NULL)) AS pts_avg_last10,
    AVG(IF(game_date >= @season_start, points, NULL)) AS pts_avg_season,
    STDDEV_SAMP(IF(recency <= 10, points, NULL)) AS pts_std_last10,
    AVG(IF(recency <= 5, minutes, NULL)) AS min_avg_last5,
    AVG(IF(recency <= 10, minutes, NULL)) AS min_avg_last10,
    AVG(IF(recency <= 10, fga, NULL)) AS fga_avg_last10,
    AVG(IF(recency <= 10, fta, NULL)) AS fta_avg_last10,
    AVG(IF(recency <= 10, fg3a, NULL)) AS fg3a_avg_last10,
    COUNTIF(game_date >= @season_start) AS games_played_season,
    MAX(game_date) AS last_played,
    -- v2 trajectory: the last 3 games against the season (mean and sample sd of the season's history games).
    AVG(IF(recency <= 3, points, NULL)) AS pts_avg_last3,
    STDDEV_SAMP(IF(game_date >= @season_start, points, NULL)) AS pts_std_season,
    -- v2 trajectory: least-squares slope over the last 10, x = -recency (oldest lowest), from plain sums so
    -- both engines compute the same thing.
    COUNTIF(recency <= 10) AS slope_n,
    SUM(IF(recency <= 10, -recency, NULL)) AS slope_sx,
    SUM(IF(recency <= 10, points, NULL)) AS slope_sy,
    SUM(IF(recency <= 10, -recency * points, NULL)) AS slope_sxy,
    SUM(IF(recency <= 10, recency * recency, NULL)) AS slope_sxx
  FROM history
  GROUP BY player_id
),
team_game_points AS (
  -- Only the points allowed by tonight's opponents are used (per-opponent window: no value changes).
  SELECT game_id, game_date, team, opponent, SUM(points) AS points
  FROM prior_box
  WHERE opponent IN (SELECT team FROM game_teams)
  GROUP BY game_id, game_date, team, opponent
),
points_allowed AS (
  -- The points a team scored in a game are the points its opponent allowed.
  SELECT
    opponent AS team,
    CAST(points AS FLOAT64) AS allowed,
    ROW_NUMBER() OVER (PARTITION BY opponent ORDER BY game_date DESC, game_id DESC) AS recency
  FROM team_game_points
),
opponent_stats AS (
  SELECT team, AVG(allowed) AS pts_allowed_last10
  FROM points_allowed
  WHERE recency <= 10
  GROUP BY team
),
reports AS (
  SELECT player_id, status
  FROM nba_raw.injuries
  WHERE game_date = @game_date
    AND reported_at <= @as_of
),
latest_report AS (
  SELECT player_id, status
  FROM nba_raw.injuries
  WHERE game_date = @game_date
    AND reported_at <= @as_of
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY player_id ORDER BY reported_at DESC, source_object DESC, source_row DESC
  ) = 1
),
report_availability AS (
  SELECT COUNT(*) > 0 AS injury_report_available FROM reports
),
out_players AS (
  -- v2 absences: players ruled OUT on the date's latest report at as_of, placed on the team of their most
  -- recent box score (the roster rule), whether or not they are expected tonight.
  SELECT latest_team.player_id, latest_team.team
  FROM latest_report
  JOIN latest_team ON latest_team.player_id = latest_report.player_id
  WHERE UPPER(TRIM(latest_report.status)) = 'OUT'
),
out_season_averages AS (
  SELECT player_id, AVG(CAST(points AS FLOAT64)) AS pts_per_game, AVG(minutes) AS min_per_game
  FROM prior_box
  WHERE status = 'played'
    AND minutes > 0
    AND game_date >= @season_start
    AND player_id IN (SELECT player_id FROM out_players)
  GROUP BY player_id
),
teammates_out AS (
  SELECT
    roster.game_id,
    roster.player_id,
    -- Rounded: a sum of fractions in whatever order the engine adds them differs in the last bits, and a
    -- rebuild from the same inputs must store the same value.
    ROUND(SUM(COALESCE(out_season_averages.pts_per_game, 0)), 9) AS pts,
    ROUND(SUM(COALESCE(out_season_averages.min_per_game, 0)), 9) AS minutes
  FROM roster
  JOIN out_players ON out_players.team = roster.team AND out_players.player_id != roster.player_id
  LEFT JOIN out_season_averages ON out_season_averages.player_id = out_players.player_id
  GROUP BY roster.game_id, roster.player_id
)
SELECT
  roster.game_id,
  roster.tipoff_utc,
  roster.player_id,
  roster.player_name,
  roster.team,
  roster.opponent,
  roster.is_home,
  COALESCE(player_stats.history_games, 0) AS history_games,
  player_stats.pts_avg_last5,
  player_stats.pts_avg_last10,
  player_stats.pts_avg_season,
  player_stats.pts_std_last10,
  player_stats.min_avg_last5,
  player_stats.min_avg_last10,
  player_stats.fga_avg_last10,
  player_stats.fta_avg_last10,
  player_stats.fg3a_avg_last10,
  LEAST(DATE_DIFF(@game_date, player_stats.last_played, DAY) - 1, 10) AS rest_days,
  COALESCE(player_stats.games_played_season, 0) AS games_played_season,
  opponent_stats.pts_allowed_last10 AS opp_pts_allowed_last10,
  latest_report.status AS injury_status,
  report_availability.injury_report_available,
  IF(
    player_stats.slope_n >= 3,
    (player_stats.slope_n * player_stats.slope_sxy - player_stats.slope_sx * player_stats.slope_sy)
      / NULLIF(player_stats.slope_n * player_stats.slope_sxx - player_stats.slope_sx * player_stats.slope_sx, 0),
    NULL
  ) AS pts_slope_last10,
  IF(
    player_stats.games_played_season >= 3,
    (player_stats.pts_avg_last3 - player_stats.pts_avg_season) / NULLIF(player_stats.pts_std_season, 0),
    NULL
  ) AS pts_zscore_last3,
  IF(report_availability.injury_report_available, COALESCE(teammates_out.pts, 0), NULL) AS teammates_out_pts,
  IF(report_availability.injury_report_available, COALESCE(teammates_out.minutes, 0), NULL)
    AS teammates_out_min
FROM roster
CROSS JOIN report_availability
LEFT JOIN player_stats ON player_stats.player_id = roster.player_id
LEFT JOIN teammates_out
  ON teammates_out.game_id = roster.game_id AND teammates_out.player_id = roster.player_id
LEFT JOIN opponent_stats ON opponent_stats.team = roster.opponent
LEFT JOIN latest_report ON latest_report.player_id = roster.player_id
ORDER BY roster.game_id, roster.player_id
