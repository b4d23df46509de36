"""Grading end to end through SQL on DuckDB: every rule, the closing line, coverage and idempotency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.errors import MissingRowsError
from shared.events import BoxscoresLoaded, GradingComplete, ScheduledRun
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import handle_cloud_event
from shared.services.grading import grade_date, grading_date
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for

D = date(2026, 1, 9)
GRADED_AT = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)


def _rows(deps) -> dict[tuple[str, str], dict[str, Any]]:
    rows = deps.warehouse.query(
        "SELECT * FROM nba_predictions.prediction_accuracy ORDER BY player_id, system_id"
    )
    return {(r["player_id"], r["system_id"]): r for r in rows}


def _boxscores_event(game_date: date = D) -> BoxscoresLoaded:
    return BoxscoresLoaded(
        game_date=game_date,
        run_id="run-1",
        produced_by="ingest",
        produced_at=GRADED_AT,
        source_object="box.csv",
        rows_loaded=10,
        rows_rejected=0,
    )


def test_bets_are_graded_with_errors_margins_and_results(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "over_win", 25)
    fx.box_score(deps, "G1", D, "under_loss", 21)
    fx.box_score(deps, "G1", D, "push", 20)
    fx.box_score(deps, "G1", D, "pass", 10)
    fx.prediction(deps, "G1", D, "over_win", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "under_loss", 16.0, 20.5, "UNDER")
    fx.prediction(deps, "G1", D, "push", 24.0, 20.0, "OVER")
    fx.prediction(deps, "G1", D, "pass", 14.5, 13.5, "PASS")

    report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    assert (report.gradable, report.graded, report.voided, report.pending) == (4, 4, 0, 0)
    rows = _rows(deps)
    win = rows[("over_win", fx.SYSTEM)]
    assert win["grade_status"] == "graded"
    assert win["actual_points"] == 25
    assert win["absolute_error"] == pytest.approx(2.0)
    assert win["signed_error"] == pytest.approx(-2.0)
    assert win["line_margin"] == pytest.approx(4.5)
    assert win["prediction_margin"] == pytest.approx(2.5)
    assert (win["within_3"], win["within_5"]) == (True, True)
    assert (win["is_correct"], win["is_push"], win["is_voided"]) == (True, False, False)
    assert win["graded_at"] == GRADED_AT
    assert win["line_value"] == 20.5 and win["line_bookmaker"] == "DraftKings"
    assert win["p_over"] == pytest.approx(0.6) and win["edge"] == pytest.approx(2.5)
    loss = rows[("under_loss", fx.SYSTEM)]
    assert loss["is_correct"] is False
    assert loss["absolute_error"] == pytest.approx(5.0)
    assert (loss["within_3"], loss["within_5"]) == (False, True)
    push = rows[("push", fx.SYSTEM)]
    assert (push["is_correct"], push["is_push"]) == (None, True)
    passed = rows[("pass", fx.SYSTEM)]
    assert (passed["grade_status"], passed["is_correct"], passed["is_push"]) == ("graded", None, False)
    assert passed["absolute_error"] == pytest.approx(4.5)


def test_only_the_current_prediction_with_a_real_line_is_graded(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 30)
    fx.box_score(deps, "G1", D, "b", 30)
    early = fx.tipoff(D) - timedelta(hours=6)
    fx.prediction(deps, "G1", D, "a", 20.0, 25.5, "UNDER", created_at=early)
    fx.prediction(deps, "G1", D, "a", 31.0, 26.5, "OVER", created_at=early + timedelta(hours=2))
    fx.prediction(deps, "G1", D, "b", 18.0, None, "NO_LINE")  # NO_PROP_LINE: never graded

    report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    rows = _rows(deps)
    assert report.gradable == 1
    assert list(rows) == [("a", fx.SYSTEM)]
    assert rows[("a", fx.SYSTEM)]["line_value"] == 26.5
    assert rows[("a", fx.SYSTEM)]["is_correct"] is True


def test_dnp_void_reason_comes_from_the_latest_injury_report_before_tip_off(deps):
    fx.schedule(deps, "G1", D)
    tip = fx.tipoff(D)
    for player in ("out", "late", "unknown", "zero_minutes"):
        fx.prediction(deps, "G1", D, player, 20.0, 18.5, "OVER")
    fx.box_score(deps, "G1", D, "out", 0, minutes=0, status="dnp")
    fx.box_score(deps, "G1", D, "late", 0, minutes=0, status="inactive")
    fx.box_score(deps, "G1", D, "unknown", 0, minutes=0, status="dnp")
    fx.box_score(deps, "G1", D, "zero_minutes", 0, minutes=0, status="played")
    fx.injury(deps, D, "out", "QUESTIONABLE", tip - timedelta(hours=8))
    fx.injury(deps, D, "out", "OUT", tip - timedelta(hours=2))
    fx.injury(deps, D, "late", "QUESTIONABLE", tip - timedelta(hours=1))
    fx.injury(deps, D, "late", "OUT", tip + timedelta(minutes=20))  # after tip-off: must not count
    fx.injury(deps, D, "unknown", "OUT", tip + timedelta(minutes=5))  # after tip-off only

    report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    rows = _rows(deps)
    assert report.voided == 4 and report.graded == 0
    reasons = {player: rows[(player, fx.SYSTEM)]["void_reason"] for player, _ in rows}
    assert reasons == {
        "out": "dnp_injury_confirmed",
        "late": "dnp_late_scratch",
        "unknown": "dnp_unknown",
        "zero_minutes": "dnp_unknown",
    }
    assert rows[("late", fx.SYSTEM)]["pre_game_injury_status"] == "QUESTIONABLE"
    assert all(r["is_voided"] and r["is_correct"] is None for r in rows.values())


def test_postponed_game_is_voided(deps):
    fx.schedule(deps, "G1", D, status="postponed")
    fx.prediction(deps, "G1", D, "a", 20.0, 18.5, "OVER")
    grade_date(deps.warehouse, D, GRADED_AT, deps.settings)
    row = _rows(deps)[("a", fx.SYSTEM)]
    assert (row["grade_status"], row["void_reason"], row["is_voided"]) == ("voided", "game_postponed", True)


def test_player_missing_from_final_box_score_is_pending_and_reported(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "present", 12)
    fx.prediction(deps, "G1", D, "present", 20.0, 18.5, "OVER")
    fx.prediction(deps, "G1", D, "missing", 20.0, 18.5, "OVER")

    report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    assert (report.graded, report.pending) == (1, 1)
    assert "missing" in report.summary and "player_missing_from_box_score" in report.summary
    row = _rows(deps)[("missing", fx.SYSTEM)]
    assert (row["grade_status"], row["pending_reason"], row["is_correct"]) == (
        "pending",
        "player_missing_from_box_score",
        None,
    )


def test_closing_line_is_the_line_policy_at_tip_off(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 25)
    tip = fx.tipoff(D)
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 20.5, tip - timedelta(hours=5))
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 21.5, tip - timedelta(minutes=10))
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 24.5, tip + timedelta(minutes=1), is_in_game=True)
    fx.line_snapshot(deps, "G1", D, "a", "FanDuel", 22.5, tip - timedelta(minutes=1))

    grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    row = _rows(deps)[("a", fx.SYSTEM)]
    assert (row["closing_line"], row["closing_bookmaker"]) == (21.5, "DraftKings")
    assert row["closing_snapshot_at"] == tip - timedelta(minutes=10)


def test_a_prediction_that_lost_its_line_is_removed_on_regrade(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 25)
    early = fx.tipoff(D) - timedelta(hours=6)
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER", created_at=early)
    fx.prediction(deps, "G1", D, "b", 23.0, 20.5, "OVER", created_at=early)
    grade_date(deps.warehouse, D, GRADED_AT, deps.settings)
    fx.prediction(deps, "G1", D, "a", 23.0, None, "NO_LINE", created_at=early + timedelta(hours=1))

    report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)

    assert report.stale_removed == 1
    assert list(_rows(deps)) == [("b", fx.SYSTEM)]


def test_grading_date_is_resolved_in_us_eastern():
    late_night = datetime(2026, 1, 10, 4, 30, tzinfo=UTC)  # 23:30 ET on Jan 9
    morning = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)  # 06:00 ET on Jan 10
    run = ScheduledRun(schedule="grading-safety-net", relative_day="yesterday")
    assert grading_date(run, morning) == date(2026, 1, 9)
    assert grading_date(run, late_night) == date(2026, 1, 8)
    pinned = ScheduledRun(schedule="grading-safety-net", relative_day="yesterday", game_date=date(2026, 1, 2))
    assert grading_date(pinned, morning) == date(2026, 1, 2)
    assert grading_date(_boxscores_event(date(2026, 1, 5)), morning) == date(2026, 1, 5)


def test_scheduled_run_grades_yesterday_and_publishes_grading_complete(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 0, minutes=0, status="dnp")
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "b", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "c", 23.0, 20.5, "OVER")
    run = ScheduledRun(schedule="grading-safety-net", relative_day="yesterday")
    data, attributes = encode("grading-requested", run)
    event = pubsub_cloud_event(
        "courtside-local", "grading-requested", "grading-on-schedule", data, attributes, "m1", GRADED_AT
    )

    outcome = handle_cloud_event("grading", event, deps)

    assert outcome.status == "success" and outcome.game_date == D
    assert outcome.published == ("grading-complete",)
    _, published = deps.bus.published[-1]
    assert isinstance(published, GradingComplete)
    assert (published.gradable, published.graded, published.voided, published.pending) == (3, 1, 1, 1)
    assert _rows(deps)[("a", fx.SYSTEM)]["graded_at"] == GRADED_AT


def test_no_predictions_is_skipped_with_the_reason(deps):
    fx.schedule(deps, "G1", D)
    outcome = handle_cloud_event(
        "grading", cloud_event_for("grading", "boxscores-loaded", _boxscores_event()), deps
    )
    assert outcome.status == "skipped"
    assert "nothing to grade" in outcome.detail
    assert outcome.published == ()


def test_nothing_gradable_yet_raises_so_pubsub_retries(deps):
    fx.schedule(deps, "G1", D, status="scheduled")
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    with pytest.raises(MissingRowsError):
        handle_cloud_event(
            "grading", cloud_event_for("grading", "boxscores-loaded", _boxscores_event()), deps
        )
    assert _rows(deps)[("a", fx.SYSTEM)]["pending_reason"] == "game_not_final"


def test_redelivered_event_leaves_every_table_unchanged(deps):
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 0, minutes=0, status="dnp")
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "b", 23.0, 20.5, "OVER")
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 21.5, fx.tipoff(D) - timedelta(minutes=10))
    event = cloud_event_for("grading", "boxscores-loaded", _boxscores_event())

    handle_cloud_event("grading", event, deps)
    first = fx.table_contents(deps)
    handle_cloud_event("grading", event, deps)

    assert fx.table_contents(deps) == first
    assert len(first["nba_predictions.prediction_accuracy"]) == 2
