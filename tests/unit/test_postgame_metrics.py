"""Metrics against published reference values and hand-computed results."""

from __future__ import annotations

import math

import pytest
from scipy import optimize, stats  # type: ignore[import-untyped]

from shared.domain.metrics import (
    BreakEvenPosition,
    brier_score,
    closing_line_value,
    error_std,
    expected_calibration_error,
    hit_rate,
    hit_rate_from_results,
    log_loss,
    mean_absolute_error,
    mean_signed_error,
    model_beats_vegas,
    model_beats_vegas_share,
    roi,
    summarise_errors,
    wilson_interval,
    win_profit_per_unit,
    within_share,
    z_for_confidence,
)
from shared.domain.thresholds import BREAK_EVEN_110
from shared.domain.vocabulary import Recommendation


def test_z_matches_scipy() -> None:
    assert z_for_confidence(0.95) == pytest.approx(stats.norm.ppf(0.975), abs=1e-9)
    assert z_for_confidence(0.90) == pytest.approx(1.644854, abs=1e-6)


def test_wilson_reference_values() -> None:
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    # The extremes are exact, not merely close.
    assert (wilson_interval(0, 10) or (math.nan, math.nan))[0] == 0.0
    assert (wilson_interval(10, 10) or (math.nan, math.nan))[1] == 1.0


