"""What every operator view shares: the 'nothing to show' error, date checks and rate fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import eastern_text, to_eastern
from shared.domain.metrics import HitRate, hit_rate
from shared.domain.systems import production_systems_param
from shared.ports import Warehouse
from shared.sql import load_sql

# How far back a view looks for history (player search, latest diagnosis, runs): two seasons, so every
# query still prunes partitions.
HISTORY_DAYS = 730


class NothingToShowError(LookupError):
    """A view has nothing to show for its input (no games that date, empty warehouse, unknown player).

    The message is one line meant for the operator; entry points print it (CLI) or show it (dashboard).
    """


@dataclass(frozen=True)
class DateCoverage:
    games_on_date: int
    first_date: date | None
    last_date: date | None


def date_coverage(warehouse: Warehouse, day: date) -> DateCoverage:
    row = warehouse.query(
        load_sql("views/date_coverage"),
        {"game_date": day, "since": day - timedelta(days=HISTORY_DAYS), "until": day + timedelta(days=365)},
    )[0]
    return DateCoverage(int(row["games_on_date"] or 0), row["first_date"], row["last_date"])


def require_games(warehouse: Warehouse, day: date) -> None:
    """Raise ``NothingToShowError`` with the reason when ``day`` has no games (or there are none at all)."""
    coverage = date_coverage(warehouse, day)
    if coverage.games_on_date:
        return
    if coverage.first_date is None:
        raise NothingToShowError(
            f"the warehouse has no schedule near {day} (empty?): run `courtside demo` or ingest files"
        )
    raise NothingToShowError(
        f"no games on {day} (ET); the schedule holds games from {coverage.first_date} to {coverage.last_date}"
    )


def latest_prediction_date(warehouse: Warehouse, on_or_before: date) -> date | None:
    rows = warehouse.query(
        load_sql("views/latest_prediction_date"),
        {
            "since": on_or_before - timedelta(days=HISTORY_DAYS),
            "until": on_or_before,
            **production_systems_param(),
        },
    )
    found = rows[0]["game_date"] if rows else None
    return found if isinstance(found, date) else None


def rate_fields(rate: HitRate, prefix: str = "hit_rate") -> dict[str, Any]:
    """A hit rate as flat fields: the rate, its n and its Wilson interval (never a rate without its n)."""
    return {
        prefix: rate.rate,
        f"{prefix}_n": rate.n,
        f"{prefix}_lower": rate.lower,
        f"{prefix}_upper": rate.upper,
        f"{prefix}_vs_break_even": None if rate.position is None else str(rate.position),
    }


def decided_rate(rows: list[dict[str, Any]]) -> HitRate:
    """Hit rate over graded OVER/UNDER decisions (pushes, PASS, voids excluded: ``is_correct`` is NULL)."""
    decided = [bool(r["is_correct"]) for r in rows if r.get("is_correct") is not None]
    return hit_rate(sum(decided), len(decided))


def eastern_timestamp(moment: datetime | None) -> str | None:
    """A stored UTC instant as a US Eastern date and time, e.g. ``2026-01-15 03:00 ET``."""
    return None if moment is None else eastern_text(moment)


def eastern_time(moment: datetime | None) -> str | None:
    """A stored UTC instant as US Eastern wall time, e.g. ``19:30 ET``."""
    if moment is None:
        return None
    return to_eastern(moment).strftime("%H:%M ET")
