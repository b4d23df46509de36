"""Sharpness through SQL on DuckDB: numbers against hand-computed values, tiers, regime, idempotency."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.events import GradingComplete
from shared.runtime import handle_cloud_event
from shared.services.sharpness import graded_rows_with_tiers
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for

D = date(2026, 1, 20)


def _day(offset: int) -> date:
    return D - timedelta(days=offset)


def _history(deps, player: str, games: list[tuple[int, int, float]]) -> None:
    """Box-score games (days before D, points, minutes)."""
    for offset, points, minutes in games:
        fx.box_score(deps, f"H-{player}-{offset}", _day(offset), player, points, minutes)


def _season(deps) -> None:
    # Star: average of qualifying games before D = (26 + 24 + 33) / 3; the 5-minute game and the game
    # 70 days back do not count. Before D-3 the average is (26 + 24) / 2: a Star then too.
    _history(deps, "star", [(10, 26, 34.0), (20, 24, 30.0), (12, 2, 5.0), (70, 0, 30.0)])
    fx.box_score(deps, "G-D3", _day(3), "star", 33, 36.0)
    _history(deps, "starter", [(5, 15, 28.0), (6, 15, 28.0)])
    # Bench: 4 points in 12 minutes; the 20 points in 8 minutes must not count (it would make a
    # Rotation player).
    _history(deps, "bench", [(2, 4, 12.0), (4, 20, 8.0)])
    fx.accuracy(deps, D, "star", 27.0, 24.5, 30, "OVER")
    fx.accuracy(deps, D, "starter", 12.0, 15.5, 14, "UNDER")
    fx.accuracy(deps, D, "bench", 10.0, 4.5, 3, "OVER")
    fx.accuracy(deps, D, "rookie", 21.0, 20.0, 20, "OVER")  # no history: only in All; a push
    fx.accuracy(deps, D, "voided", 21.0, 20.0, 0, "OVER", grade_status="voided")  # never counted
    fx.accuracy(deps, _day(3), "star", 22.0, 23.5, 33, "UNDER")  # in the 7-day window
    fx.accuracy(deps, _day(7), "star", 22.0, 43.5, 3, "UNDER")  # one day outside the window


def _event(game_date: date = D) -> GradingComplete:
    return GradingComplete(
        game_date=game_date,
        run_id="run-1",
        produced_by="grading",
        produced_at=datetime(2026, 1, 21, 11, tzinfo=UTC),
        gradable=5,
        graded=4,
        voided=1,
        pending=0,
    )


def _rows(deps) -> dict[tuple[str, str], dict[str, Any]]:
    rows = deps.warehouse.query(
        "SELECT * FROM nba_predictions.vegas_sharpness_daily WHERE game_date = @d", {"d": D}
    )
    return {(r["tier"], r["system_id"]): r for r in rows}


def test_tiers_use_the_60_days_before_the_date_and_games_over_10_minutes(deps):
    _season(deps)
    fx.box_score(deps, "edge-60", _day(60), "boundary", 22, 30.0)  # day 60 counts
    fx.box_score(deps, "edge-61", _day(61), "boundary", 0, 30.0)  # day 61 does not
    fx.box_score(deps, "exactly-10", _day(8), "boundary", 0, 10.0)  # 10 minutes is not "over 10"
    fx.accuracy(deps, D, "boundary", 20.0, 19.5, 21, "OVER")

    rows = graded_rows_with_tiers(deps.warehouse, D, 7)

    tiers = {(r["player_id"], r["game_date"]): r["tier"] for r in rows}
    averages = {(r["player_id"], r["game_date"]): r["average_points"] for r in rows}
    assert averages[("star", D)] == pytest.approx(83 / 3)
    assert averages[("star", _day(3))] == pytest.approx(25.0)
    assert averages[("bench", D)] == pytest.approx(4.0)
    assert averages[("boundary", D)] == pytest.approx(22.0)
    assert {k: str(v) if v else None for k, v in tiers.items()} == {
        ("star", _day(3)): "Star",
        ("star", D): "Star",
        ("starter", D): "Starter",
        ("bench", D): "Bench",
        ("rookie", D): None,
        ("boundary", D): "Star",
    }


def test_sharpness_numbers_match_hand_computed_values(deps):
    _season(deps)

    outcome = handle_cloud_event(
        "sharpness", cloud_event_for("sharpness", "grading-complete", _event()), deps
    )

    assert outcome.status == "success"
    rows = _rows(deps)
    assert sorted(tier for tier, _ in rows) == ["All", "Bench", "Rotation", "Star", "Starter"]
    every = rows[("All", fx.SYSTEM)]
    # Vegas errors (line - actual): -5.5, 1.5, 1.5, 0.0. Model errors: -3, -2, 7, 1.
    assert (every["n_graded"], every["n_bets"], every["n_pushes"]) == (4, 4, 1)
    assert every["vegas_mae"] == pytest.approx(8.5 / 4)
    assert every["vegas_std"] == pytest.approx(math.sqrt(33.1875 / 3))
    assert (every["vegas_within_3"], every["vegas_within_5"]) == (pytest.approx(0.75), pytest.approx(0.75))
    assert every["model_mae"] == pytest.approx(13 / 4)
    assert every["model_std"] == pytest.approx(
        math.sqrt(((-3 - 0.75) ** 2 + 2.75**2 + 6.25**2 + 0.25**2) / 3)
    )
    assert (every["model_within_3"], every["model_within_5"]) == (pytest.approx(0.75), pytest.approx(0.75))
    # Only the star's 3 < 5.5 beats the line: 25%, below 45 -> VERY_SHARP.
    assert every["model_beats_vegas_pct"] == pytest.approx(25.0)
    assert every["sharpness_score"] == pytest.approx(25.0)
    assert every["sharpness_status"] == "VERY_SHARP"
    # Edges 2.5, -3.5, 5.5, 1.0.
    assert every["edge_3_plus_share"] == pytest.approx(0.5)
    assert every["edge_5_plus_share"] == pytest.approx(0.25)
    assert every["avg_abs_edge"] == pytest.approx(12.5 / 4)
    # Decided bets: star won, starter won (14 < 15.5), bench lost; the push is not decided.
    assert (every["win_rate"], every["win_rate_n"]) == (pytest.approx(2 / 3), 3)
    assert (every["high_edge_win_rate"], every["high_edge_win_rate_n"]) == (pytest.approx(0.0), 1)
    # 7-day Vegas MAE: today's 8.5 plus D-3's |23.5 - 33| = 9.5 over 5 rows = 3.6 -> TIGHT; D-7 is outside.
    assert (every["vegas_mae_7d"], every["vegas_mae_7d_n"]) == (pytest.approx(3.6), 5)
    assert every["market_regime"] == "TIGHT"
    star = rows[("Star", fx.SYSTEM)]
    assert (star["n_graded"], star["vegas_mae"], star["model_beats_vegas_pct"]) == (1, 5.5, 100.0)
    assert star["sharpness_status"] == "SOFT"
    assert (star["vegas_mae_7d"], star["market_regime"]) == (pytest.approx(7.5), "LOOSE")
    assert rows[("Bench", fx.SYSTEM)]["win_rate"] == 0.0
    empty = rows[("Rotation", fx.SYSTEM)]
    assert (empty["n_graded"], empty["vegas_mae"], empty["sharpness_status"], empty["market_regime"]) == (
        0,
        None,
        None,
        None,
    )


def test_each_system_gets_its_own_rows(deps):
    _season(deps)
    fx.accuracy(deps, D, "star", 31.0, 24.5, 30, "OVER", system_id="challenger_v2")
    handle_cloud_event("sharpness", cloud_event_for("sharpness", "grading-complete", _event()), deps)
    rows = _rows(deps)
    challenger = rows[("All", "challenger_v2")]
    assert (challenger["n_graded"], challenger["model_beats_vegas_pct"]) == (1, 100.0)
    assert rows[("All", fx.SYSTEM)]["n_graded"] == 4


def test_no_graded_rows_is_skipped(deps):
    outcome = handle_cloud_event(
        "sharpness", cloud_event_for("sharpness", "grading-complete", _event()), deps
    )
    assert outcome.status == "skipped"
    assert "no graded predictions" in outcome.detail


def test_redelivered_event_leaves_every_table_unchanged(deps):
    _season(deps)
    event = cloud_event_for("sharpness", "grading-complete", _event())
    handle_cloud_event("sharpness", event, deps)
    first = fx.table_contents(deps)
    handle_cloud_event("sharpness", event, deps)
    assert fx.table_contents(deps) == first
    assert len(first["nba_predictions.vegas_sharpness_daily"]) == 5