def _score_test_bounds(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """Independent route: the Wilson interval is the set of p the score test does not reject, so each bound
    solves |p_hat - p| = z * sqrt(p (1 - p) / n); find the roots numerically."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p_hat = successes / n

    def gap(p: float) -> float:
        return abs(p_hat - p) - z * math.sqrt(p * (1 - p) / n)

    lower = 0.0 if successes == 0 else float(optimize.brentq(gap, 1e-12, p_hat))
    upper = 1.0 if successes == n else float(optimize.brentq(gap, p_hat, 1 - 1e-12))
    return lower, upper


@pytest.mark.parametrize(
    ("successes", "n", "confidence"),
    [(1, 10, 0.95), (52, 100, 0.95), (160, 300, 0.95), (7, 9, 0.90), (499, 1000, 0.99), (3, 4, 0.80)],
)
def test_wilson_matches_score_test_inversion(successes: int, n: int, confidence: float) -> None:
    expected_lower, expected_upper = _score_test_bounds(successes, n, confidence)
    interval = wilson_interval(successes, n, confidence)
    assert interval is not None
    assert interval[0] == pytest.approx(expected_lower, abs=1e-9)
    assert interval[1] == pytest.approx(expected_upper, abs=1e-9)


def test_wilson_empty_and_invalid() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(1, 10, confidence=1.0)


def test_break_even_at_minus_110() -> None:
    assert BREAK_EVEN_110 == pytest.approx(0.5238095, abs=1e-7)


def test_hit_rate_positions() -> None:
    above = hit_rate(80, 100)
    assert above.rate == pytest.approx(0.8)
    assert above.position is BreakEvenPosition.ABOVE
    assert above.losses == 20
    below = hit_rate(30, 100)
    assert below.position is BreakEvenPosition.BELOW
    assert below.upper is not None and below.upper < BREAK_EVEN_110
    # 52/100 is below break-even as a point estimate but the interval (0.42, 0.62) straddles it.
    assert hit_rate(52, 100).position is BreakEvenPosition.STRADDLES


def test_hit_rate_empty() -> None:
    empty = hit_rate(0, 0)
    assert (empty.n, empty.rate, empty.lower, empty.upper, empty.position) == (0, None, None, None, None)


def test_hit_rate_from_results_skips_pushes() -> None:
    result = hit_rate_from_results([True, False, None, True, None])
    assert (result.wins, result.n) == (2, 3)


def test_win_profit_per_unit() -> None:
    assert win_profit_per_unit(-110) == pytest.approx(100 / 110)
    assert win_profit_per_unit(-200) == pytest.approx(0.5)
    assert win_profit_per_unit(150) == pytest.approx(1.5)
    with pytest.raises(ValueError):
        win_profit_per_unit(50)


def test_roi() -> None:
    # 11-10 at -110 is exactly break-even: 11 * 100/110 = 10 = losses.
    assert roi(11, 10) == pytest.approx(0.0)
    # 3 wins, 1 loss, 1 push: (3 * 0.90909 - 1) / 5 staked.
    assert roi(3, 1, pushes=1) == pytest.approx((3 * 100 / 110 - 1) / 5)
    assert roi(2, 2, american_odds=150) == pytest.approx(0.25)
    assert roi(0, 0) is None


def test_error_metrics() -> None:
    errors = [2.0, -1.0, 4.0, -3.0]
    assert mean_absolute_error(errors) == pytest.approx(2.5)
    assert mean_signed_error(errors) == pytest.approx(0.5)
    assert error_std(errors) == pytest.approx(math.sqrt(29 / 3))  # squared deviations sum to 29, n - 1 = 3
    assert within_share(errors, 3.0) == pytest.approx(0.75)  # |3| counts (inclusive)
    summary = summarise_errors(errors)
    assert summary.n == 4
    assert summary.mae == pytest.approx(2.5)
    assert summary.within_5 == pytest.approx(1.0)


def test_error_metrics_empty_and_single() -> None:
    empty = summarise_errors([])
    assert (empty.n, empty.mae, empty.bias, empty.std, empty.within_3, empty.within_5) == (
        0,
        None,
        None,
        None,
        None,
        None,
    )
    single = summarise_errors([1.5])
    assert single.mae == pytest.approx(1.5)
    assert single.std is None


def test_log_loss() -> None:
    # -(ln 0.8 + ln 0.7 + ln 0.4) / 3; a certain miss is clipped, finite.
    expected = -(math.log(0.8) + math.log(0.7) + math.log(0.4)) / 3
    assert log_loss([0.8, 0.3, 0.6], [True, False, False]) == pytest.approx(expected)
    assert log_loss([], []) is None
    assert math.isfinite(log_loss([1.0], [False]) or math.inf)
    with pytest.raises(ValueError):
        log_loss([1.2], [True])


def test_brier_score() -> None:
    # (0.2^2 + 0.3^2 + 0.6^2) / 3 = 0.49 / 3
    assert brier_score([0.8, 0.3, 0.6], [True, False, False]) == pytest.approx(0.49 / 3)
    assert brier_score([], []) is None
    with pytest.raises(ValueError):
        brier_score([1.2], [True])
    with pytest.raises(ValueError):
        brier_score([0.5, 0.5], [True])


def test_expected_calibration_error_ten_bins() -> None:
    probabilities = [0.15, 0.18, 0.62, 0.67, 0.95]
    outcomes = [False, True, True, False, True]
    # bin 1: mean 0.165 vs hits 0.5 -> 0.335 * 2/5 = 0.134; bin 6: 0.645 vs 0.5 -> 0.145 * 2/5 = 0.058;
    # bin 9: 0.95 vs 1 -> 0.05 * 1/5 = 0.01.  Total 0.202.
    assert expected_calibration_error(probabilities, outcomes) == pytest.approx(0.202)
    # Two bins: [0, 0.5) as above 0.134; [0.5, 1]: mean 0.74667 vs 2/3 -> 0.08 * 3/5 = 0.048.
    assert expected_calibration_error(probabilities, outcomes, n_bins=2) == pytest.approx(0.182)


def test_expected_calibration_error_edges() -> None:
    assert expected_calibration_error([1.0], [True]) == pytest.approx(0.0)  # p == 1 lands in the last bin
    assert expected_calibration_error([0.5, 0.5], [True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([], []) is None


def test_closing_line_value() -> None:
    assert closing_line_value(Recommendation.OVER, 21.5, 22.5) == pytest.approx(1.0)
    assert closing_line_value(Recommendation.UNDER, 21.5, 22.5) == pytest.approx(-1.0)
    assert closing_line_value(Recommendation.PASS, 21.5, 22.5) is None


def test_model_beats_vegas_ties_are_not_beats() -> None:
    assert model_beats_vegas(24.0, 21.5, 25) is True
    assert model_beats_vegas(23.0, 27.0, 25) is False  # 2 vs 2
    rows = [(24.0, 21.5, 25.0), (23.0, 27.0, 25.0), (20.0, 21.5, 25.0), (25.5, 24.0, 25.0)]
    assert model_beats_vegas_share(rows) == pytest.approx(0.5)
    assert model_beats_vegas_share([]) is None
