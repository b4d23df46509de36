"""Statistics over graded predictions: hit rates with Wilson intervals, ROI, error metrics, calibration,
closing line value and model-beats-Vegas.

Empty inputs never raise and never divide by zero: a metric with nothing to measure is ``None`` (with ``n=0``
where a count is reported). Invalid inputs (negative counts, probabilities outside [0, 1], odds between -100
and +100) raise ``ValueError``. Probabilities and shares are on 0-1.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.domain.thresholds import DEFAULT_THRESHOLDS, ErrorBands
from shared.domain.vocabulary import Recommendation

_BETTING = DEFAULT_THRESHOLDS.betting
# log_loss clips probabilities this far from 0 and 1: one confident miss would otherwise be infinite.
LOG_LOSS_CLIP = 1e-12


def z_for_confidence(confidence: float) -> float:
    """Two-sided standard-normal quantile: 0.95 -> 1.95996..."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return statistics.NormalDist().inv_cdf(0.5 + confidence / 2.0)


def wilson_interval(
    successes: int, n: int, confidence: float = _BETTING.confidence_level
) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion; None when n == 0."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    z = z_for_confidence(confidence)
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n)) / denominator
    # The bounds are exactly 0 / 1 at the extremes; pin them so rounding cannot leave -1e-17.
    lower = 0.0 if successes == 0 else max(0.0, centre - half_width)
    upper = 1.0 if successes == n else min(1.0, centre + half_width)
    return lower, upper


class BreakEvenPosition(StrEnum):
    """Where a hit-rate interval lies relative to break-even."""

    ABOVE = "above"  # lower bound > break-even: profitable beyond reasonable doubt
    BELOW = "below"  # upper bound < break-even: losing beyond reasonable doubt
    STRADDLES = "straddles"  # cannot tell yet


@dataclass(frozen=True)
class HitRate:
    """Wins over decided bets (pushes and voids excluded). Rate and interval are None when n == 0."""

    wins: int
    n: int
    rate: float | None
    lower: float | None
    upper: float | None
    position: BreakEvenPosition | None
    break_even: float
    confidence: float

    @property
    def losses(self) -> int:
        return self.n - self.wins


def hit_rate(
    wins: int,
    n: int,
    break_even: float = _BETTING.break_even_probability,
    confidence: float = _BETTING.confidence_level,
) -> HitRate:
    """Hit rate with its Wilson interval and where that interval sits relative to ``break_even``."""
    interval = wilson_interval(wins, n, confidence)
    if interval is None:
        return HitRate(wins, n, None, None, None, None, break_even, confidence)
    lower, upper = interval
    if lower > break_even:
        position = BreakEvenPosition.ABOVE
    elif upper < break_even:
        position = BreakEvenPosition.BELOW
    else:
        position = BreakEvenPosition.STRADDLES
    return HitRate(wins, n, wins / n, lower, upper, position, break_even, confidence)


def hit_rate_from_results(
    results: Iterable[bool | None],
    break_even: float = _BETTING.break_even_probability,
    confidence: float = _BETTING.confidence_level,
) -> HitRate:
    """Hit rate over ``is_correct`` values; None entries (pushes, non-bets) are skipped."""
    decided = [r for r in results if r is not None]
    return hit_rate(sum(decided), len(decided), break_even, confidence)


def win_profit_per_unit(american_odds: int) -> float:
    """Profit on a winning 1-unit stake: -110 -> 100/110, +150 -> 1.5."""
    if -100 < american_odds < 100:
        raise ValueError(f"American odds must be <= -100 or >= +100, got {american_odds}")
    if american_odds < 0:
        return 100.0 / -american_odds
    return american_odds / 100.0


def roi(wins: int, losses: int, pushes: int = 0, american_odds: int = _BETTING.standard_odds) -> float | None:
    """Profit per unit staked, one unit per bet; pushes return the stake. None when nothing was staked."""
    if min(wins, losses, pushes) < 0:
        raise ValueError("counts must be non-negative")
    staked = wins + losses + pushes
    if staked == 0:
        return None
    return (wins * win_profit_per_unit(american_odds) - losses) / staked


def mean_absolute_error(signed_errors: Sequence[float]) -> float | None:
    return statistics.fmean(abs(e) for e in signed_errors) if signed_errors else None


def mean_signed_error(signed_errors: Sequence[float]) -> float | None:
    """Bias: mean of predicted - actual. Positive = over-predicting."""
    return statistics.fmean(signed_errors) if signed_errors else None


