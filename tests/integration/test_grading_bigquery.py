"""Grading on DuckDB and on BigQuery (bqemulator): its one read of the predictions carries each player's
pre-tip-off line snapshots as an ARRAY<STRUCT> column (grading/gradable_predictions.sql), and both engines
must give the same closing lines, including the NULL array of a player without snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.bootstrap import Dependencies
from shared.job_labels import labelled
from shared.services.grading import grade_date
from tests import postgame_fixtures as fx

pytestmark = pytest.mark.integration

D = date(2026, 1, 9)
GRADED_AT = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
SHADOW = "catboost_points_v2"


@pytest.fixture
def deps(either_deps: Dependencies) -> Dependencies:
    return either_deps


def test_closing_lines_and_jobs_are_the_same_on_both_engines(deps: Dependencies) -> None:
    tip = fx.tipoff(D)
    fx.schedule(deps, "G1", D)
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 12)
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "a", 24.0, 20.5, "OVER", system_id=SHADOW)
    fx.prediction(deps, "G1", D, "b", 16.0, 20.5, "UNDER")  # no snapshot of its own: no closing line
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 20.5, tip - timedelta(hours=5))
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 21.5, tip - timedelta(minutes=10))
    fx.line_snapshot(deps, "G1", D, "a", "DraftKings", 24.5, tip + timedelta(minutes=1), is_in_game=True)
    fx.line_snapshot(deps, "G1", D, "a", "FanDuel", 22.5, tip - timedelta(minutes=1))
    counts = deps.warehouse.statements  # type: ignore[attr-defined]
    counts.reset()

    with labelled("grading", "boxscores-loaded", "r1"):
        report = grade_date(deps.warehouse, D, GRADED_AT, deps.settings)
    jobs = counts.snapshot()

    assert (report.graded, report.pending) == (3, 0)
    rows = deps.warehouse.query(
        "SELECT player_id, system_id, closing_line, closing_bookmaker, closing_snapshot_at "
        "FROM nba_predictions.prediction_accuracy WHERE game_date = @d ORDER BY player_id, system_id",
        {"d": D},
    )
    closing = tip - timedelta(minutes=10)
    assert [(r["player_id"], r["system_id"], r["closing_line"], r["closing_bookmaker"]) for r in rows] == [
        ("a", fx.SYSTEM, 21.5, "DraftKings"),
        ("a", SHADOW, 21.5, "DraftKings"),
        ("b", fx.SYSTEM, None, None),
    ]
    assert [r["closing_snapshot_at"] for r in rows] == [closing, closing, None]
    # The predictions with their closing snapshots, the stored grades, the MERGE.
    assert jobs == {("grading", "read"): 2, ("grading", "write"): 1}
