"""How sharp the sportsbook lines are compared with the model, the market regime, and player tiers.

sharpness score = percent (0-100) of graded predictions with a line where the model's absolute error is
strictly smaller than the line's. A LOW score means Vegas is sharp (the model rarely beats the line).
Bands, regime and tier cut-offs come from ``shared.domain.thresholds`` (documented in docs/thresholds.md).

Two states are derived from the same rules: the one-day status of ``vegas_sharpness_daily`` (with the 7-day
regime), and the ROLLING market state diagnostics compares day over day (:func:`rolling_market_state`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from shared.domain.metrics import (
    ErrorSummary,
    HitRate,
    hit_rate_from_results,
    model_beats_vegas,
    model_beats_vegas_share,
    summarise_errors,
)
from shared.domain.thresholds import (
    DEFAULT_THRESHOLDS,
    RegimeBands,
    SharpnessBands,
    Thresholds,
    TierCutoffs,
)
from shared.domain.vocabulary import Recommendation


class SharpnessStatus(StrEnum):
    VERY_SHARP = "VERY_SHARP"
    SHARP = "SHARP"
    NORMAL = "NORMAL"
    SOFT = "SOFT"


class MarketRegime(StrEnum):
    TIGHT = "TIGHT"
    NORMAL = "NORMAL"
    LOOSE = "LOOSE"


class PlayerTier(StrEnum):
    STAR = "Star"
    STARTER = "Starter"
    ROTATION = "Rotation"
    BENCH = "Bench"
    ALL = "All"  # every player, whatever their tier (including untiered players)


def sharpness_status(
    score_pct: float, bands: SharpnessBands = DEFAULT_THRESHOLDS.sharpness
) -> SharpnessStatus:
    """VERY_SHARP < 45 <= SHARP < 50 <= NORMAL < 55 <= SOFT (default bands)."""
    if not 0.0 <= score_pct <= 100.0:
        raise ValueError(f"sharpness score must be a percent in [0, 100], got {score_pct}")
    if score_pct < bands.very_sharp_below:
        return SharpnessStatus.VERY_SHARP
    if score_pct < bands.sharp_below:
        return SharpnessStatus.SHARP
    if score_pct < bands.normal_below:
        return SharpnessStatus.NORMAL
    return SharpnessStatus.SOFT


def market_regime(vegas_mae_7d: float, bands: RegimeBands = DEFAULT_THRESHOLDS.regime) -> MarketRegime:
    """TIGHT when the 7-day Vegas MAE < 4.5, LOOSE when > 5.5, else NORMAL (boundaries are NORMAL)."""
    if vegas_mae_7d < 0.0:
        raise ValueError(f"MAE cannot be negative, got {vegas_mae_7d}")
    if vegas_mae_7d < bands.tight_below:
        return MarketRegime.TIGHT
    if vegas_mae_7d > bands.loose_above:
        return MarketRegime.LOOSE
    return MarketRegime.NORMAL


def player_tier(average_points: float, cutoffs: TierCutoffs = DEFAULT_THRESHOLDS.tiers) -> PlayerTier:
    """Star >= 22, Starter >= 14, Rotation >= 6, else Bench (default cut-offs)."""
    if average_points >= cutoffs.star_min_points:
        return PlayerTier.STAR
    if average_points >= cutoffs.starter_min_points:
        return PlayerTier.STARTER
    if average_points >= cutoffs.rotation_min_points:
        return PlayerTier.ROTATION
    return PlayerTier.BENCH


@dataclass(frozen=True)
class PlayerGame:
    """One of a player's past games (US Eastern game date)."""

    game_date: date
    points: int
    minutes: float


def tier_window(as_of: date, cutoffs: TierCutoffs = DEFAULT_THRESHOLDS.tiers) -> tuple[date, date]:
    """Inclusive first and last game dates that count towards the tier on ``as_of``: the ``lookback_days``
    before it. ``as_of`` itself is excluded so the game being evaluated never sets its own tier."""
    return as_of - timedelta(days=cutoffs.lookback_days), as_of - timedelta(days=1)


def player_tier_on(
    games: Iterable[PlayerGame], as_of: date, cutoffs: TierCutoffs = DEFAULT_THRESHOLDS.tiers
) -> PlayerTier | None:
    """Tier from the average points of games in ``tier_window`` with minutes > 10 (default).

    None when no game qualifies (e.g. a rookie's first game): such a player only counts under ``ALL``.
    """
    first, last = tier_window(as_of, cutoffs)
    points = [
        g.points for g in games if first <= g.game_date <= last and g.minutes > cutoffs.min_minutes_exclusive
    ]
    if not points:
        return None
    return player_tier(statistics.fmean(points), cutoffs)


@dataclass(frozen=True)
class SharpnessRow:
    """One graded prediction that had a line. ``is_correct`` is the grading result (None = push / no bet)."""

    predicted_points: float
    line: float
    actual_points: int
    recommendation: Recommendation
    is_correct: bool | None

    @property
    def edge(self) -> float:
        return self.predicted_points - self.line


@dataclass(frozen=True)
class EdgeAvailability:
    """How often the model disagrees with the line by a usable margin. Shares 0-1; None when n == 0."""

    n: int
    share_moderate_edge: float | None  # |edge| >= moderate (3) points
    share_high_edge: float | None  # |edge| >= high (5) points
    mean_abs_edge: float | None


