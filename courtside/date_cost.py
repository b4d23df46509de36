"""What one game date costs each function: warehouse statements per invocation, rows scanned, BigQuery
bytes, time.

Runs the date the way production does (its morning files land at 12:30 US Eastern, its results at
03:00 the next morning, and the bus delivers what they trigger), on whatever home it is given, with
the warehouse's own counters (``statements`` on the adapter: reads, writes, bookkeeping, and rows
scanned and estimated BigQuery bytes processed and billed when built with
``DuckDBWarehouse(profile_scans=True)``: shared/adapters/scan_bytes.py) and each run's recorded duration.
Used by ``courtside cost`` and ``make bench``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from courtside.replay import AFTER_GAMES, MORNING, land, season_files
from shared import job_labels, run_log
from shared.bootstrap import Dependencies
from shared.clock import eastern_datetime, utc_now
from shared.job_labels import BOOKKEEPING, MINIMUM_BILLED_BYTES, StatementCounts
from shared.ports import Row, Warehouse

# Every function but these should need at most this many warehouse statements per invocation.
STATEMENTS_PER_INVOCATION = 4
HEAVY_FUNCTIONS = frozenset({"prediction", "training"})


@dataclass(frozen=True)
class FunctionCost:
    function: str
    invocations: int
    reads: int
    writes: int
    bookkeeping: int
    rows_scanned: int
    seconds: float
    # BigQuery bytes processed and billed (at least 10 MB per query job), estimated from DuckDB's profile;
    # 0 when the warehouse does not measure them.
    bytes_processed: int = 0
    bytes_billed: int = 0

    @property
    def statements(self) -> int:
        return self.reads + self.writes + self.bookkeeping

    @property
    def per_invocation(self) -> float:
        return self.statements / self.invocations if self.invocations else 0.0

    @property
    def within_target(self) -> bool | None:
        if self.function in HEAVY_FUNCTIONS:
            return None
        return self.per_invocation <= STATEMENTS_PER_INVOCATION


def counts_of(deps: Dependencies) -> StatementCounts:
    counts = getattr(deps.warehouse, "statements", None)
    if not isinstance(counts, StatementCounts):
        raise TypeError(f"{type(deps.warehouse).__name__} does not count its statements")
    return counts


def run_date(deps: Dependencies, folder: Path, day: date) -> list[FunctionCost]:
    """Land ``day``'s files from the season ``folder`` at their simulated instants and cost each function."""
    counts = counts_of(deps)
    counts.reset()
    since = utc_now()
    morning, evening = season_files(folder, day)
    land(deps, folder, morning, eastern_datetime(day, *MORNING))
    land(deps, folder, evening, eastern_datetime(day + timedelta(days=1), *AFTER_GAMES))
    statements, scanned, sized = counts.snapshot(), counts.rows_scanned(), counts.bytes_scanned()
    runs = run_log.runs_since(deps.warehouse, since)
    invocations = Counter(str(run["function_name"]) for run in runs)
    milliseconds: Counter[str] = Counter()
    for run in runs:
        milliseconds[str(run["function_name"])] += int(run["duration_ms"] or 0)
    return [
        FunctionCost(
            function=function,
            invocations=invocations[function],
            reads=statements.get((function, "read"), 0),
            writes=statements.get((function, "write"), 0),
            bookkeeping=statements.get((function, BOOKKEEPING), 0),
            rows_scanned=scanned.get(function, 0),
            seconds=milliseconds[function] / 1000.0,
            bytes_processed=sized[function].processed if function in sized else 0,
            bytes_billed=sized[function].billed if function in sized else 0,
        )
        for function in sorted(invocations)
    ]


@dataclass(frozen=True)
class Statement:
    """One warehouse call of a date's chain: a query/execute with its parameters, or a keyed write."""

    function: str
    kind: str  # query | execute | keyed write
    sql: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    table: str = ""
    rows: Sequence[Mapping[str, Any]] = ()
    key_columns: Sequence[str] = ()


class RecordingWarehouse:
    """A warehouse that remembers every statement (with the function running it), for dry runs."""

    def __init__(self, inner: Warehouse) -> None:
        self._inner = inner
        self.recorded: list[Statement] = []

    def _function(self) -> str:
        labels = job_labels.current()
        return labels.function if labels else ""

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self.recorded.append(Statement(self._function(), "query", sql, dict(params or {})))
        return self._inner.query(sql, params)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.recorded.append(Statement(self._function(), "execute", sql, dict(params or {})))
        self._inner.execute(sql, params)

    def replace_rows(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        key_columns: Sequence[str],
        delete_scope: Mapping[str, Any] | None = None,
    ) -> int:
        self._keyed(table, rows, key_columns)
        return self._inner.replace_rows(table, rows, key_columns, delete_scope)

    def insert_missing_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        self._keyed(table, rows, key_columns)
        return self._inner.insert_missing_rows(table, rows, key_columns)

    def _keyed(self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]) -> None:
        if rows:
            copied = [dict(row) for row in rows]
            self.recorded.append(
                Statement(self._function(), "keyed write", table=table, rows=copied, key_columns=key_columns)
            )

    def ensure_tables(self) -> None:
        self._inner.ensure_tables()

    def release(self) -> None:
        self._inner.release()

    def __getattr__(self, name: str) -> Any:  # statements, close: the wrapped adapter's
        return getattr(self._inner, name)


class DryRunner(Protocol):
    def dry_run(self, sql: str, params: Mapping[str, Any] | None = None) -> int: ...

    def dry_run_keyed_write(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int: ...


TIB = 1024**4


@dataclass(frozen=True)
class BytesCost:
    function: str
    statements: int
    bytes_processed: int
    bytes_billed: int


def dry_run_costs(statements: Sequence[Statement], runner: DryRunner) -> list[BytesCost]:
    """Bytes processed and billed (10 MB minimum per statement) per function, by BigQuery dry runs."""
    processed: Counter[str] = Counter()
    billed: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for statement in statements:
        if statement.kind == "keyed write":
            size = runner.dry_run_keyed_write(statement.table, statement.rows, statement.key_columns)
        else:
            size = runner.dry_run(statement.sql, statement.params)
        processed[statement.function] += size
        billed[statement.function] += max(size, MINIMUM_BILLED_BYTES)
        count[statement.function] += 1
    return [BytesCost(f, count[f], processed[f], billed[f]) for f in sorted(count)]


def monthly_dollars(bytes_billed_per_day: int, price_per_tib: float, days: int = 30) -> float:
    """On-demand cost of ``days`` such days at ``price_per_tib`` (USD per TiB billed)."""
    return bytes_billed_per_day * days / TIB * price_per_tib
