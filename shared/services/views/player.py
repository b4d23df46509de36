"""``courtside player``: one player's prediction history against actual points and lines.

Names match case- and accent-insensitively (``jokic`` finds ``Nikola Jokić``), on the whole name or any part;
an id matches exactly. Several matches are listed rather than guessed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.domain.systems import production_systems_param
from shared.ports import Row, Warehouse
from shared.services.views.common import HISTORY_DAYS, NothingToShowError, decided_rate, rate_fields
from shared.sql import load_sql


class AmbiguousPlayerError(NothingToShowError):
    """Several players match; ``matches`` lists them (id, name, team)."""

    def __init__(self, query: str, matches: list[Row]) -> None:
        listed = "; ".join(f"{m['player_name']} ({m['team']}, {m['player_id']})" for m in matches[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        super().__init__(f"{len(matches)} players match {query!r}: {listed}{more}")
        self.matches = matches


@dataclass(frozen=True)
class PlayerHistory:
    player_id: str
    player_name: str
    team: str | None
    champion_rate: dict[str, Any]
    predictions: list[dict[str, Any]]


# Letters that carry no separable accent in Unicode, spelled as a reader without them would type.
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Lower case without accents: ``Jokić`` -> ``jokic``, ``Çağrı`` -> ``cagri``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_PLAIN_LETTERS).strip()


def find_player(warehouse: Warehouse, query: str, day: date) -> Row:
    """The one player whose id is ``query`` or whose folded name contains it, else raises."""
    players = warehouse.query(
        load_sql("views/player_directory"),
        {"since": day - timedelta(days=HISTORY_DAYS), "until": day, **production_systems_param()},
    )
    if not players:
        raise NothingToShowError(f"no predictions on or before {day}: the warehouse has no players to search")
    wanted = fold(query)
    if not wanted:
        raise NothingToShowError("give a player name or id")
    by_id = [p for p in players if fold(str(p["player_id"])) == wanted]
    exact = [p for p in players if fold(str(p["player_name"])) == wanted]
    partial = [p for p in players if wanted in fold(str(p["player_name"]))]
    matches = by_id or exact or partial
    if not matches:
        raise NothingToShowError(
            f"no player matches {query!r} (searched {len(players)} players with predictions)"
        )
    if len(matches) > 1:
        raise AmbiguousPlayerError(query, matches)
    return matches[0]


def player_history(warehouse: Warehouse, query: str, day: date) -> PlayerHistory:
    player = find_player(warehouse, query, day)
    rows = warehouse.query(
        load_sql("views/player_history"),
        {
            "player_id": player["player_id"],
            "since": day - timedelta(days=HISTORY_DAYS),
            "until": day,
            **production_systems_param(),
        },
    )
    champion_graded = [r for r in rows if r["is_champion"] and r["grade_status"] is not None]
    return PlayerHistory(
        player_id=str(player["player_id"]),
        player_name=str(player["player_name"]),
        team=player["team"],
        champion_rate=rate_fields(decided_rate(champion_graded)),
        predictions=[
            {
                "game_date": r["game_date"],
                "system": r["system_id"],
                "champion": bool(r["is_champion"]),
                "version": "superseded" if r["grade_status"] is None and _superseded(r, rows) else "current",
                "created_at": r["created_at"],
                "opponent": r["opponent"],
                "line": r["line_value"],
                "book": r["line_bookmaker"],
                "predicted_points": round(float(r["predicted_points"]), 1),
                "edge": None if r["edge"] is None else round(float(r["edge"]), 1),
                "call": r["recommendation"],
                "actual_points": r["actual_points"],
                "grade": r["grade_status"],
                "hit": r["is_correct"],
            }
            for r in rows
        ],
    )


def _superseded(row: Row, rows: list[Row]) -> bool:
    return any(other["supersedes_prediction_id"] == row["prediction_id"] for other in rows)
