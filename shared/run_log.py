"""The owner of ``nba_orchestration.pipeline_runs``: one row per (function, event id), every invocation.

The runtime records runs here; the CLI, ``make emulate`` and ``make bench`` read them here. The SQL
lives in ``shared/sql/orchestration/`` and runs through the warehouse port, like every other query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from shared.ports import Row, Warehouse
from shared.sql import load_sql

PIPELINE_RUNS = "nba_orchestration.pipeline_runs"
KEY_COLUMNS = ("function_name", "event_id")


def next_delivery_attempt(warehouse: Warehouse, function_name: str, event_id: str) -> int:
    """1 for the first delivery of an event to a function, then one more per redelivery."""
    previous = warehouse.query(
        load_sql("orchestration/previous_attempt"), {"function_name": function_name, "event_id": event_id}
    )
    return (int(previous[0]["delivery_attempt"] or 0) + 1) if previous else 1


def record(warehouse: Warehouse, run: Mapping[str, Any]) -> None:
    """Write one run, replacing the row of an earlier delivery of the same event."""
    warehouse.replace_rows(PIPELINE_RUNS, [run], KEY_COLUMNS)


def runs_since(warehouse: Warehouse, since: datetime) -> list[Row]:
    return warehouse.query(load_sql("orchestration/runs_since"), {"since": since})


def outcomes_since(warehouse: Warehouse, since: datetime) -> list[Row]:
    """Runs and rows written per (function, status) of the runs finished since ``since``."""
    return warehouse.query(load_sql("orchestration/outcomes_since"), {"since": since})


def latest_run_since(warehouse: Warehouse, function_name: str, since: datetime) -> Row | None:
    rows = warehouse.query(
        load_sql("orchestration/latest_run_since"), {"function_name": function_name, "since": since}
    )
    return rows[0] if rows else None


def game_date_bounds(warehouse: Warehouse) -> tuple[date | None, date | None]:
    bounds = warehouse.query(load_sql("orchestration/game_date_bounds"))[0]
    return bounds["first"], bounds["last"]


def latest_run_per_date(warehouse: Warehouse, start: date, end: date) -> list[Row]:
    return warehouse.query(load_sql("orchestration/latest_run_per_date"), {"start": start, "end": end})


def run_of_event(warehouse: Warehouse, function_name: str, event_id: str) -> list[Row]:
    return warehouse.query(
        load_sql("orchestration/run_of_event"), {"function_name": function_name, "event_id": event_id}
    )


def successful_durations(warehouse: Warehouse, function_name: str) -> list[int]:
    rows = warehouse.query(load_sql("orchestration/successful_durations"), {"function_name": function_name})
    return [int(row["duration_ms"]) for row in rows]


def time_per_function(warehouse: Warehouse) -> list[Row]:
    """Runs and total ``ms`` handling time per function."""
    return warehouse.query(load_sql("orchestration/time_per_function"))


def last_run_per_function(warehouse: Warehouse, up_to: date, since: date, until: date) -> list[Row]:
    """Per function: its latest run for game dates up to ``up_to`` (or without one), its latest success and
    its failures, among the runs started (wall clock) from ``since`` to ``until``."""
    return warehouse.query(
        load_sql("orchestration/last_run_per_function"), {"game_date": up_to, "since": since, "until": until}
    )
