"""``courtside today``: each system's current predictions for a game date, one row per player and system."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from shared.domain.systems import production_systems_param
from shared.ports import Row, Warehouse
from shared.services.views.common import NothingToShowError, eastern_time, require_games
from shared.sql import load_sql


def current_predictions(warehouse: Warehouse, day: date) -> list[Row]:
    """Every system's current prediction for ``day`` (raises ``NothingToShowError`` without games)."""
    require_games(warehouse, day)
    return warehouse.query(
        load_sql("views/current_predictions"), {"game_date": day, **production_systems_param()}
    )


def todays_predictions(
    warehouse: Warehouse, day: date, system: str | None = None, min_edge: float | None = None
) -> list[dict[str, Any]]:
    """Predictions for ``day`` of ``system`` (default: every system), optionally only ``|edge| >= min_edge``.

    ``shadows_agree`` compares each row's call with the other systems' calls for the same player: True when
    every other system made the same call, False when one differs, None when no other system predicted.
    """
    rows = current_predictions(warehouse, day)
    if not rows:
        raise NothingToShowError(f"no predictions for {day} yet (games are scheduled; has the chain run?)")
    calls: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        calls[row["player_id"]][row["system_id"]] = row["recommendation"]
    systems = {row["system_id"] for row in rows}
    if system is not None and system not in systems:
        raise NothingToShowError(
            f"no system {system!r} predicted {day}; systems: {', '.join(sorted(systems))}"
        )
    shown = []
    for row in rows:
        if system is not None and row["system_id"] != system:
            continue
        edge = row["edge"]
        if min_edge is not None and (edge is None or abs(edge) < min_edge):
            continue
        others = [c for s, c in calls[row["player_id"]].items() if s != row["system_id"]]
        shown.append(
            {
                "player": row["player_name"],
                "team": row["team"],
                "opponent": row["opponent"],
                "tipoff_et": eastern_time(row["tipoff_utc"]),
                "line": row["line_value"],
                "book": row["line_bookmaker"],
                "predicted_points": round(float(row["predicted_points"]), 1),
                "edge": None if edge is None else round(float(edge), 1),
                "p_over": None if row["p_over"] is None else round(float(row["p_over"]), 3),
                "call": row["recommendation"],
                "injury_status": row["injury_status"],
                "system": row["system_id"],
                "champion": bool(row["is_champion"]),
                "shadows_agree": None if not others else all(c == row["recommendation"] for c in others),
            }
        )
    return shown
