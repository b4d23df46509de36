"""The pure "what is missing" rule of the reconciler: the first missing step of a date, or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from shared.domain.reconciliation import DateState, Step, first_gap, gaps_to_redrive
from shared.domain.watchdog import (
    GRADES_MISSING,
    PREDICTIONS_MISSING,
    DateProgress,
    grades_due_at,
    overdue_dates,
)

DAY = date(2026, 1, 14)
TIPOFF = datetime(2026, 1, 15, 0, 0, tzinfo=UTC)
BEFORE_TIPOFF = TIPOFF - timedelta(hours=5)
NEXT_MORNING = TIPOFF + timedelta(hours=9)

COMPLETE = DateState(
    game_date=DAY,
    games=5,
    final_games=5,
    first_tipoff=TIPOFF,
    feature_rows=150,
    feature_version="v1",
    features_as_of=TIPOFF - timedelta(hours=7),
    ready_line_rows=60,
    latest_pregame_line_at=TIPOFF - timedelta(hours=7),
    has_champion=True,
    champion_predicted_ready_rows=60,
    line_predictions=120,
    ungraded=0,
    graded=110,
    voided=4,
    pending=6,
    sharpness_rows=10,
    diagnostics_rows=2,
)
MORNING = replace(
    COMPLETE,
    final_games=0,
    line_predictions=0,
    graded=0,
    voided=0,
    pending=0,
    sharpness_rows=0,
    diagnostics_rows=0,
)


def test_a_complete_date_and_a_date_without_games_have_no_gap() -> None:
    assert first_gap(COMPLETE, NEXT_MORNING) is None
    assert first_gap(replace(COMPLETE, games=0, first_tipoff=None, feature_rows=0), NEXT_MORNING) is None
    assert first_gap(MORNING, BEFORE_TIPOFF) is None


def test_missing_features_are_redriven_before_the_first_tipoff_and_only_reported_after() -> None:
    missing = replace(MORNING, feature_rows=0, ready_line_rows=0, champion_predicted_ready_rows=0)
    gap = first_gap(missing, BEFORE_TIPOFF)
    assert gap is not None and gap.step is Step.FEATURES and gap.redrivable
    late = first_gap(missing, TIPOFF)
    assert late is not None and late.step is Step.FEATURES and not late.redrivable


def test_features_older_than_the_latest_pregame_line_are_stale_before_the_tipoff_only() -> None:
    stale = replace(MORNING, latest_pregame_line_at=TIPOFF - timedelta(hours=6))
    gap = first_gap(stale, BEFORE_TIPOFF)
    assert gap is not None and gap.step is Step.FEATURES
    # After the tip-off the closing lines are newer than any pre-game build, and that is as it should be.
    assert (
        first_gap(replace(COMPLETE, latest_pregame_line_at=TIPOFF - timedelta(minutes=1)), NEXT_MORNING)
        is None
    )


def test_predictions_are_due_for_every_ready_row_with_a_line_when_a_champion_exists() -> None:
    short = replace(MORNING, champion_predicted_ready_rows=59)
    gap = first_gap(short, BEFORE_TIPOFF)
    assert gap is not None and gap.step is Step.PREDICTIONS and gap.redrivable
    assert "1 of 60" in gap.reason
    late = first_gap(short, TIPOFF + timedelta(minutes=1))
    assert late is not None and not late.redrivable
    assert first_gap(replace(short, has_champion=False), BEFORE_TIPOFF) is None


def test_grades_are_due_once_every_game_is_final() -> None:
    ungraded = replace(COMPLETE, ungraded=7, graded=0, sharpness_rows=0, diagnostics_rows=0)
    gap = first_gap(ungraded, NEXT_MORNING)
    assert gap is not None and gap.step is Step.GRADES
    assert first_gap(replace(ungraded, final_games=4), NEXT_MORNING) is None


def test_sharpness_then_diagnostics_are_due_once_something_is_graded() -> None:
    no_sharpness = replace(COMPLETE, sharpness_rows=0, diagnostics_rows=0)
    assert first_gap(no_sharpness, NEXT_MORNING).step is Step.SHARPNESS  # type: ignore[union-attr]
    assert first_gap(replace(COMPLETE, diagnostics_rows=0), NEXT_MORNING).step is Step.DIAGNOSTICS  # type: ignore[union-attr]
    assert first_gap(replace(no_sharpness, graded=0), NEXT_MORNING) is None


def test_only_the_first_gap_of_a_date_counts_and_a_cycle_redrives_at_most_its_limit() -> None:
    # Features missing: predictions, grades and the rest follow the re-drive by themselves.
    nothing = replace(
        COMPLETE, feature_rows=0, champion_predicted_ready_rows=0, ungraded=120, sharpness_rows=0
    )
    assert first_gap(nothing, BEFORE_TIPOFF).step is Step.FEATURES  # type: ignore[union-attr]
    states = [
        replace(COMPLETE, game_date=DAY - timedelta(days=offset), sharpness_rows=0) for offset in range(3)
    ]
    redrive, left = gaps_to_redrive(states, NEXT_MORNING, limit=2)
    assert [g.game_date for g in redrive] == [DAY - timedelta(days=2), DAY - timedelta(days=1)]
    assert [g.game_date for g in left] == [DAY]


def test_the_watchdog_reports_missing_predictions_exactly_when_the_reconciler_stops_redriving_them() -> None:
    # One date seen by both rules: games, a champion, ready rows with a line and no prediction yet.
    unpredicted = replace(MORNING, champion_predicted_ready_rows=0)
    progress = [DateProgress(DAY, unpredicted.games, TIPOFF, predictions=0, graded=0)]
    just_before = TIPOFF - timedelta(seconds=1)
    gap = first_gap(unpredicted, just_before)
    assert gap is not None and gap.step is Step.PREDICTIONS and gap.redrivable
    assert overdue_dates(progress, just_before, DAY) == []
    late = first_gap(unpredicted, TIPOFF)
    assert late is not None and late.step is Step.PREDICTIONS and not late.redrivable
    assert [o.cause for o in overdue_dates(progress, TIPOFF, DAY)] == [PREDICTIONS_MISSING]


def test_missing_grades_are_redriven_before_the_watchdog_would_report_them() -> None:
    ungraded = replace(COMPLETE, ungraded=120, graded=0, voided=0, pending=0, sharpness_rows=0)
    progress = [DateProgress(DAY, ungraded.games, TIPOFF, predictions=120, graded=0)]
    due = grades_due_at(DAY)
    gap = first_gap(ungraded, due - timedelta(minutes=1))
    assert gap is not None and gap.step is Step.GRADES and gap.redrivable
    assert overdue_dates(progress, due - timedelta(minutes=1), DAY) == []
    assert [o.cause for o in overdue_dates(progress, due, DAY)] == [GRADES_MISSING]
