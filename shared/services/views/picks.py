"""``courtside picks``: the champion's actionable bets for a date, at the edge the market state calls for.

The minimum edge is the configured one (``COURTSIDE_MIN_EDGE``), raised to the thresholds' "edge when Vegas
is sharp" while the champion's latest diagnosis before the date found the market VERY_SHARP (the earlier
system's rule: bet only 5+ point edges against a very sharp market).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.sharpness import SharpnessStatus
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.ports import Warehouse
from shared.services.views.common import NothingToShowError, eastern_time
from shared.services.views.health import RecentDiagnoses, recent_diagnoses
from shared.services.views.today import current_predictions


@dataclass(frozen=True)
class EdgePolicy:
    min_edge: float
    reason: str
    sharpness_status: str | None
    as_of: date | None


@dataclass(frozen=True)
class Picks:
    game_date: date
    system_id: str
    policy: EdgePolicy
    bets: list[dict[str, Any]]


def edge_policy(
    warehouse: Warehouse,
    day: date,
    system_id: str,
    configured_min_edge: float,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    diagnoses: RecentDiagnoses | None = None,
) -> EdgePolicy:
    """The minimum edge for ``day``, from the system's latest diagnosis before it (known that morning).

    ``diagnoses`` (of ``day``) saves the lookup when the caller already has them (the overview page).
    """
    if diagnoses is None or diagnoses.day != day:
        diagnoses = recent_diagnoses(warehouse, day)
    diagnosis = diagnoses.latest_before(system_id)
    if diagnosis is None:
        return EdgePolicy(configured_min_edge, "no diagnosis yet: the configured minimum edge", None, None)
    status = diagnosis["sharpness_status"]
    as_of = diagnosis["game_date"]
    sharp_edge = thresholds.edges.recommended_when_vegas_sharp
    if status == SharpnessStatus.VERY_SHARP and sharp_edge > configured_min_edge:
        return EdgePolicy(
            sharp_edge,
            f"Vegas was VERY_SHARP as of {as_of}: minimum edge raised to {sharp_edge:g}",
            status,
            as_of,
        )
    shown = status or "unknown (too few graded rows)"
    return EdgePolicy(
        configured_min_edge, f"sharpness {shown} as of {as_of}: the configured minimum edge", status, as_of
    )


def champion_picks(
    warehouse: Warehouse,
    day: date,
    configured_min_edge: float,
    top: int | None = None,
    diagnoses: RecentDiagnoses | None = None,
) -> Picks:
    """The champion's OVER/UNDER calls with ``|edge|`` at least the policy's minimum, largest first."""
    rows = [r for r in current_predictions(warehouse, day) if r["is_champion"]]
    if not rows:
        raise NothingToShowError(f"no champion predictions for {day} yet (has the chain run?)")
    system_id = str(rows[0]["system_id"])
    policy = edge_policy(warehouse, day, system_id, configured_min_edge, diagnoses=diagnoses)
    bets = [
        r
        for r in rows
        if r["recommendation"] in ("OVER", "UNDER")
        and r["edge"] is not None
        and abs(r["edge"]) >= policy.min_edge
    ]
    bets.sort(key=lambda r: (-abs(float(r["edge"])), r["player_name"]))
    return Picks(
        game_date=day,
        system_id=system_id,
        policy=policy,
        bets=[
            {
                "player": r["player_name"],
                "team": r["team"],
                "opponent": r["opponent"],
                "tipoff_et": eastern_time(r["tipoff_utc"]),
                "call": r["recommendation"],
                "line": r["line_value"],
                "book": r["line_bookmaker"],
                "predicted_points": round(float(r["predicted_points"]), 1),
                "edge": round(float(r["edge"]), 1),
                "p_over": None if r["p_over"] is None else round(float(r["p_over"]), 3),
                "injury_status": r["injury_status"],
            }
            for r in (bets[:top] if top is not None else bets)
        ],
    )
