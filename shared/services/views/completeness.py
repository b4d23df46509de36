"""The data-completeness calendar: every game date of the season and which steps have their rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.domain.diagnostic_signals import DatedProblems
from shared.domain.season import season_start
from shared.domain.systems import production_systems_param
from shared.ports import Warehouse
from shared.sql import load_sql

COMPLETE = "complete"


def completeness_calendar(warehouse: Warehouse, day: date) -> list[dict[str, Any]]:
    """Per date with games from the season start to ``day``: counts per step and the problems found (the same
    rules diagnostics alerts on); ``state`` is ``complete`` or the first problem."""
    rows = warehouse.query(
        load_sql("diagnostics/completeness"),
        {"season_start": season_start(day), "game_date": day, **production_systems_param()},
    )
    calendar = []
    for r in rows:
        dated = DatedProblems(
            game_date=r["game_date"],
            games=int(r["games"]),
            box_score_games=int(r["box_score_games"]),
            predictions=int(r["predictions"]),
            line_predictions=int(r["line_predictions"]),
            graded=int(r["graded"]),
            line_snapshots=int(r["line_snapshots"]),
        )
        calendar.append(
            {
                **dated.as_json(),
                "game_date": dated.game_date,
                "line_snapshots": dated.line_snapshots,
                "state": dated.problems[0] if dated.problems else COMPLETE,
            }
        )
    return calendar
