"""``courtside graded``: how a date graded, per system: counts with reasons, hit rate, MAE, bias, by tier and
by direction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

from shared.domain.metrics import mean_absolute_error, mean_signed_error
from shared.domain.systems import production_systems_param
from shared.ports import Row, Warehouse
from shared.services.sharpness import graded_rows_with_tiers
from shared.services.views.common import NothingToShowError, decided_rate, rate_fields, require_games
from shared.sql import load_sql

ALL = "All"


def graded_summary(warehouse: Warehouse, day: date) -> list[dict[str, Any]]:
    """One row per (system, breakdown, group): breakdown ``all`` (with grade counts and reasons), ``tier``
    (the sharpness tiers) and ``direction`` (OVER / UNDER)."""
    require_games(warehouse, day)
    rows = warehouse.query(
        load_sql("views/accuracy_rows"), {"start": day, "end": day, **production_systems_param()}
    )
    if not rows:
        raise NothingToShowError(f"nothing graded for {day} yet (grading runs the morning after the games)")
    tiers = {
        (r["system_id"], r["player_id"]): r["tier"]
        for r in graded_rows_with_tiers(warehouse, day, window_days=1)
    }
    summary: list[dict[str, Any]] = []
    for system_id in sorted(
        {str(r["system_id"]) for r in rows}, key=lambda s: (not _is_champion(rows, s), s)
    ):
        system_rows = [r for r in rows if r["system_id"] == system_id]
        summary.append(
            {
                "system": system_id,
                "breakdown": "all",
                "group": ALL,
                **_counts(system_rows),
                **_scores(system_rows),
            }
        )
        system_tiers = {player: tier for (system, player), tier in tiers.items() if system == system_id}
        tier_of_row: Callable[[Row], str] = partial(_row_tier, system_tiers)
        summary.extend(_breakdown(system_id, "tier", system_rows, tier_of_row))
        summary.extend(_breakdown(system_id, "direction", system_rows, lambda r: str(r["recommendation"])))
    return summary


def _is_champion(rows: Sequence[Row], system_id: str) -> bool:
    return any(r["is_champion"] for r in rows if r["system_id"] == system_id)


def _row_tier(tiers: dict[Any, Any], row: Row) -> str:
    return _tier_name(tiers.get(row["player_id"]))


def _tier_name(tier: object | None) -> str:
    return "Untiered" if tier is None else str(getattr(tier, "value", tier))


def _breakdown(
    system_id: str, name: str, rows: Sequence[Row], key: Callable[[Row], str]
) -> list[dict[str, Any]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row["grade_status"] == "graded":
            groups.setdefault(key(row), []).append(row)
    return [
        {"system": system_id, "breakdown": name, "group": group, **_scores(group_rows)}
        for group, group_rows in sorted(groups.items())
        if name != "direction" or group in ("OVER", "UNDER")
    ]


def _counts(rows: Sequence[Row]) -> dict[str, Any]:
    status = Counter(str(r["grade_status"]) for r in rows)
    reasons = Counter(
        f"{r['grade_status']}:{r['void_reason'] or r['pending_reason']}"
        for r in rows
        if r["grade_status"] != "graded"
    )
    return {
        "graded": status["graded"],
        "voided": status["voided"],
        "pending": status["pending"],
        "reasons": ", ".join(f"{reason} x{n}" for reason, n in sorted(reasons.items())) or None,
    }


def _scores(rows: Sequence[Row]) -> dict[str, Any]:
    errors = [
        float(r["signed_error"])
        for r in rows
        if r["grade_status"] == "graded" and r["signed_error"] is not None
    ]
    return {
        **rate_fields(decided_rate(list(rows))),
        "mae": mean_absolute_error(errors),
        "bias": mean_signed_error(errors),
        "errors_n": len(errors),
    }
