"""Recommendation policy: edge, OVER/UNDER/PASS/NO_LINE, and calibrated probabilities (confidence in [0, 1]).

edge = predicted points - line. OVER when edge >= min_edge, UNDER when edge <= -min_edge, PASS in between,
NO_LINE when the line policy found no line.

Why ``DEFAULT_MIN_EDGE`` (``thresholds.MIN_EDGE_POINTS`` = 3.0) points: at the standard -110 price a bet must
win 110/210 = 52.38% of the time to break even. Player-points residuals have a standard deviation of roughly
6 points, so on paper a 0.4-point edge (0.06 sd) already clears 52.38%. In practice the closing line is
sharp and a model's disagreement with it is mostly model error, so the nominal probability must be discounted
heavily. An edge of 3 points (about half a residual sd, a nominal ~65-69%) keeps only large disagreements,
where even a probability shrunk most of the way back toward the market stays above 52.38%. It is a default:
the evaluation job should re-derive it from graded results.

That discount is the calibrator (``shared/domain/calibration.py``): fitted at training time on the holdout's
lined rows (cross-fitted, ``shared/domain/holdout_calibration.py``) and applied by ``decide()`` to the
residual model's raw probabilities. On the v2_median walk-forwards it shrinks the bets' P(over) from about
0.65-0.70 to about 0.5-0.6 (Platt slopes 0.13-0.31), ECE on the bets 0.21-0.22 -> 0.02-0.03
(docs/experiments.md). It changes probabilities and confidence only: the call stays by edge.

Confidence is ALWAYS a probability in [0, 1] (never 0-100): P(over) for OVER, P(under) for UNDER,
max(P(over), P(under)) for PASS (the more likely side, kept for diagnostics), None for NO_LINE.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.domain.calibration import IDENTITY, OverShareCalibration
from shared.domain.line_policy import is_valid_line_value
from shared.domain.thresholds import MIN_EDGE_POINTS
from shared.domain.vocabulary import Recommendation

DEFAULT_MIN_EDGE = MIN_EDGE_POINTS
STANDARD_PRICE = -110
# Floating-point slack so an edge of exactly min_edge (24.7 - 21.7 = 2.9999999999999964) counts as reached.
EDGE_TOLERANCE = 1e-9

RESIDUAL_MODEL_KIND = "smoothed_empirical_v1"
# The residual distribution is summarised by this many equal-mass quantile centres (compact JSON).
RESIDUAL_CENTRES = 100
MIN_RESIDUALS_TO_FIT = 30
# Smallest kernel bandwidth in points: residuals of integer outcomes are never sharper than this.
MIN_BANDWIDTH = 0.25


def break_even_probability(american_price: float) -> float:
    """Win probability needed to break even at an American price (-110 -> 110/210 = 0.5238...)."""
    if american_price < 0:
        return -american_price / (-american_price + 100.0)
    if american_price > 0:
        return 100.0 / (american_price + 100.0)
    raise ValueError("an American price cannot be 0")


def _check_predicted(predicted: float) -> None:
    if not math.isfinite(predicted):
        raise ValueError(f"predicted points must be finite, got {predicted!r}")


def _check_line(line: float) -> None:
    if not is_valid_line_value(line):
        raise ValueError(f"{line!r} is not a whole or half point line (see the line policy)")


def compute_edge(predicted: float, line: float | None) -> float | None:
    """predicted - line, or None without a line."""
    _check_predicted(predicted)
    if line is None:
        return None
    _check_line(line)
    return predicted - line


def recommend(predicted: float, line: float | None, min_edge: float = DEFAULT_MIN_EDGE) -> Recommendation:
    """OVER when edge >= min_edge, UNDER when edge <= -min_edge, PASS otherwise, NO_LINE without a line."""
    if not min_edge > 0:
        raise ValueError(f"min_edge must be positive, got {min_edge!r}")
    edge = compute_edge(predicted, line)
    if edge is None:
        return Recommendation.NO_LINE
    if edge >= min_edge - EDGE_TOLERANCE:
        return Recommendation.OVER
    if edge <= -min_edge + EDGE_TOLERANCE:
        return Recommendation.UNDER
    return Recommendation.PASS


@dataclass(frozen=True, slots=True)
class OutcomeProbabilities:
    """P(actual > line), P(actual < line), P(actual == line); they sum to 1 (push is 0 on half lines)."""

    p_over: float
    p_under: float
    p_push: float


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True, slots=True)
class ResidualModel:
    """Calibrated distribution of residuals (actual - predicted) fitted on held-out games.

    A kernel-smoothed empirical CDF: ``centres`` are equal-mass quantiles of the held-out residuals, each
    carrying a Gaussian kernel of width ``bandwidth``. It keeps the skew of points residuals (long right
    tail) that a single normal would miss, stays smooth and monotone, and serialises to a small JSON dict.

    Actual points are whole numbers, so probabilities use a continuity correction: actual == k is
    taken as the residual falling in [k - 0.5 - predicted, k + 0.5 - predicted). On a half line the push
    is 0; on a whole line n, P(over) = P(actual >= n + 1) and excludes the push mass P(actual == n).
    """

    centres: tuple[float, ...]
    bandwidth: float
    n_residuals: int
    mean: float
    std: float

    def __post_init__(self) -> None:
        if not self.centres or not all(math.isfinite(c) for c in self.centres):
            raise ValueError("a residual model needs finite centres")
        if list(self.centres) != sorted(self.centres):
            raise ValueError("residual model centres must be sorted")
        if not (math.isfinite(self.bandwidth) and self.bandwidth > 0):
            raise ValueError("residual model bandwidth must be positive")

    @classmethod
    def fit(cls, residuals: Iterable[float]) -> ResidualModel:
        """Fit from held-out residuals (actual - predicted); at least 30 finite values are required."""
        values = sorted(float(r) for r in residuals)
        if any(not math.isfinite(r) for r in values):
            raise ValueError("residuals must be finite")
        if len(values) < MIN_RESIDUALS_TO_FIT:
            raise ValueError(f"need at least {MIN_RESIDUALS_TO_FIT} residuals to fit, got {len(values)}")
        count = min(RESIDUAL_CENTRES, len(values))
        centres = tuple(_quantile(values, (index + 0.5) / count) for index in range(count))
        std = statistics.stdev(values)
        quartiles = statistics.quantiles(values, n=4, method="inclusive")
        spread = min(std, (quartiles[2] - quartiles[0]) / 1.34) or std
        # Silverman's rule with the number of kernel centres (not residuals): they are what is smoothed.
        bandwidth = max(MIN_BANDWIDTH, 0.9 * spread * count ** (-1 / 5))
        return cls(
            centres=centres,
            bandwidth=bandwidth,
            n_residuals=len(values),
            mean=statistics.fmean(values),
            std=std,
        )

    def cdf(self, residual: float) -> float:
        """P(actual - predicted <= residual)."""
        total = sum(_normal_cdf((residual - centre) / self.bandwidth) for centre in self.centres)
        return min(1.0, max(0.0, total / len(self.centres)))

    def probabilities(self, predicted: float, line: float) -> OutcomeProbabilities:
        """P(over), P(under), P(push) of a whole or half point line given the predicted points."""
        _check_predicted(predicted)
        _check_line(line)
        upper = self.cdf(math.floor(line) + 0.5 - predicted)  # P(actual <= floor(line))
        if float(line).is_integer():
            below = self.cdf(line - 0.5 - predicted)  # P(actual <= line - 1)
            return OutcomeProbabilities(p_over=1.0 - upper, p_under=below, p_push=upper - below)
        return OutcomeProbabilities(p_over=1.0 - upper, p_under=upper, p_push=0.0)

    def p_over(self, predicted: float, line: float) -> float:
        """P(actual > line); the push at a whole-number line is excluded."""
        return self.probabilities(predicted, line).p_over

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": RESIDUAL_MODEL_KIND,
            "centres": list(self.centres),
            "bandwidth": self.bandwidth,
            "n_residuals": self.n_residuals,
            "mean": self.mean,
            "std": self.std,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResidualModel:
        if data.get("kind") != RESIDUAL_MODEL_KIND:
            raise ValueError(f"unsupported residual model kind {data.get('kind')!r}")
        return cls(
            centres=tuple(float(c) for c in data["centres"]),
            bandwidth=float(data["bandwidth"]),
            n_residuals=int(data["n_residuals"]),
            mean=float(data["mean"]),
            std=float(data["std"]),
        )


def _quantile(sorted_values: list[float], probability: float) -> float:
    """Linear-interpolation quantile of already sorted values (numpy's default 'linear' method)."""
    position = probability * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


@dataclass(frozen=True, slots=True)
class RecommendationResult:
    """Everything stored with a prediction about its recommendation. Probabilities are in [0, 1]."""

    recommendation: Recommendation
    edge: float | None
    p_over: float | None
    p_under: float | None
    p_push: float | None
    confidence: float | None


def decide(
    predicted: float,
    line: float | None,
    residual_model: ResidualModel,
    min_edge: float = DEFAULT_MIN_EDGE,
    calibration: OverShareCalibration = IDENTITY,
) -> RecommendationResult:
    """Recommendation, edge, outcome probabilities and confidence for one prediction.

    The recommendation is by edge alone; ``calibration`` changes the probabilities (and so the confidence),
    never the call."""
    recommendation = recommend(predicted, line, min_edge)
    if line is None:
        return RecommendationResult(recommendation, None, None, None, None, None)
    raw = residual_model.probabilities(predicted, line)
    p_over, p_under, p_push = calibration.apply(raw.p_over, raw.p_under, raw.p_push)
    outcome = OutcomeProbabilities(p_over=p_over, p_under=p_under, p_push=p_push)
    if recommendation is Recommendation.OVER:
        confidence = outcome.p_over
    elif recommendation is Recommendation.UNDER:
        confidence = outcome.p_under
    else:
        confidence = max(outcome.p_over, outcome.p_under)
    return RecommendationResult(
        recommendation=recommendation,
        edge=predicted - line,
        p_over=outcome.p_over,
        p_under=outcome.p_under,
        p_push=outcome.p_push,
        confidence=min(1.0, max(0.0, confidence)),
    )
