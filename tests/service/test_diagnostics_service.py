"""Diagnostics through SQL on DuckDB: windows, ROI, CLV, calibration, completeness, gating, alerts,
idempotency."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.bootstrap import Dependencies
from shared.domain.metrics import wilson_interval
from shared.domain.season import season_start
from shared.domain.sharpness import MarketState, rolling_market_state
from shared.domain.thresholds import DEFAULT_THRESHOLDS, MarketChangeWindows
from shared.events import AlertRaised, GradingComplete
from shared.runtime import Outcome, handle_cloud_event
from shared.services.diagnostics import diagnose_date
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for

D = date(2026, 3, 1)


def _day(offset: int) -> date:
    return D - timedelta(days=offset)


def _event(game_date: date = D) -> GradingComplete:
    return GradingComplete(
        game_date=game_date,
        run_id="run-1",
        produced_by="grading",
        produced_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        gradable=1,
        graded=1,
        voided=0,
        pending=0,
    )


def _deliver(deps, event: Any = None) -> Outcome:
    return handle_cloud_event(
        "diagnostics", event or cloud_event_for("diagnostics", "grading-complete", _event()), deps
    )


def _row(deps: Dependencies, system_id: str = fx.SYSTEM) -> dict[str, Any]:
    rows = deps.warehouse.query(
        "SELECT * FROM nba_orchestration.performance_diagnostics_daily "
        "WHERE game_date = @d AND system_id = @s",
        {"d": D, "s": system_id},
    )
    assert len(rows) == 1
    return rows[0]


def _alerts(deps) -> list[AlertRaised]:
    return [event for topic, event in deps.bus.published if topic == "alerts"]  # type: ignore[misc]


def _bet(deps, offset: int, player: str, win: bool, **kwargs) -> None:
    actual = 25 if win else 15
    fx.accuracy(deps, _day(offset), player, 22.0, 20.5, actual, "OVER", **kwargs)


def test_hit_rate_windows_end_on_the_date_inclusive(deps):
    for offset, win in ((0, True), (6, False), (7, True), (13, True), (14, False), (29, True), (30, True)):
        _bet(deps, offset, f"p{offset}", win)
    fx.accuracy(deps, D, "push", 22.0, 20.0, 20, "OVER")  # a push is not decided
    fx.accuracy(deps, _day(1), "void", 22.0, 20.5, 0, "OVER", grade_status="voided")

    _deliver(deps)

    row = _row(deps)
    assert (row["hit_rate_7d"], row["hit_rate_7d_n"]) == (0.5, 2)
    assert (row["hit_rate_14d"], row["hit_rate_14d_n"]) == (0.75, 4)
    assert (row["hit_rate_30d"], row["hit_rate_30d_n"]) == (pytest.approx(4 / 6), 6)
    interval = wilson_interval(3, 4)
    assert interval is not None
    lower, upper = interval
    assert (row["hit_rate_14d_lower"], row["hit_rate_14d_upper"]) == (
        pytest.approx(lower),
        pytest.approx(upper),
    )
    assert row["hit_rate_14d_position"] == "straddles"
    assert row["break_even"] == pytest.approx(110 / 210)


def test_roi_clv_and_calibration_from_recorded_values(deps):
    fx.accuracy(deps, D, "a", 24.0, 20.5, 25, "OVER", over_price=150, closing_line=21.5, p_over=0.8)
    fx.accuracy(deps, D, "b", 17.0, 20.5, 15, "UNDER", under_price=-120, closing_line=21.5, p_over=0.3)
    fx.accuracy(deps, D, "c", 24.0, 20.5, 15, "OVER", closing_line=22.5, p_over=0.6)
    fx.accuracy(deps, D, "d", 24.0, 20.0, 20, "OVER", p_over=0.9)  # push: stake back, no calibration

    _deliver(deps)

    row = _row(deps)
    # +1.5 (won at +150) + 100/120 (won at -120) - 1 (lost) + 0 (push) over 4 stakes.
    assert row["roi_7d"] == pytest.approx((1.5 + 100 / 120 - 1.0) / 4)
    assert (row["roi_30d"], row["roi_30d_n"]) == (pytest.approx((1.5 + 100 / 120 - 1.0) / 4), 4)
    # CLV: OVER 21.5 - 20.5 = +1, UNDER 20.5 - 21.5 = -1, OVER 22.5 - 20.5 = +2.
    assert (row["clv_mean_recent"], row["clv_n"]) == (pytest.approx(2 / 3), 3)
    assert row["clv_positive_share_recent"] == pytest.approx(2 / 3)
    # Brier over a (0.8, over), b (0.3, under: 15 < 20.5), c (0.6, under).
    assert row["brier_recent"] == pytest.approx((0.2**2 + 0.3**2 + 0.6**2) / 3)
    assert row["calibration_n"] == 3
    # Model errors (predicted - actual) -1, 2, 9, 4; Vegas errors (line - actual) -4.5, 5.5, 5.5, 0.
    assert row["model_mae_recent"] == pytest.approx(16 / 4)
    assert row["model_bias_recent"] == pytest.approx(14 / 4)
    assert row["vegas_mae_recent"] == pytest.approx(15.5 / 4)
    assert row["model_beats_vegas_pct_recent"] == pytest.approx(50.0)
    assert (row["recent_n"], row["baseline_n"]) == (4, 0)


def test_completeness_lists_an_old_date_with_games_and_nothing_graded(deps):
    # Before the first prediction: owed nothing.
    fx.schedule(deps, "G-early", _day(50))
    # Old date: games and predictions, but no box scores, no lines and nothing graded.
    fx.schedule(deps, "G-old", _day(40))
    fx.prediction(deps, "G-old", _day(40), "a", 20.0, 18.5, "OVER")
    # A postponed game is owed nothing either.
    fx.schedule(deps, "G-ppd", _day(20), status="postponed")
    # Today: complete.
    fx.schedule(deps, f"G-{D}", D)
    fx.box_score(deps, f"G-{D}", D, "a", 25)
    fx.prediction(deps, f"G-{D}", D, "a", 22.0, 20.5, "OVER")
    fx.line_snapshot(deps, f"G-{D}", D, "a", "DraftKings", 20.5, fx.tipoff(D) - timedelta(hours=2))
    _bet(deps, 0, "a", True)

    _deliver(deps)

    row = _row(deps)
    assert row["season_start"] == date(2025, 8, 1)
    assert (row["scheduled_games"], row["box_score_games"], row["predictions"], row["graded"]) == (1, 1, 1, 1)
    assert (row["problem_date_count"], row["oldest_problem_date"]) == (1, _day(40))
    assert json.loads(row["problem_dates"]) == [
        {
            "game_date": _day(40).isoformat(),
            "games": 1,
            "box_score_games": 0,
            "predictions": 1,
            "graded": 0,
            "problems": ["nothing_graded", "box_scores_missing", "lines_missing"],
        }
    ]
    assert row["root_cause"] == "DATA_QUALITY"
    assert row["root_cause_confidence"] == 1.0
    assert row["alert_level"] == "CRITICAL"  # older than two days
    assert any("re-run grading for " + _day(40).isoformat() in r for r in json.loads(row["recommendations"]))
    alerts = _alerts(deps)
    assert [(a.level, a.kind, a.dedupe_key) for a in alerts] == [
        ("CRITICAL", "performance", "performance|all-systems|DATA_QUALITY|CRITICAL")
    ]


def test_season_start_is_august_first():
    assert season_start(date(2026, 3, 1)) == date(2025, 8, 1)
    assert season_start(date(2025, 10, 21)) == date(2025, 8, 1)
    assert season_start(date(2025, 7, 31)) == date(2024, 8, 1)


def test_a_bad_small_sample_is_gated_at_info(deps):
    for i in range(20):
        _bet(deps, i % 7, f"p{i}", False)

    _deliver(deps)

    row = _row(deps)
    assert row["hit_rate_7d"] == 0.0 and row["hit_rate_7d_position"] == "below"
    assert row["alert_level"] == "INFO"
    assert row["gated_by_sample_size"] is True
    assert _alerts(deps) == []


def test_a_bad_sample_above_the_minimum_alerts(deps):
    for i in range(120):
        _bet(deps, i % 7, f"p{i}", i % 4 == 0)  # 30 wins of 120: 25%

    outcome = _deliver(deps)

    row = _row(deps)
    assert row["hit_rate_7d_n"] == 120
    assert row["alert_level"] == "CRITICAL"  # 7, 14 and 30-day intervals all below break-even
    assert row["gated_by_sample_size"] is False
    assert outcome.published == ("alerts",)
    (alert,) = _alerts(deps)
    assert alert.level == "CRITICAL" and alert.system_id == fx.SYSTEM
    assert "reduce or pause bets" in " ".join(alert.recommendations)


# Small minimums so a handful of fixture rows is a "full" window; the windows keep their default lengths
# (sharpness status over 14 days, regime over 7).
SMALL_WINDOWS = replace(
    DEFAULT_THRESHOLDS, market_changes=MarketChangeWindows(status_min_rows=2, regime_min_rows=2)
)


def test_rolling_sharpness_status_and_regime_changes_raise_info_alerts(deps):
    # Previous graded date D-14: the model beats the line (SOFT); Vegas errors of 1 -> TIGHT.
    for player in ("a", "b"):
        fx.accuracy(deps, _day(14), player, 20.0, 21.0, 20, "UNDER")
    # Today: the line is far better than the model (VERY_SHARP); Vegas errors of 20 -> LOOSE. D-14 is outside
    # both of today's windows ([D-13, D] and [D-6, D]), so today's state is today's rows alone.
    for player in ("a", "b"):
        fx.accuracy(deps, D, player, 2.0, 20.0, 40, "UNDER")

    (result,) = diagnose_date(deps.warehouse, D, SMALL_WINDOWS)

    assert result.previous_graded_date == _day(14)
    assert (result.previous_market.status, result.market.status) == ("SOFT", "VERY_SHARP")
    assert (result.previous_market.regime, result.market.regime) == ("TIGHT", "LOOSE")
    assert (result.market.status_score, result.market.status_n) == (0.0, 2)
    assert (result.market.regime_mae, result.market.regime_n) == (20.0, 2)
    keys = sorted(a["dedupe_key"] for a in result.alerts())
    assert keys == [
        "market_regime|all-systems|TIGHT->LOOSE|INFO",
        f"sharpness_status|{fx.SYSTEM}|SOFT->VERY_SHARP|INFO",
    ]


def test_a_market_regime_change_is_one_message_whatever_the_number_of_systems(deps):
    # The regime is the line's own error, on the same lines for every system: each system's diagnosis raised
    # it under its own key, so every change went out once per system (`make run`: 16 of its 30 INFO alerts
    # were 8 regime changes, each twice).
    players = [f"p{i:03d}" for i in range(310)]  # over the 300 lined rows a known regime needs
    rows = []
    for system in (fx.SYSTEM, "other_system"):
        # D-14: Vegas misses by 1 point (TIGHT); D: by 20 (LOOSE), each day alone in its 7-day window.
        rows += [fx.accuracy_row(_day(14), p, 20.0, 21.0, 20, "UNDER", system_id=system) for p in players]
        rows += [fx.accuracy_row(D, p, 2.0, 20.0, 40, "UNDER", system_id=system) for p in players]
    deps.warehouse.replace_rows(
        "nba_predictions.prediction_accuracy", rows, ["game_date", "player_id", "system_id"]
    )

    _deliver(deps)

    regime = [alert for alert in _alerts(deps) if alert.kind == "market_regime"]
    assert [alert.dedupe_key for alert in regime] == ["market_regime|all-systems|TIGHT->LOOSE|INFO"]
    assert regime[0].title == f"Market: Rolling market regime changed TIGHT -> LOOSE on {D}"


def test_one_bad_day_does_not_flip_the_rolling_status(deps):
    # Six days on which the model beats the line (model error 0, Vegas error 5)...
    for offset in range(1, 7):
        for player in ("a", "b"):
            fx.accuracy(deps, _day(offset), player, 20.0, 25.0, 20, "UNDER")
    # ...then one day the line wins (model error 10 vs 5): alone it is VERY_SHARP, the 14 days are 12/14 SOFT.
    for player in ("a", "b"):
        fx.accuracy(deps, D, player, 30.0, 25.0, 20, "OVER")

    (result,) = diagnose_date(deps.warehouse, D, SMALL_WINDOWS)

    assert result.market.status_score == pytest.approx(100.0 * 12 / 14)
    assert (result.previous_market.status, result.market.status) == ("SOFT", "SOFT")
    assert (result.previous_market.regime, result.market.regime) == ("NORMAL", "NORMAL")  # Vegas MAE 5.0
    assert [a for a in result.alerts() if a["kind"] != "performance"] == []
    _deliver(deps)
    row = _row(deps)
    assert (row["previous_sharpness_status"], row["sharpness_status"]) == (None, None)  # default minimums


def test_market_state_below_the_minimum_rows_is_unknown_and_never_alerts(deps):
    fx.accuracy(deps, _day(1), "a", 20.0, 21.0, 20, "UNDER")
    fx.accuracy(deps, D, "a", 2.0, 20.0, 40, "UNDER")
    one_row = replace(
        DEFAULT_THRESHOLDS, market_changes=MarketChangeWindows(status_min_rows=3, regime_min_rows=3)
    )

    (result,) = diagnose_date(deps.warehouse, D, one_row)

    assert result.market == MarketState(None, None, 50.0, 2, 10.5, 2)  # one win and one loss, errors 1 and 20
    assert result.previous_market.status is None and result.previous_market.regime is None
    assert [a for a in result.alerts() if a["kind"] != "performance"] == []


def test_rolling_market_state_windows_end_on_the_date_inclusive():
    def row(offset: int, predicted: float, line: float | None, actual: int | None) -> dict[str, Any]:
        return {
            "game_date": _day(offset),
            "predicted_points": predicted,
            "line_value": line,
            "actual_points": actual,
        }

    rows = [
        row(14, 20.0, 25.0, 20),  # outside the 14-day status window [D-13, D]
        row(13, 20.0, 25.0, 20),  # status window only: model wins, Vegas error 5
        row(7, 20.0, 25.0, 20),  # status window only (the regime window is [D-6, D])
        row(6, 30.0, 22.0, 20),  # both windows: model loses, Vegas error 2
        row(0, 30.0, 24.0, 20),  # both windows: model loses, Vegas error 4
        row(0, 30.0, None, 20),  # no line: ignored
        row(-1, 20.0, 25.0, 20),  # after the date: ignored
    ]
    state = rolling_market_state(rows, D, SMALL_WINDOWS)
    assert (state.status_n, state.status_score) == (4, 50.0)
    assert state.status == "NORMAL"  # 50 is the lower edge of NORMAL
    assert (state.regime_n, state.regime_mae) == (2, 3.0)
    assert state.regime == "TIGHT"


def test_every_system_is_diagnosed(deps):
    _bet(deps, 0, "a", True)
    _bet(deps, 3, "a", True, system_id="challenger_v2")
    results = diagnose_date(deps.warehouse, D)
    assert [r.system_id for r in results] == ["catboost_points_v1", "challenger_v2"]


def test_redelivered_event_leaves_every_table_unchanged(deps):
    fx.schedule(deps, "G-old", _day(40))
    fx.prediction(deps, "G-old", _day(40), "a", 20.0, 18.5, "OVER")
    for i in range(30):
        _bet(deps, i % 10, f"p{i}", i % 2 == 0)
    event = cloud_event_for("diagnostics", "grading-complete", _event())
    _deliver(deps, event)
    first = fx.table_contents(deps)
    _deliver(deps, event)
    assert fx.table_contents(deps) == first
    assert len(first["nba_orchestration.performance_diagnostics_daily"]) == 1