def error_std(signed_errors: Sequence[float]) -> float | None:
    """Sample standard deviation (n - 1, like BigQuery STDDEV) of signed errors; None below 2 values."""
    return statistics.stdev(signed_errors) if len(signed_errors) >= 2 else None


def within_share(signed_errors: Sequence[float], points: float) -> float | None:
    """Share of predictions with |error| <= points (inclusive)."""
    if not signed_errors:
        return None
    return sum(1 for e in signed_errors if abs(e) <= points) / len(signed_errors)


@dataclass(frozen=True)
class ErrorSummary:
    """Error metrics of one set of point predictions (model or Vegas line). All None when n == 0."""

    n: int
    mae: float | None
    bias: float | None
    std: float | None
    within_3: float | None
    within_5: float | None


def summarise_errors(
    signed_errors: Iterable[float], bands: ErrorBands = DEFAULT_THRESHOLDS.errors
) -> ErrorSummary:
    """MAE, bias, std and the shares within the close (3) / wide (5) point bands."""
    errors = list(signed_errors)
    return ErrorSummary(
        n=len(errors),
        mae=mean_absolute_error(errors),
        bias=mean_signed_error(errors),
        std=error_std(errors),
        within_3=within_share(errors, bands.close_points),
        within_5=within_share(errors, bands.wide_points),
    )


def _check_probabilities(probabilities: Sequence[float], outcomes: Sequence[bool]) -> None:
    if len(probabilities) != len(outcomes):
        raise ValueError(f"{len(probabilities)} probabilities but {len(outcomes)} outcomes")
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability must be in [0, 1], got {p}")


def brier_score(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mean squared difference between forecast probability and outcome (1/0). None when empty."""
    _check_probabilities(probabilities, outcomes)
    if not probabilities:
        return None
    return statistics.fmean((p - float(o)) ** 2 for p, o in zip(probabilities, outcomes, strict=True))


def log_loss(probabilities: Sequence[float], outcomes: Sequence[bool]) -> float | None:
    """Mean negative log-likelihood of the outcomes (natural log; probabilities clipped ``LOG_LOSS_CLIP``
    from 0 and 1 so a certain-looking miss stays finite). None when empty."""
    _check_probabilities(probabilities, outcomes)
    if not probabilities:
        return None
    total = 0.0
    for p, o in zip(probabilities, outcomes, strict=True):
        clipped = min(1.0 - LOG_LOSS_CLIP, max(LOG_LOSS_CLIP, p))
        total -= math.log(clipped if o else 1.0 - clipped)
    return total / len(probabilities)


def expected_calibration_error(
    probabilities: Sequence[float],
    outcomes: Sequence[bool],
    n_bins: int = DEFAULT_THRESHOLDS.calibration.n_bins,
) -> float | None:
    """ECE with ``n_bins`` equal-width bins on [0, 1] (bin i holds [i/n, (i+1)/n); p == 1 goes in the last):
    sum over bins of (bin size / N) * |observed hit share - mean forecast|. None when empty."""
    _check_probabilities(probabilities, outcomes)
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    if not probabilities:
        return None
    counts = [0] * n_bins
    forecast_sums = [0.0] * n_bins
    hit_sums = [0.0] * n_bins
    for p, o in zip(probabilities, outcomes, strict=True):
        b = min(int(p * n_bins), n_bins - 1)
        counts[b] += 1
        forecast_sums[b] += p
        hit_sums[b] += float(o)
    total = len(probabilities)
    return sum(abs(hit_sums[b] - forecast_sums[b]) / total for b in range(n_bins) if counts[b])


def closing_line_value(recommendation: Recommendation, bet_line: float, closing_line: float) -> float | None:
    """Points of line value gained versus the closing line: OVER closing - bet, UNDER bet - closing.

    Positive means the bet got a better number than the market closed at. None for PASS / NO_LINE.
    """
    if recommendation is Recommendation.OVER:
        return closing_line - bet_line
    if recommendation is Recommendation.UNDER:
        return bet_line - closing_line
    return None


def model_beats_vegas(predicted_points: float, line: float, actual_points: float) -> bool:
    """True when the model's absolute error is strictly smaller than the line's (ties are not beats)."""
    return abs(predicted_points - actual_points) < abs(line - actual_points)


def model_beats_vegas_share(rows: Iterable[tuple[float, float, float]]) -> float | None:
    """Share (0-1) of (predicted, line, actual) rows where the model beats the line. None when empty."""
    beats = [model_beats_vegas(predicted, line, actual) for predicted, line, actual in rows]
    return sum(beats) / len(beats) if beats else None
