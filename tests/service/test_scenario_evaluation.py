"""Scenario evaluation reads the diagnostics a replay left behind: first alert after onset, lag and
false alarms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.services.scenario_evaluation import evaluate_scenarios, game_days_between
from tests import postgame_fixtures as fx

START = date(2026, 1, 10)


def _diagnosis(deps, game_date: date, level: str, cause: str) -> None:
    deps.warehouse.replace_rows(
        "nba_orchestration.performance_diagnostics_daily",
        [
            {
                "game_date": game_date,
                "system_id": fx.SYSTEM,
                "hit_rate_7d_n": 0,
                "hit_rate_14d_n": 0,
                "hit_rate_30d_n": 0,
                "break_even": 110 / 210,
                "roi_30d_n": 0,
                "recent_n": 0,
                "baseline_n": 0,
                "calibration_n": 0,
                "clv_n": 0,
                "scheduled_games": 1,
                "box_score_games": 1,
                "predictions": 1,
                "graded": 1,
                "season_start": date(2025, 8, 1),
                "problem_date_count": 0,
                "drift_score": 0.0,
                "root_cause": cause,
                "root_cause_confidence": 0.5,
                "alert_level": level,
                "gated_by_sample_size": False,
                "computed_at": datetime(2026, 2, 1, tzinfo=UTC),
            }
        ],
        ["game_date", "system_id"],
    )


def test_game_days_between_counts_game_dates_after_the_onset():
    dates = [START, START + timedelta(days=1), START + timedelta(days=3), START + timedelta(days=4)]
    assert game_days_between(dates, START, START) == 0
    assert game_days_between(dates, START, START + timedelta(days=3)) == 2  # day 2 had no games
    assert game_days_between(dates, START + timedelta(days=2), START + timedelta(days=4)) == 1


def test_evaluation_reports_first_alert_after_onset_lag_cause_and_false_alarms(deps):
    # Game dates: every day from START for 10 days except START + 5.
    for offset in range(10):
        if offset != 5:
            fx.schedule(deps, f"G{offset}", START + timedelta(days=offset))
    _diagnosis(deps, START + timedelta(days=1), "WARNING", "NORMAL_VARIANCE")  # before onset: false alarm
    _diagnosis(deps, START + timedelta(days=3), "INFO", "MODEL_DRIFT")  # not an alert
    _diagnosis(deps, START + timedelta(days=6), "CRITICAL", "MODEL_DRIFT")
    _diagnosis(deps, START + timedelta(days=8), "WARNING", "MODEL_DRIFT")
    replayed: list[str] = []

    def run_season(scenario: str):
        replayed.append(scenario)
        return deps

    onset = START + timedelta(days=3)
    (shift, clean) = evaluate_scenarios(
        run_season, ("scoring_shift", "clean"), lambda name: onset if name != "clean" else None
    )

    assert replayed == ["scoring_shift", "clean"]
    assert shift.onset == onset
    assert shift.first_alert is not None
    assert (shift.first_alert.game_date, shift.first_alert.root_cause) == (
        START + timedelta(days=6),
        "MODEL_DRIFT",
    )
    assert shift.lag_game_days == 2  # days 4 and 6 (5 had no games)
    assert [f.game_date for f in shift.alerts_before_onset] == [START + timedelta(days=1)]
    assert [f.alert_level for f in clean.alerts_before_onset] == ["WARNING", "CRITICAL", "WARNING"]
    assert clean.lag_game_days is None
