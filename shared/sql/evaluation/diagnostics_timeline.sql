-- Every diagnosis written, in date order: what the scenario evaluation reads after a replay.
-- partitions: all, because the scenario evaluation reads a whole replayed season, offline, once.
SELECT game_date, system_id, alert_level, root_cause, root_cause_confidence, problem_date_count
FROM nba_orchestration.performance_diagnostics_daily
ORDER BY game_date, system_id
