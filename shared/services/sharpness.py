"""Sharpness: how sharp the sportsbook lines were against each system, per game date and player tier.

One row per (game_date, tier, system_id) in ``nba_predictions.vegas_sharpness_daily``, tier ``All`` included,
every tier written every day (empty tiers have zero counts and NULL metrics) so a day's set of rows is fixed.
Player tiers come from SQL (average points over the 60 days before each row's own date, games over 10
minutes); every number and band comes from ``shared.domain`` (``thresholds``, ``sharpness``, ``metrics``).

Diagnostics does not read this table back: the two functions run on the same ``grading-complete`` message
in no guaranteed order, so it computes its rolling market state (``shared.domain.sharpness``) from the
graded rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.domain.metrics import ErrorSummary, summarise_errors
from shared.domain.sharpness import (
    MarketRegime,
    PlayerTier,
    SharpnessRow,
    SharpnessSummary,
    market_regime,
    player_tier,
    summarise_sharpness_by_tier,
)
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.vocabulary import Recommendation
from shared.events import GradingComplete
from shared.ports import Row, Warehouse
from shared.sql import load_sql
from shared.step import StepContext, StepResult

VEGAS_SHARPNESS_DAILY = "nba_predictions.vegas_sharpness_daily"
SHARPNESS_KEY = ("game_date", "tier", "system_id")


@dataclass(frozen=True)
class TierSharpness:
    """One (system, tier) on one date: the day's summary and the 7-day Vegas MAE behind the market regime."""

    system_id: str
    tier: PlayerTier
    summary: SharpnessSummary
    vegas_7d: ErrorSummary
    regime: MarketRegime | None


def handle(event: GradingComplete, context: StepContext) -> StepResult:
    game_date = event.game_date
    results = compute_sharpness(context.deps.warehouse, game_date)
    if not results:
        return StepResult(
            game_date, 0, 0, f"no graded predictions with a line on {game_date}", status="skipped"
        )
    rows = sharpness_table_rows(game_date, results, computed_at=context.publish_time, run_id=context.run_id)
    written = context.deps.warehouse.replace_rows(VEGAS_SHARPNESS_DAILY, rows, SHARPNESS_KEY)
    systems = sorted({r.system_id for r in results})
    headline = ", ".join(
        f"{r.system_id} {r.summary.status or 'n/a'} / {r.regime or 'n/a'}"
        for r in results
        if r.tier is PlayerTier.ALL
    )
    return StepResult(
        game_date,
        sum(r.summary.n_rows for r in results if r.tier is PlayerTier.ALL),
        written,
        f"sharpness for {len(systems)} system(s) on {game_date}: {headline}",
    )


def tier_of(average_points: float | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> PlayerTier | None:
    return None if average_points is None else player_tier(float(average_points), thresholds.tiers)


def graded_rows_with_tiers(
    warehouse: Warehouse, game_date: date, window_days: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Row]:
    """Graded rows with a line over the ``window_days`` ending on ``game_date``, each with ``tier``."""
    rows = warehouse.query(
        load_sql("sharpness/graded_rows_with_tier_average"),
        {
            "game_date": game_date,
            "window_start": game_date - timedelta(days=window_days - 1),
            "lookback_days": thresholds.tiers.lookback_days,
            "min_minutes": thresholds.tiers.min_minutes_exclusive,
            **production_systems_param(),
        },
    )
    for row in rows:
        row["tier"] = tier_of(row["average_points"], thresholds)
    return rows


def to_sharpness_row(row: Mapping[str, Any]) -> SharpnessRow:
    return SharpnessRow(
        predicted_points=float(row["predicted_points"]),
        line=float(row["line_value"]),
        actual_points=int(row["actual_points"]),
        recommendation=Recommendation(row["recommendation"]),
        is_correct=row["is_correct"],
    )


def compute_sharpness(
    warehouse: Warehouse, game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[TierSharpness]:
    """Every (system, tier) with graded rows on ``game_date``; empty when the date has none."""
    rows = graded_rows_with_tiers(warehouse, game_date, thresholds.regime.window_days, thresholds)
    return summarise_rows(rows, game_date, thresholds)


def summarise_rows(
    rows: Sequence[Mapping[str, Any]], game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[TierSharpness]:
    """Pure part of :func:`compute_sharpness`: rows of the regime window (each with ``tier``) to summaries."""
    day_by_system: dict[str, list[tuple[PlayerTier | None, SharpnessRow]]] = defaultdict(list)
    window_errors: dict[tuple[str, PlayerTier], list[float]] = defaultdict(list)
    for row in rows:
        system_id = str(row["system_id"])
        tier: PlayerTier | None = row["tier"]
        vegas_error = float(row["line_value"]) - float(row["actual_points"])
        window_errors[(system_id, PlayerTier.ALL)].append(vegas_error)
        if tier is not None:
            window_errors[(system_id, tier)].append(vegas_error)
        if row["game_date"] == game_date:
            day_by_system[system_id].append((tier, to_sharpness_row(row)))
    results: list[TierSharpness] = []
    for system_id in sorted(day_by_system):
        summaries = summarise_sharpness_by_tier(day_by_system[system_id], thresholds)
        for tier, summary in summaries.items():
            vegas_7d = summarise_errors(window_errors.get((system_id, tier), []), thresholds.errors)
            regime = None if vegas_7d.mae is None else market_regime(vegas_7d.mae, thresholds.regime)
            results.append(TierSharpness(system_id, tier, summary, vegas_7d, regime))
    return results


def sharpness_table_rows(
    game_date: date, results: Sequence[TierSharpness], computed_at: datetime, run_id: str | None
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for result in results:
        s = result.summary
        rows.append(
            {
                "game_date": game_date,
                "tier": str(result.tier),
                "system_id": result.system_id,
                "n_graded": s.n_rows,
                "n_bets": s.n_bets,
                "n_pushes": s.n_pushes,
                "vegas_mae": s.vegas.mae,
                "vegas_std": s.vegas.std,
                "vegas_within_3": s.vegas.within_3,
                "vegas_within_5": s.vegas.within_5,
                "model_mae": s.model.mae,
                "model_std": s.model.std,
                "model_within_3": s.model.within_3,
                "model_within_5": s.model.within_5,
                "model_beats_vegas_pct": s.model_beats_vegas_pct,
                "edge_3_plus_share": s.edges.share_moderate_edge,
                "edge_5_plus_share": s.edges.share_high_edge,
                "avg_abs_edge": s.edges.mean_abs_edge,
                "win_rate": s.win_rate.rate,
                "win_rate_n": s.win_rate.n,
                "high_edge_win_rate": s.high_edge_win_rate.rate,
                "high_edge_win_rate_n": s.high_edge_win_rate.n,
                "sharpness_score": s.sharpness_score,
                "sharpness_status": None if s.status is None else str(s.status),
                "vegas_mae_7d": result.vegas_7d.mae,
                "vegas_mae_7d_n": result.vegas_7d.n,
                "market_regime": None if result.regime is None else str(result.regime),
                "computed_at": computed_at,
                "run_id": run_id,
            }
        )
    return rows
