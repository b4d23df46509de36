"""The owner of ``nba_orchestration.pipeline_runs``: one appended row per attempt, every invocation.

The runtime records runs here with ONE plain INSERT (no read, no MERGE: BigQuery never queues or
conflicts INSERTs, so every function can record at once); the CLI, ``make emulate`` and ``make bench``
read the latest attempt per (function, event id) from the view ``pipeline_runs_latest``, whose
``delivery_attempt`` counts the attempts. The SQL lives in ``shared/sql/orchestration/`` and runs
through the warehouse port, like every other query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import as_utc
from shared.ports import Row, Warehouse
from shared.sql import load_sql

PIPELINE_RUNS = "nba_orchestration.pipeline_runs"
PIPELINE_RUNS_LATEST = "nba_orchestration.pipeline_runs_latest"
RECORD_COLUMNS = (
    "function_name",
    "event_id",
    "run_id",
    "topic",
    "game_date",
    "status",
    "started_at",
    "finished_at",
    "duration_ms",
    "rows_read",
    "rows_written",
    "published_topics",
    "detail",
    "error",
)
# No run outlives this (Cloud Functions stop at 60 minutes): "finished since T" reads partitions from T - it.
LONGEST_RUN = timedelta(hours=2)


def record(warehouse: Warehouse, run: Mapping[str, Any]) -> None:
    """Append one attempt; a redelivery appends another (the latest view shows the last one). event_id and
    topic come from the message: they are stored ``bounded``."""
    unknown = sorted(set(run) - set(RECORD_COLUMNS))
    if unknown:
        raise ValueError(f"{PIPELINE_RUNS} has no column(s) {unknown}")
    row = {name: run.get(name) for name in RECORD_COLUMNS}
    for column in ("event_id", "topic"):
        if row[column] is not None:
            row[column] = bounded(str(row[column]))
    warehouse.execute(load_sql("orchestration/record_run"), row)


# Bound of the text columns that come from the message (event_id, topic): a hostile message once stored 5 MB.
# Longer values keep their first characters and end with a hash of the whole, so they stay distinct.
MAX_KEY_LENGTH = 256
_HASH_LENGTH = 32


def bounded(value: str, limit: int = MAX_KEY_LENGTH) -> str:
    """``value`` if it fits in ``limit`` characters, else its prefix + ``~`` + the SHA-256 (hex) of it all."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    return f"{value[: limit - _HASH_LENGTH - 1]}~{digest}"


def runs_since(warehouse: Warehouse, since: datetime) -> list[Row]:
    return warehouse.query(load_sql("orchestration/runs_since"), {"since": since})


def outcomes_since(warehouse: Warehouse, since: datetime) -> list[Row]:
    """Runs and rows written per (function, status) of the runs finished since ``since``."""
    return warehouse.query(
        load_sql("orchestration/outcomes_since"), {"since": since, "started_from": since - LONGEST_RUN}
    )


def latest_run_since(warehouse: Warehouse, function_name: str, since: datetime) -> Row | None:
    rows = warehouse.query(
        load_sql("orchestration/latest_run_since"),
        {"function_name": function_name, "since": since, "started_from": since - LONGEST_RUN},
    )
    return rows[0] if rows else None


def last_success_per_function(warehouse: Warehouse, since: datetime) -> dict[str, datetime]:
    """When each function that succeeded since ``since`` last finished a successful run (aware UTC)."""
    rows = warehouse.query(load_sql("orchestration/last_success_per_function"), {"since": since})
    return {str(r["function_name"]): as_utc(r["last_success"]) for r in rows if r["last_success"]}


def game_date_bounds(warehouse: Warehouse) -> tuple[date | None, date | None]:
    bounds = warehouse.query(load_sql("orchestration/game_date_bounds"))[0]
    return bounds["first"], bounds["last"]


def latest_run_per_date(warehouse: Warehouse, start: date, end: date) -> list[Row]:
    return warehouse.query(load_sql("orchestration/latest_run_per_date"), {"start": start, "end": end})


def run_of_event(warehouse: Warehouse, function_name: str, event_id: str) -> list[Row]:
    return warehouse.query(
        load_sql("orchestration/run_of_event"),
        {"function_name": function_name, "event_id": bounded(event_id)},
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
