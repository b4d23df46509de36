"""Calibration of P(over): Platt scaling of the over share of the non-push mass, in logit space.

The residual model's P(over) treats the line as if it carried no information about the outcome. It does: the
closing line is sharp, so when the model disagrees with it by several points the disagreement is mostly model
error and the nominal probability (0.65-0.70 on the bets) overstates what the bets win (56-58%). The
calibrator learns how far to shrink it, from held-out games with a real line:

    share = P(over) / (P(over) + P(under))          the over share of the non-push mass
    calibrated share = sigmoid(intercept + slope * logit(share))
    P(over)' = calibrated share * (1 - P(push)),  P(under)' = (1 - calibrated share) * (1 - P(push))

so the three probabilities still sum to 1, the push mass is untouched, and a slope below 1 shrinks toward
the line's own 50% (the intercept absorbs any over/under lean of the lines). It is fitted by Newton's method
on the log-likelihood (2 parameters, plain Python). Pure: no I/O. Fitting it on out-of-fold probabilities is
the caller's job (``shared/domain/holdout_calibration.py``).

With fewer than ``MIN_ROWS_TO_CALIBRATE`` lined, decided rows it is the identity, and says so (``note``);
models saved before it existed have none in their metadata and load as the identity (unchanged results).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PLATT_KIND = "platt_over_share_v1"
IDENTITY_KIND = "identity"
# Below this many lined, decided (non-push) holdout rows two parameters are too noisy to trust.
MIN_ROWS_TO_CALIBRATE = 200
# Shares are clipped this far from 0 and 1 before the logit, so a certain-looking share stays finite.
SHARE_CLIP = 1e-6
NEWTON_MAX_STEPS = 100
NEWTON_TOLERANCE = 1e-10
# A tiny ridge on (intercept, slope - 1): keeps Newton's Hessian invertible on separable data.
RIDGE = 1e-6


def logit(probability: float) -> float:
    clipped = min(1.0 - SHARE_CLIP, max(SHARE_CLIP, probability))
    return math.log(clipped / (1.0 - clipped))


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True, slots=True)
class OverShareCalibration:
    """sigmoid(intercept + slope * logit(share)); the identity is intercept 0, slope 1."""

    intercept: float = 0.0
    slope: float = 1.0
    n: int = 0  # lined, decided rows it was fitted on (0 for a model saved before calibration existed)
    kind: str = IDENTITY_KIND
    note: str = "no calibration in the model's metadata"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.intercept) and math.isfinite(self.slope)):
            raise ValueError("calibration parameters must be finite")
        if self.slope < 0:
            raise ValueError(f"a negative calibration slope would invert P(over), got {self.slope}")
        if self.kind not in (PLATT_KIND, IDENTITY_KIND):
            raise ValueError(f"unsupported calibration kind {self.kind!r}")

    @property
    def is_identity(self) -> bool:
        return self.kind == IDENTITY_KIND

    def calibrate_share(self, share: float) -> float:
        if self.is_identity:
            return share
        return sigmoid(self.intercept + self.slope * logit(share))

    def apply(self, p_over: float, p_under: float, p_push: float) -> tuple[float, float, float]:
        """(P(over), P(under), P(push)) with the over share of the non-push mass calibrated; they sum to 1."""
        decided = p_over + p_under
        if self.is_identity or decided <= 0.0:
            return p_over, p_under, p_push
        share = self.calibrate_share(p_over / decided)
        non_push = 1.0 - p_push
        return share * non_push, (1.0 - share) * non_push, p_push

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "intercept": self.intercept,
            "slope": self.slope,
            "n": self.n,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> OverShareCalibration:
        """The stored calibration; None (a model saved before calibration existed) is the identity."""
        if data is None:
            return IDENTITY
        return cls(
            intercept=float(data["intercept"]),
            slope=float(data["slope"]),
            n=int(data["n"]),
            kind=str(data["kind"]),
            note=str(data.get("note", "")),
        )


IDENTITY = OverShareCalibration()


def identity(n: int, note: str) -> OverShareCalibration:
    return OverShareCalibration(n=n, kind=IDENTITY_KIND, note=note)


def fit_platt(shares: Sequence[float], overs: Sequence[bool], note: str = "") -> OverShareCalibration:
    """Platt scaling of over shares against outcomes (True: actual > line; pushes already excluded).

    Fewer than ``MIN_ROWS_TO_CALIBRATE`` rows, or one outcome only: the identity, saying why. A negative slope
    (the shares ranked outcomes backwards) is not used to invert them: the slope is then 0 and the calibrated
    share is the observed over rate."""
    if len(shares) != len(overs):
        raise ValueError(f"{len(shares)} shares but {len(overs)} outcomes")
    n = len(shares)
    if n < MIN_ROWS_TO_CALIBRATE:
        return identity(n, f"{n} lined, decided holdout rows (need {MIN_ROWS_TO_CALIBRATE}): not calibrated")
    wins = sum(overs)
    if wins in (0, n):
        return identity(n, f"every one of the {n} lined holdout rows went the same way: not calibrated")
    xs = [logit(s) for s in shares]
    ys = [1.0 if o else 0.0 for o in overs]
    intercept, slope = _newton(xs, ys)
    if slope < 0:
        intercept, slope = logit(wins / n), 0.0
    return OverShareCalibration(intercept=intercept, slope=slope, n=n, kind=PLATT_KIND, note=note)


def _log_likelihood(xs: Sequence[float], ys: Sequence[float], a: float, b: float) -> float:
    total = -RIDGE * (a * a + (b - 1.0) ** 2)
    for x, y in zip(xs, ys, strict=True):
        z = a + b * x
        # log sigmoid(z) = -log1p(exp(-z)), computed without overflow either way.
        log_p = -math.log1p(math.exp(-z)) if z >= 0 else z - math.log1p(math.exp(z))
        log_q = log_p - z
        total += y * log_p + (1.0 - y) * log_q
    return total


def _newton(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Maximum-likelihood (intercept, slope) of a 1-input logistic regression, from the identity."""
    a, b = 0.0, 1.0
    current = _log_likelihood(xs, ys, a, b)
    for _ in range(NEWTON_MAX_STEPS):
        g_a = -2.0 * RIDGE * a
        g_b = -2.0 * RIDGE * (b - 1.0)
        h_aa = h_bb = 2.0 * RIDGE
        h_ab = 0.0
        for x, y in zip(xs, ys, strict=True):
            p = sigmoid(a + b * x)
            w = p * (1.0 - p)
            g_a += y - p
            g_b += (y - p) * x
            h_aa += w
            h_ab += w * x
            h_bb += w * x * x
        determinant = h_aa * h_bb - h_ab * h_ab
        if not determinant > 0:
            break
        step_a = (h_bb * g_a - h_ab * g_b) / determinant
        step_b = (h_aa * g_b - h_ab * g_a) / determinant
        scale = 1.0
        while scale > 1e-8:  # step halving: the log-likelihood never goes down
            candidate = _log_likelihood(xs, ys, a + scale * step_a, b + scale * step_b)
            if candidate >= current:
                break
            scale /= 2.0
        else:
            break
        a, b, current = a + scale * step_a, b + scale * step_b, candidate
        if abs(scale * step_a) < NEWTON_TOLERANCE and abs(scale * step_b) < NEWTON_TOLERANCE:
            break
    return a, b