@dataclass(frozen=True)
class SharpnessSummary:
    n_rows: int
    n_bets: int  # OVER / UNDER rows
    n_pushes: int
    vegas: ErrorSummary  # errors of the line as a forecast of points (line - actual)
    model: ErrorSummary  # errors of the model (predicted - actual)
    model_beats_vegas_pct: float | None  # 0-100; this is the sharpness score
    status: SharpnessStatus | None
    edges: EdgeAvailability
    win_rate: HitRate  # all decided OVER / UNDER bets
    high_edge_win_rate: HitRate  # decided bets with |edge| >= high (5) points

    @property
    def sharpness_score(self) -> float | None:
        return self.model_beats_vegas_pct


def summarise_sharpness(
    rows: Iterable[SharpnessRow], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> SharpnessSummary:
    """Vegas vs model error metrics, model-beats-Vegas percent and status, edge availability and win rates."""
    items = list(rows)
    n = len(items)
    edges = thresholds.edges
    betting = thresholds.betting
    bets = [r for r in items if r.recommendation.is_bet]
    high_edge_bets = [r for r in bets if abs(r.edge) >= edges.high_points]
    beats_pct = (
        100.0 * sum(model_beats_vegas(r.predicted_points, r.line, r.actual_points) for r in items) / n
        if n
        else None
    )
    return SharpnessSummary(
        n_rows=n,
        n_bets=len(bets),
        n_pushes=sum(1 for r in bets if r.actual_points == r.line),
        vegas=summarise_errors((r.line - r.actual_points for r in items), thresholds.errors),
        model=summarise_errors((r.predicted_points - r.actual_points for r in items), thresholds.errors),
        model_beats_vegas_pct=beats_pct,
        status=None if beats_pct is None else sharpness_status(beats_pct, thresholds.sharpness),
        edges=EdgeAvailability(
            n=n,
            share_moderate_edge=(sum(abs(r.edge) >= edges.moderate_points for r in items) / n) if n else None,
            share_high_edge=(sum(abs(r.edge) >= edges.high_points for r in items) / n) if n else None,
            mean_abs_edge=statistics.fmean(abs(r.edge) for r in items) if n else None,
        ),
        win_rate=hit_rate_from_results(
            (r.is_correct for r in bets), betting.break_even_probability, betting.confidence_level
        ),
        high_edge_win_rate=hit_rate_from_results(
            (r.is_correct for r in high_edge_bets), betting.break_even_probability, betting.confidence_level
        ),
    )


def summarise_sharpness_by_tier(
    tiered_rows: Iterable[tuple[PlayerTier | None, SharpnessRow]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[PlayerTier, SharpnessSummary]:
    """One summary per tier plus ``ALL`` (every row, untiered ones included). Every tier is present, with
    an empty summary when it has no rows, so callers can write a fixed set of rows per day."""
    buckets: dict[PlayerTier, list[SharpnessRow]] = {tier: [] for tier in PlayerTier}
    for tier, row in tiered_rows:
        if tier is PlayerTier.ALL:
            raise ValueError("ALL is an aggregate, not a player's tier")
        buckets[PlayerTier.ALL].append(row)
        if tier is not None:
            buckets[tier].append(row)
    return {tier: summarise_sharpness(rows, thresholds) for tier, rows in buckets.items()}


@dataclass(frozen=True)
class MarketState:
    """Rolling tier-All market state of one system on one date (None = too few rows to say)."""

    status: SharpnessStatus | None
    regime: MarketRegime | None
    status_score: float | None = None  # model-beats-Vegas percent over the status window
    status_n: int = 0
    regime_mae: float | None = None  # Vegas MAE over the regime window
    regime_n: int = 0


UNKNOWN_MARKET = MarketState(None, None)


def rolling_market_state(
    rows: Sequence[Mapping[str, Any]], game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> MarketState:
    """Sharpness status and market regime of one system's graded rows over the windows ending on
    ``game_date`` inclusive (``game_date``, ``predicted_points``, ``line_value``, ``actual_points``; rows
    without a line or an actual are ignored); each is None below its minimum rows.

    One day's ~100 rows made the daily status flap; a change of the rolling state is a change of the market
    (``MarketChangeWindows`` in docs/thresholds.md).
    """
    windows = thresholds.market_changes
    status_from = game_date - timedelta(days=windows.status_window_days - 1)
    regime_from = game_date - timedelta(days=thresholds.regime.window_days - 1)
    dated = [
        (r["game_date"], (float(r["predicted_points"]), float(r["line_value"]), float(r["actual_points"])))
        for r in rows
        if r["line_value"] is not None
        and r["actual_points"] is not None
        and min(status_from, regime_from) <= r["game_date"] <= game_date
    ]
    status_rows = [v for d, v in dated if d >= status_from]
    regime_rows = [v for d, v in dated if d >= regime_from]
    share = model_beats_vegas_share(status_rows)
    score = None if share is None else 100.0 * share
    status = (
        sharpness_status(score, thresholds.sharpness)
        if score is not None and len(status_rows) >= windows.status_min_rows
        else None
    )
    mae = statistics.fmean(abs(line - actual) for _, line, actual in regime_rows) if regime_rows else None
    regime = (
        market_regime(mae, thresholds.regime)
        if mae is not None and len(regime_rows) >= windows.regime_min_rows
        else None
    )
    return MarketState(status, regime, score, len(status_rows), mae, len(regime_rows))
