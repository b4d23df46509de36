"""The embedded warehouse: a DuckDB file running the same BigQuery-dialect SQL through sqlglot."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast

import duckdb

from shared.adapters.keyed_writes import check_keyed_rows, keyed_write_jobs
from shared.adapters.scan_bytes import ColumnSizes, TableScan, profile_of, scan_bytes, scans
from shared.adapters.schema_evolution import Column, refusal, table_changes
from shared.adapters.sql_translation import TranslationCache
from shared.job_labels import StatementCounts
from shared.ports import Row
from shared.schema_files import table_definitions
from shared.settings import DATASETS

log = logging.getLogger("courtside.warehouse")
_LOCK_WAIT_SECONDS = 60.0
# Translated SQL is kept beside the DuckDB file: <warehouse>.duckdb.sql-cache.json
TRANSLATIONS_SUFFIX = ".sql-cache.json"
# Keyed writes of up to this many rows and values bind them as parameters; larger ones stage through JSON.
SMALL_WRITE_ROWS = 32
VALUES_MAX_PARAMETERS = 1000


class DuckDBWarehouse:
    """One DuckDB file. ``hold_connection=False`` releases the file lock between invocations, so
    several function processes (``make emulate``) can take turns on the same file."""

    def __init__(
        self,
        path: Path | str,
        dataset_suffix: str = "",
        hold_connection: bool = True,
        values_max_parameters: int = VALUES_MAX_PARAMETERS,
        profile_scans: bool = False,
    ) -> None:
        self._path = str(path)
        self._values_max_parameters = values_max_parameters
        self._suffix = dataset_suffix
        self._hold = hold_connection
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._columns: dict[str, dict[str, str]] = {}
        self._utc_columns: dict[str, tuple[str, ...]] = {}
        self._mutex = threading.RLock()
        # Statements per function and kind (reads, writes, bookkeeping): what `make bench` reports per event.
        self.statements = StatementCounts()
        # Measuring only (`courtside cost`, `make bench`): DuckDB's profiler counts the rows each
        # statement scans into ``statements.rows_scanned()``, and the bytes BigQuery would process and bill
        # per job into ``statements.bytes_scanned()`` (an estimate: shared/adapters/scan_bytes.py); it
        # costs a little, so it is off by default.
        self._profile_scans = profile_scans
        self._counting: _ScanCounting | None = None
        on_disk = self._path != ":memory:"
        if on_disk:
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        self._translations = TranslationCache(Path(self._path + TRANSLATIONS_SUFFIX) if on_disk else None)

    # -- connection -----------------------------------------------------------------------------
    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            deadline = time.monotonic() + _LOCK_WAIT_SECONDS
            while True:
                try:
                    self._connection = duckdb.connect(self._path)
                    break
                except duckdb.IOException as exc:  # another process holds the file lock
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            self._connection.execute("SET TimeZone = 'UTC'")
            if self._profile_scans:
                self._connection.execute("PRAGMA enable_profiling = 'no_output'")
                self._connection.execute("SET profiling_mode = 'detailed'")
                # A checkpoint in the middle of a measured run would merge the bench's small row groups
                # (its stand-in for partitions) into large ones, and later statements would scan those.
                self._connection.execute("SET checkpoint_threshold = '1GB'")
                self._connection.execute("SET max_vacuum_tasks = 0")
        if self._profile_scans:
            if self._counting is None:
                self._counting = _ScanCounting(self._connection, self.statements)
            return cast(duckdb.DuckDBPyConnection, self._counting)
        return self._connection

    def release(self) -> None:
        if not self._hold:
            self.close()

    def close(self) -> None:
        if self._connection is not None:
            if self._counting is not None:
                self.statements.bytes_scanned()  # size the jobs measured while their tables can be read
            self._connection.close()
            self._connection = None
            self._counting = None

    @contextmanager
    def _billed_job(self) -> Iterator[None]:
        """One BigQuery job (a query, a statement, a keyed write's MERGE): when measuring, the bytes its
        DuckDB statements scanned are added up as that job's bytes processed (billed: at least 10 MB)."""
        if not self._profile_scans:
            yield
            return
        self._connect()
        counting = self._counting
        assert counting is not None
        counting.settle()
        counting.job_scans = []
        try:
            yield
        finally:
            counting.settle()
            job, counting.job_scans = counting.job_scans, None
            self.statements.add_job_bytes(partial(counting.bytes_of, job))

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        connection = self._connect()
        connection.execute("BEGIN TRANSACTION")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # -- queries --------------------------------------------------------------------------------
    def _table(self, table: str) -> str:
        dataset, _, name = table.partition(".")
        if dataset not in DATASETS or not name:
            raise ValueError(f"table must be <dataset>.<table> with a known dataset, not {table!r}")
        return f"{dataset}{self._suffix}.{name}"

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self.statements.add("read")
        with self._mutex, self._billed_job():
            statements = self._translations.to_duckdb(sql, self._suffix)
            connection = self._connect()
            result: list[Row] = []
            for statement in statements:
                utc_columns = self._utc_columns.get(statement)
                runnable = _with_naive_utc(statement, utc_columns) if utc_columns else statement
                cursor = connection.execute(runnable, _bind(statement, params))
                if cursor.description is None:
                    result = []
                    continue
                columns = [column[0] for column in cursor.description]
                values = cursor.fetchall()
                if utc_columns:
                    positions = [columns.index(name) for name in utc_columns]
                    values = [_as_aware_utc(row, positions) for row in values]
                else:
                    # Same values and tzinfo (datetime.UTC) as the naive-UTC runs that follow.
                    positions = [i for i, column in enumerate(cursor.description) if str(column[1]) == _TZ]
                    if positions:
                        values = [_as_aware_utc(row, positions) for row in values]
                    self._learn_utc_columns(statement, cursor.description)
                result = [dict(zip(columns, row, strict=True)) for row in values]
            return result

    def _learn_utc_columns(self, statement: str, description: Sequence[Any]) -> None:
        """Remember the TIMESTAMPTZ columns of a SELECT, so later runs fetch them as naive UTC and tag them.

        DuckDB turns each TIMESTAMPTZ value into an aware datetime through a time-zone lookup, which costs
        several times more than fetching the rest of the row; the same instants, fetched as naive UTC
        (the session time zone is UTC) and given ``tzinfo=UTC`` in Python, compare and print the same.
        A statement whose result repeats a column name is left as it is.
        """
        names = [column[0] for column in description]
        utc = [
            name for name, kind in zip(names, (str(c[1]) for c in description), strict=True) if kind == _TZ
        ]
        if utc and len(set(names)) == len(names) and _SELECT.match(statement):
            self._utc_columns[statement] = tuple(utc)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.statements.add("write")
        with self._mutex, self._billed_job(), self._transaction() as connection:
            for statement in self._translations.to_duckdb(sql, self._suffix):
                connection.execute(statement, _bind(statement, params))

    def columns(self, table: str) -> list[str]:
        return list(self._column_types(table))

    def _column_types(self, table: str) -> dict[str, str]:
        qualified = self._table(table)
        if qualified not in self._columns:
            dataset, name = qualified.split(".")
            rows = (
                self._connect()
                .execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = $dataset AND table_name = $name ORDER BY ordinal_position",
                    {"dataset": dataset, "name": name},
                )
                .fetchall()
            )
            if not rows:
                raise KeyError(f"table {qualified} does not exist; is its DDL under schemas/bigquery/?")
            self._columns[qualified] = {row[0]: row[1] for row in rows}
        return self._columns[qualified]

    # -- keyed writes ---------------------------------------------------------------------------
    def replace_rows(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        key_columns: Sequence[str],
        delete_scope: Mapping[str, Any] | None = None,
    ) -> int:
        if not rows:
            return 0
        qualified, columns = self._checked(table, rows, key_columns)
        self._count_keyed_write(table, rows)
        column_list = ", ".join(columns)
        if self._is_small(rows, columns):
            # Most writes are one row (every run record): plain parameterised DELETE and INSERT, no staging.
            key_match = " AND ".join(f"target.{key} IS NOT DISTINCT FROM ?" for key in key_columns)
            where = " OR ".join([f"({key_match})"] * len(rows))
            small_bounds, small_bound_params = _key_bounds(rows, key_columns, self._column_types(table))
            placeholders = "(" + ", ".join(["?"] * len(columns)) + ")"
            with self._mutex, self._billed_job(), self._transaction() as connection:
                self._delete_scope(connection, qualified, delete_scope)
                connection.execute(
                    f"DELETE FROM {qualified} AS target WHERE ({where}){small_bounds}",
                    [_plain(row.get(key)) for row in rows for key in key_columns] + small_bound_params,
                )
                connection.execute(
                    f"INSERT INTO {qualified} ({column_list}) VALUES {', '.join([placeholders] * len(rows))}",
                    [_plain(row.get(name)) for row in rows for name in columns],
                )
            return len(rows)
        match = " AND ".join(f"target.{key} IS NOT DISTINCT FROM staged.{key}" for key in key_columns)
        bounds, bound_params = _key_bounds(rows, key_columns, self._column_types(table))
        with (
            self._mutex,
            self._billed_job(),
            self._transaction() as connection,
            self._staged(connection, table, columns, rows) as (staged, params),
        ):
            self._delete_scope(connection, qualified, delete_scope)
            delete = f"DELETE FROM {qualified} AS target USING {staged} AS staged WHERE {match}{bounds}"
            connection.execute(delete, (params or []) + bound_params)
            insert = f"INSERT INTO {qualified} ({column_list}) SELECT {column_list} FROM {staged} AS staged"
            connection.execute(insert, params)
        return len(rows)

    def _count_keyed_write(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Counted as the BigQuery adapter runs it: one MERGE, or a load job and a MERGE when large."""
        self.statements.add("write", jobs=keyed_write_jobs(len(rows), len(self._column_types(table))))

    @staticmethod
    def _delete_scope(
        connection: duckdb.DuckDBPyConnection, qualified: str, scope: Mapping[str, Any] | None
    ) -> None:
        """Empty the scope first: replacing by key afterwards leaves exactly the rows of the write there
        (BigQuery's MERGE deletes the scope's unmatched rows in the same statement)."""
        if not scope:
            return
        conditions, params = [], []
        for column, value in scope.items():
            if isinstance(value, list | tuple):
                conditions.append(f"list_contains(?, target.{column})")
                params.append([_plain(v) for v in value])
            else:
                conditions.append(f"target.{column} = ?")
                params.append(_plain(value))
        connection.execute(f"DELETE FROM {qualified} AS target WHERE {' AND '.join(conditions)}", params)

    def _is_small(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> bool:
        return len(rows) <= SMALL_WRITE_ROWS and len(rows) * len(columns) <= self._values_max_parameters

    def insert_missing_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        if not rows:
            return 0
        qualified, columns = self._checked(table, rows, key_columns)
        self._count_keyed_write(table, rows)
        match = " AND ".join(f"target.{key} IS NOT DISTINCT FROM staged.{key}" for key in key_columns)
        bounds, bound_params = _key_bounds(rows, key_columns, self._column_types(table))
        column_list = ", ".join(columns)
        with (
            self._mutex,
            self._billed_job(),
            self._transaction() as connection,
            self._staged(connection, table, columns, rows) as (staged, params),
        ):
            inserted = connection.execute(
                f"INSERT INTO {qualified} ({column_list}) SELECT {column_list} FROM {staged} AS staged "
                f"WHERE NOT EXISTS (SELECT 1 FROM {qualified} AS target WHERE {match}{bounds})",
                (params or []) + bound_params,
            ).fetchone()
        return int(inserted[0]) if inserted else 0

    def _checked(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> tuple[str, list[str]]:
        qualified = self._table(table)
        known = self._column_types(table)
        check_keyed_rows(table, rows, key_columns, list(known))
        return qualified, [name for name in known if any(name in row for row in rows)]

    @contextmanager
    def _staged(
        self,
        connection: duckdb.DuckDBPyConnection,
        table: str,
        columns: list[str],
        rows: Sequence[Mapping[str, Any]],
    ) -> Iterator[tuple[str, list[Any] | None]]:
        """The rows as a typed relation ``staged`` can select from: (SQL source, its parameters).

        A small write (most are one row: every run record, alert, registry entry) binds its values as
        parameters of a ``VALUES`` list cast to the column types: no file, no temp table. A larger one
        is loaded from a JSON file into a temp table, because one bound parameter per value gets slow. Not
        Arrow: building Arrow arrays from Python lists imports pandas (~0.4 s), which every function
        would pay on its first write.
        """
        types = self._column_types(table)
        if self._is_small(rows, columns):
            row_sql = "(" + ", ".join(f"CAST(? AS {types[name]})" for name in columns) + ")"
            source = f"(SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({', '.join(columns)}))"
            yield source, [_plain(row.get(name)) for row in rows for name in columns]
            return
        # Dates and times rendered here, column by column, keep json.dumps on its fast path (no callback).
        temporal = [name for name in columns if types[name] in _TEMPORAL_TYPES]
        records = []
        for row in rows:
            record = {name: row.get(name) for name in columns}
            for name in temporal:
                value = record[name]
                if isinstance(value, date):  # a datetime is a date too
                    record[name] = value.isoformat()
            records.append(record)
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
            handle.write(json.dumps(records, default=_json_value))
            path = handle.name
        spec = ", ".join(f"'{name}': '{types[name]}'" for name in columns)
        try:
            connection.execute(
                "CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM read_json("
                f"'{path}', format = 'array', columns = {{{spec}}})"
            )
            yield "staged", None
        finally:
            connection.execute("DROP TABLE IF EXISTS staged")
            os.unlink(path)

    # -- schema ---------------------------------------------------------------------------------
    def ensure_tables(self) -> None:
        """Create every table and view of ``schemas/``, and bring existing tables up to their schema file
        (shared/adapters/schema_evolution.py: nullable columns added, nothing removed or retyped in place).

        Runs at every cold start, so an up-to-date home costs one catalog query: each table's comment
        records the digest of the DDL it was last reconciled with, and only a table without it (new, or
        its file changed since) is created or compared with its file.
        """
        with self._mutex:
            connection = self._connect()
            for dataset in DATASETS:
                connection.execute(f"CREATE SCHEMA IF NOT EXISTS {dataset}{self._suffix}")
            reconciled = dict(
                connection.execute(
                    "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() "
                    "WHERE database_name = current_database()"
                ).fetchall()
            )
            created: dict[str, list[str]] = {}
            stale: dict[str, tuple[str, list[str]]] = {}
            views: list[str] = []
            for definition in table_definitions():
                statements = self._translations.to_duckdb(definition.ddl, self._suffix)
                if definition.is_view:
                    views += statements
                    continue
                qualified = self._table(definition.qualified_name)
                if qualified not in reconciled:
                    created[qualified] = statements
                elif reconciled[qualified] != _ddl_marker(statements):
                    stale[qualified] = (definition.qualified_name, statements)
            if stale:
                self._reconcile(connection, stale)
            if created:
                with self._transaction() as transaction:
                    for qualified, statements in created.items():
                        for statement in statements:
                            transaction.execute(statement)
                        _mark(transaction, qualified, statements)
            for statement in views:
                connection.execute(statement)
            self._columns.clear()

    def _reconcile(
        self, connection: duckdb.DuckDBPyConnection, stale: Mapping[str, tuple[str, list[str]]]
    ) -> None:
        """Compare each existing table of ``stale`` (by its name: its dataset.table and DDL) with the one its
        DDL creates in an empty database, apply the additive changes and record the DDL's digest, all in one
        transaction; refuse the start when a table with rows cannot follow its file."""
        expected = self._expected_columns(
            connection, [statement for _, statements in stale.values() for statement in statements]
        )
        actual = _columns_of(connection, "current_database()")
        with self._transaction() as transaction:
            for qualified, (table, statements) in stale.items():
                changes = table_changes(table, expected[qualified], actual[qualified])
                if changes.impossible:
                    rows = transaction.execute(f"SELECT COUNT(*) FROM (FROM {qualified} LIMIT 1)").fetchone()
                    if rows and rows[0]:
                        raise refusal(changes, self._path)
                    # Empty: nothing to keep, so the table is simply made again from its file.
                    transaction.execute(f"DROP TABLE {qualified}")
                    for statement in statements:
                        transaction.execute(statement)
                else:
                    for column in changes.added:
                        transaction.execute(f"ALTER TABLE {qualified} ADD COLUMN {column.name} {column.type}")
                    for name in changes.relaxed:
                        transaction.execute(f"ALTER TABLE {qualified} ALTER COLUMN {name} DROP NOT NULL")
                if changes.alters or changes.kept:
                    log.info(
                        "%s follows its schema file: added %s; relaxed to nullable %s; kept, no longer in "
                        "the file, %s",
                        qualified,
                        [column.name for column in changes.added],
                        list(changes.relaxed),
                        list(changes.kept),
                    )
                _mark(transaction, qualified, statements)

    def _expected_columns(
        self, connection: duckdb.DuckDBPyConnection, statements: Sequence[str]
    ) -> dict[str, list[Column]]:
        """The columns ``statements`` create, as DuckDB types them: run in an empty in-memory database
        attached for the purpose (about a millisecond per table; no sqlglot)."""
        row = connection.execute("SELECT current_database()").fetchone()
        assert row is not None
        home = row[0]
        connection.execute(f"ATTACH ':memory:' AS {_EXPECTED}")
        try:
            connection.execute(f"USE {_EXPECTED}")
            for dataset in DATASETS:
                connection.execute(f"CREATE SCHEMA {dataset}{self._suffix}")
            for statement in statements:
                connection.execute(statement)
            return _columns_of(connection, _EXPECTED)
        finally:
            connection.execute(f'USE "{home}"')
            connection.execute(f"DETACH {_EXPECTED}")


_EXPECTED = "courtside_expected_schema"


def _ddl_marker(statements: Sequence[str]) -> str:
    """What a table's comment holds once it matches these DDL statements (translated, suffix included)."""
    return "courtside-ddl:" + hashlib.sha256("\n".join(statements).encode()).hexdigest()[:16]


def _mark(connection: duckdb.DuckDBPyConnection, qualified: str, statements: Sequence[str]) -> None:
    # The table's comment: sqlglot drops BigQuery's OPTIONS(description) for DuckDB, so nothing else uses it.
    connection.execute(f"COMMENT ON TABLE {qualified} IS '{_ddl_marker(statements)}'")


def _columns_of(connection: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[Column]]:
    """Every table's columns in ``database`` (a name, or ``current_database()``), by ``schema.table``."""
    rows = connection.execute(
        "SELECT schema_name || '.' || table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        f"WHERE database_name = {database if database.endswith('()') else repr(database)} "
        "ORDER BY table_name, column_index"
    ).fetchall()
    columns: dict[str, list[Column]] = {}
    for table, name, kind, nullable in rows:
        columns.setdefault(table, []).append(Column(name, kind, bool(nullable)))
    return columns


class _ScanCounting:
    """A connection that adds the rows each statement scanned (DuckDB's profiler) to ``counts``, and the
    bytes BigQuery would process for them (``scan_bytes``) to the warehouse job running it.

    A query's profile is complete only once its result is fetched, so a SELECT is measured when it is
    fetched (or, unfetched, before the next statement); any other statement right after it runs.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, counts: StatementCounts) -> None:
        self._connection = connection
        self._counts = counts
        self._sizes = ColumnSizes(connection)
        self._pending = ""
        self.job_scans: list[TableScan] | None = None  # the scans of the job being run; None outside one

    def execute(self, statement: str, *args: Any, **kwargs: Any) -> Any:
        self.settle()
        cursor = self._connection.execute(statement, *args, **kwargs)
        self._pending = statement
        if _SELECT.match(statement):
            return _MeasuredOnFetch(cursor, self)
        self.settle()
        return cursor

    def settle(self) -> None:
        """Count the last statement's profile, once."""
        if not self._pending:
            return
        statement, self._pending = self._pending, ""
        profile = profile_of(self._connection)
        self._counts.add_rows_scanned(sum(int(n) for n in _ROWS_SCANNED.findall(json.dumps(profile))))
        if self.job_scans is None:
            return  # schema lookups and DDL: no BigQuery job is billed for them
        self.job_scans.extend(scan for scan in scans(profile, statement) if scan.rows)

    def bytes_of(self, job: list[TableScan]) -> int:
        """The bytes BigQuery would process for a job's scans, sized when the figures are read: sizing a
        table reads all of it, and inside the job it would add a cost that grows with history to the time
        of the function measured."""
        return sum(scan_bytes(scan, self._sizes.of(scan.schema, scan.table)) for scan in job)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class _MeasuredOnFetch:
    """A SELECT's result: fetching it completes the statement's profile, which is then counted."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, counting: _ScanCounting) -> None:
        self._cursor = cursor
        self._counting = counting

    def fetchall(self) -> list[Any]:
        rows = self._cursor.fetchall()
        self._counting.settle()
        return rows

    def fetchone(self) -> Any:
        row = self._cursor.fetchone()
        self._counting.settle()
        return row

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


_ROWS_SCANNED = re.compile(r'"rows_scanned":\s*(\d+)')
_TEMPORAL_TYPES = frozenset({"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"})
# Python value type a key column must hold, all of its values, for its range to bound a keyed write.
_BOUNDABLE = {"VARCHAR": str, "DATE": date, "BIGINT": int, "TIMESTAMP WITH TIME ZONE": datetime}


def _key_bounds(
    rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str], types: Mapping[str, str]
) -> tuple[str, list[Any]]:
    """Extra conditions ``AND target.k BETWEEN low AND high`` (the written keys' range) for a keyed write.

    They exclude no row that could match a written key, but let DuckDB skip, by their min/max, the row
    groups of a large table that cannot hold one: data arrives in date order, so a day's write touches
    the newest row groups only. A key column with a NULL, a naive timestamp or a value of another type
    is left unbounded.
    """
    sql: list[str] = []
    params: list[Any] = []
    for key in key_columns:
        wanted = _BOUNDABLE.get(types[key])
        values: list[Any] = [row.get(key) for row in rows]
        if wanted is None or any(type(value) is not wanted for value in values):
            continue
        if wanted is datetime and any(value.tzinfo is None for value in values):
            continue
        sql.append(f" AND target.{key} BETWEEN CAST(? AS {types[key]}) AND CAST(? AS {types[key]})")
        params += [min(values), max(values)]
    return "".join(sql), params


_TZ = "TIMESTAMP WITH TIME ZONE"
_SELECT = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


def _with_naive_utc(statement: str, utc_columns: Sequence[str]) -> str:
    """The statement with its TIMESTAMPTZ columns as naive UTC timestamps (row order is kept)."""
    casts = ", ".join(f'CAST("{name}" AS TIMESTAMP) AS "{name}"' for name in utc_columns)
    return f"SELECT * REPLACE ({casts}) FROM ({statement}) AS utc_query"


def _as_aware_utc(row: tuple[Any, ...], positions: Sequence[int]) -> tuple[Any, ...]:
    """Timestamps at ``positions`` as aware ``datetime.UTC`` values (naive ones are UTC wall times)."""
    values = list(row)
    for position in positions:
        value = values[position]
        if value is not None:
            values[position] = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return tuple(values)


def _bind(statement: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """DuckDB wants exactly the parameters a statement names (sqlglot turns @x into $x)."""
    if not params:
        return {}
    wanted = {name for name in params if re.search(rf"\${re.escape(name)}\b", statement)}
    return {name: _plain(params[name]) for name in wanted}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot stage a {type(value).__name__} value")
