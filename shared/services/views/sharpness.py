"""The Vegas sharpness views (the earlier design's ``/api/vegas-sharpness/trend``, ``/by-tier`` and
``/summary``), read from ``vegas_sharpness_daily``, which the sharpness function writes after grading."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.domain.season import season_start
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.ports import Row, Warehouse
from shared.services.views.common import HISTORY_DAYS, NothingToShowError
from shared.sql import load_sql

ALL_TIERS = "All"
TIER_ORDER = ("Star", "Starter", "Rotation", "Bench", ALL_TIERS)
BY_TIER_WINDOW_DAYS = 30
BANDS = DEFAULT_THRESHOLDS.sharpness


def champion_system(warehouse: Warehouse, day: date) -> str:
    """The system that was champion in the season up to ``day`` (the first listed system otherwise)."""
    rows = warehouse.query(
        load_sql("views/systems"),
        {"since": day - timedelta(days=HISTORY_DAYS), "until": day, **production_systems_param()},
    )
    if not rows:
        raise NothingToShowError(f"no predictions on or before {day}: nothing to measure Vegas against")
    return str(rows[0]["system_id"])


def _season_rows(warehouse: Warehouse, day: date, system: str | None) -> tuple[str, list[Row]]:
    system_id = system or champion_system(warehouse, day)
    rows = warehouse.query(
        load_sql("views/sharpness_daily"), {"system_id": system_id, "start": season_start(day), "end": day}
    )
    return system_id, rows


def sharpness_trend(warehouse: Warehouse, day: date, system: str | None = None) -> dict[str, Any]:
    """Per graded date of the season up to ``day`` (tier All): score with its n, Vegas vs model MAE, 3+/5+
    edge shares, plus the 45/55 bands the chart draws."""
    system_id, rows = _season_rows(warehouse, day, system)
    points = [
        {
            "game_date": r["game_date"],
            "sharpness_score": r["sharpness_score"],
            "status": r["sharpness_status"],
            "n": r["n_graded"],
            "vegas_mae": r["vegas_mae"],
            "model_mae": r["model_mae"],
            "edge_3_plus_share": r["edge_3_plus_share"],
            "edge_5_plus_share": r["edge_5_plus_share"],
            "n_bets": r["n_bets"],
        }
        for r in rows
        if r["tier"] == ALL_TIERS
    ]
    return {
        "system": system_id,
        "bands": {"very_sharp_below": BANDS.very_sharp_below, "soft_from": BANDS.normal_below},
        "points": points,
    }


def sharpness_by_tier(
    warehouse: Warehouse, day: date, system: str | None = None, days: int = BY_TIER_WINDOW_DAYS
) -> dict[str, Any]:
    """Per tier over the ``days`` ending on ``day``: model-beats-Vegas percent and MAEs, weighted by each
    day's graded rows (so the window's figure is the share over all its rows), with n."""
    system_id, rows = _season_rows(warehouse, day, system)
    start = day - timedelta(days=days - 1)
    tiers = []
    for tier in TIER_ORDER:
        window = [r for r in rows if r["tier"] == tier and r["game_date"] >= start and r["n_graded"]]
        n = sum(int(r["n_graded"]) for r in window)
        tiers.append(
            {
                "tier": tier,
                "n": n,
                "sharpness_score": _weighted(window, "model_beats_vegas_pct", n),
                "vegas_mae": _weighted(window, "vegas_mae", n),
                "model_mae": _weighted(window, "model_mae", n),
            }
        )
    return {"system": system_id, "window": f"{start}..{day}", "tiers": tiers}


def sharpness_summary(warehouse: Warehouse, day: date, system: str | None = None) -> dict[str, Any]:
    """The latest day's status and regime, and the season's averages, each with n."""
    system_id, rows = _season_rows(warehouse, day, system)
    season = [r for r in rows if r["tier"] == ALL_TIERS and r["n_graded"]]
    if not season:
        return {"system": system_id, "latest": None, "season": None}
    latest = season[-1]
    n = sum(int(r["n_graded"]) for r in season)
    return {
        "system": system_id,
        "latest": {
            "game_date": latest["game_date"],
            "sharpness_score": latest["sharpness_score"],
            "status": latest["sharpness_status"],
            "n": latest["n_graded"],
            "vegas_mae_7d": latest["vegas_mae_7d"],
            "market_regime": latest["market_regime"],
        },
        "season": {
            "from": season[0]["game_date"],
            "to": latest["game_date"],
            "n": n,
            "sharpness_score": _weighted(season, "model_beats_vegas_pct", n),
            "vegas_mae": _weighted(season, "vegas_mae", n),
            "model_mae": _weighted(season, "model_mae", n),
        },
    }


def _weighted(rows: list[Row], column: str, n: int) -> float | None:
    weighted = [(float(r[column]), int(r["n_graded"])) for r in rows if r[column] is not None]
    total = sum(w for _, w in weighted)
    return sum(v * w for v, w in weighted) / total if n and total else None
