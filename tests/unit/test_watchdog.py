"""The dead man's switch as pure rules: what is overdue, which function is silent, and at which level."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.clock import eastern_datetime
from shared.domain.diagnosis import AlertLevel
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.domain.watchdog import (
    FUNCTION_SILENT,
    GRADES_MISSING,
    PREDICTIONS_MISSING,
    DateProgress,
    grades_due_at,
    overdue_dates,
    silent_functions,
    watchdog_alert,
    watchdog_findings,
)

POLICY = DEFAULT_THRESHOLDS.watchdog
D1 = date(2026, 1, 5)


def day(offset: int, predictions: int = 100, graded: int = 60, games: int = 5) -> DateProgress:
    game_date = D1 + timedelta(days=offset)
    return DateProgress(game_date, games, eastern_datetime(game_date, 19), predictions, graded)


def test_a_date_without_predictions_is_overdue_from_its_first_tipoff_not_before() -> None:
    progress = [day(0), day(1, predictions=0, graded=0)]
    before_tipoff = eastern_datetime(D1 + timedelta(days=1), 18, 59)
    at_tipoff = eastern_datetime(D1 + timedelta(days=1), 19)
    assert overdue_dates(progress, before_tipoff, D1) == []
    found = overdue_dates(progress, at_tipoff, D1)
    assert [(o.game_date, o.cause) for o in found] == [(D1 + timedelta(days=1), PREDICTIONS_MISSING)]


def test_grades_are_due_at_nine_eastern_the_next_day() -> None:
    progress = [day(0, graded=0)]
    due = grades_due_at(D1)
    assert due == eastern_datetime(D1 + timedelta(days=1), 9)
    assert overdue_dates(progress, due - timedelta(minutes=1), D1) == []
    assert [o.cause for o in overdue_dates(progress, due, D1)] == [GRADES_MISSING]


def test_nothing_is_owed_before_the_first_prediction_or_on_dates_without_games() -> None:
    progress = [day(0, predictions=0, graded=0), day(1, predictions=0, graded=0, games=0), day(2)]
    late = eastern_datetime(D1 + timedelta(days=5), 12)
    assert overdue_dates(progress, late, None) == []
    assert overdue_dates(progress, late, D1 + timedelta(days=2)) == []


def test_one_overdue_date_warns_and_two_are_critical() -> None:
    now = eastern_datetime(D1 + timedelta(days=3), 9, 30)
    one = overdue_dates([day(0), day(1), day(2, predictions=0, graded=0)], now, D1)
    two = overdue_dates([day(0), day(1, predictions=0, graded=0), day(2, predictions=0, graded=0)], now, D1)
    [warning] = watchdog_findings(one, [], now.date())
    [critical] = watchdog_findings(two, [], now.date())
    assert (warning.cause, warning.level, warning.latest_date) == (
        PREDICTIONS_MISSING,
        AlertLevel.WARNING,
        D1 + timedelta(days=2),
    )
    assert (critical.level, critical.latest_date) == (AlertLevel.CRITICAL, D1 + timedelta(days=2))


def test_a_function_silent_past_the_limit_while_games_were_played_is_reported() -> None:
    now = datetime(2026, 1, 10, 15, tzinfo=UTC)
    last = now - timedelta(hours=POLICY.function_silence_hours + 1)
    tipoffs = [now - timedelta(hours=5)]
    recent = {f: now - timedelta(hours=1) for f in POLICY.watched_functions}
    assert silent_functions(recent, tipoffs, now, now - timedelta(days=30)) == []
    silent = silent_functions({**recent, "prediction": last}, tipoffs, now, now - timedelta(days=30))
    assert [s.function for s in silent] == ["prediction"]
    # No game since its last success: nothing it should have done, so no alarm.
    assert silent_functions({**recent, "prediction": last}, [], now, now - timedelta(days=30)) == []
    [finding] = watchdog_findings([], silent, now.date())
    assert (finding.cause, finding.level) == (FUNCTION_SILENT, AlertLevel.WARNING)
    never = silent_functions(
        {f: t for f, t in recent.items() if f != "grading"},
        tipoffs,
        now,
        now - timedelta(hours=POLICY.function_silence_critical_hours),
    )
    assert [(s.function, s.last_success) for s in never] == [("grading", None)]
    assert watchdog_findings([], never, now.date())[0].level == AlertLevel.CRITICAL


def test_the_alert_names_the_deployment_its_cause_and_evidence() -> None:
    now = eastern_datetime(D1 + timedelta(days=2), 9, 30)
    [finding] = watchdog_findings(overdue_dates([day(0), day(1, graded=0)], now, D1), [], now.date())
    alert = watchdog_alert(finding)
    assert alert["dedupe_key"] == "watchdog|all-systems|GRADES_MISSING|WARNING"
    assert alert["system_id"] == "all-systems"
    assert str(D1 + timedelta(days=1)) in alert["summary"]
