"""Pure rules of shared/domain/diagnostic_signals.py: windows, hit rates, ROI at recorded prices, CLV,
calibration pairs and completeness; and the window thresholds behind them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared.domain.diagnostic_signals import (
    DatedProblems,
    calibration_pairs,
    closing_line_values,
    in_window,
    roi_at_recorded_prices,
    season_completeness,
    window_hit_rate,
)
from shared.domain.thresholds import DEFAULT_THRESHOLDS, DiagnosisWindows

D = date(2026, 3, 1)


def _day(offset: int) -> date:
    return D - timedelta(days=offset)


def _bet(
    recommendation: str = "OVER",
    is_correct: bool | None = True,
    is_push: bool = False,
    over_price: int | None = None,
    under_price: int | None = None,
    offset: int = 0,
) -> dict[str, Any]:
    return {
        "game_date": _day(offset),
        "recommendation": recommendation,
        "is_correct": is_correct,
        "is_push": is_push,
        "over_price": over_price,
        "under_price": under_price,
    }


def test_windows_end_on_the_date_inclusive_and_the_baseline_skips_the_recent_days() -> None:
    assert in_window({"game_date": D}, D, 7)
    assert in_window({"game_date": _day(6)}, D, 7)
    assert not in_window({"game_date": _day(7)}, D, 7)
    assert not in_window({"game_date": _day(-1)}, D, 7)
    assert in_window({"game_date": _day(7)}, D, 30, skip_days=7)  # [D-36, D-7]
    assert in_window({"game_date": _day(36)}, D, 30, skip_days=7)
    assert not in_window({"game_date": _day(37)}, D, 30, skip_days=7)
    assert not in_window({"game_date": _day(6)}, D, 30, skip_days=7)


def test_window_hit_rate_counts_decided_bets_in_the_window_only() -> None:
    rows = [
        _bet(is_correct=True, offset=0),
        _bet(is_correct=False, offset=6),
        _bet(is_correct=None, is_push=True, offset=1),  # push: not decided
        _bet(is_correct=True, offset=7),  # outside 7 days
    ]
    week = window_hit_rate(rows, D, 7)
    assert (week.wins, week.n, week.rate) == (1, 2, 0.5)
    fortnight = window_hit_rate(rows, D, 14)
    assert (fortnight.wins, fortnight.n) == (2, 3)
    assert week.break_even == DEFAULT_THRESHOLDS.betting.break_even_probability


def test_roi_pays_the_recorded_price_and_falls_back_to_standard_odds() -> None:
    rows = [
        _bet("OVER", True, over_price=150, under_price=-200),  # +1.5 (the OVER price)
        _bet("UNDER", True, over_price=150, under_price=-200),  # +0.5 (the UNDER price)
        _bet("OVER", True),  # no price: -110 pays 100/110
        _bet("UNDER", False, under_price=-120),  # -1
        _bet("OVER", None, is_push=True),  # push: staked, stake returned
        _bet("PASS", None),  # not a bet
    ]
    roi, staked = roi_at_recorded_prices(rows)
    assert staked == 5
    assert roi == pytest.approx((1.5 + 0.5 + 100 / 110 - 1.0) / 5)
    assert roi_at_recorded_prices([_bet("PASS", None)]) == (None, 0)


def test_clv_and_calibration_pairs_skip_what_they_cannot_judge() -> None:
    columns = ("recommendation", "line_value", "closing_line", "p_over", "actual_points")
    rows = [
        dict(zip(columns, values, strict=True))
        for values in (
            ("OVER", 20.5, 21.5, 0.7, 25),
            ("UNDER", 20.5, 21.5, 0.4, 18),
            ("PASS", 20.5, 19.5, 0.5, 20),
            ("OVER", 20.0, None, 0.6, 20),
            ("NO_LINE", None, None, None, 9),
        )
    ]
    assert closing_line_values(rows) == [1.0, -1.0]  # PASS has no CLV; no closing line, no CLV
    # The push (actual == line) and the row without a line are not calibration evidence.
    assert calibration_pairs(rows) == ([0.7, 0.4, 0.5], [True, False, False])


def _dated(
    offset: int, games: int = 5, box: int = 5, predictions: int = 80, graded: int = 80
) -> DatedProblems:
    return DatedProblems(_day(offset), games, box, predictions, predictions, graded, line_snapshots=400)


def test_dated_problems() -> None:
    assert _dated(0).problems == ()
    assert _dated(0, box=4, graded=0).problems == ("nothing_graded", "box_scores_missing")
    assert _dated(0, predictions=0, graded=0).problems == ("nothing_graded", "predictions_missing")
    no_lines = DatedProblems(D, 5, 5, 80, 0, 80, line_snapshots=0)
    assert no_lines.problems == ("lines_missing",)
    assert DatedProblems(D, 0, 0, 0, 0, 0, 0).problems == ()  # no games, nothing owed


def test_dates_before_the_first_prediction_are_owed_nothing_later_ones_however_old() -> None:
    start = _day(100)
    dated = [_dated(90, graded=0), _dated(60, graded=0), _dated(1), _dated(0, box=3)]
    completeness = season_completeness(start, D, dated, first_prediction_date=_day(70))
    assert [p.game_date for p in completeness.problem_dates] == [_day(60), D]
    assert completeness.today == dated[-1]
    assert completeness.domain().ungraded_dates == (_day(60),)
    assert completeness.domain().missing_box_score_dates == (D,)
    # No prediction yet in the season: only the date itself is owed.
    assert [p.game_date for p in season_completeness(start, D, dated, None).problem_dates] == [D]
    assert season_completeness(start, D, [], None).today is None


def test_diagnosis_windows() -> None:
    windows = DEFAULT_THRESHOLDS.windows
    assert (windows.hit_rate_days, windows.recent_days, windows.baseline_days) == ((7, 14, 30), 7, 30)
    assert windows.longest_days == 37 and windows.roi_long_days == 30
    assert DiagnosisWindows(hit_rate_days=(7, 14, 60)).longest_days == 60
    with pytest.raises(ValueError):
        DiagnosisWindows(hit_rate_days=(14, 7, 30))
    with pytest.raises(ValueError):
        DiagnosisWindows(recent_days=0)
