"""BigQuery's bytes processed, estimated from DuckDB's profile of a statement (measuring mode only).

BigQuery bills a query by the logical size of the columns it references in the partitions it reads
(https://cloud.google.com/bigquery/pricing#data, "Data size calculation"): INT64, FLOAT64, DATE,
DATETIME, TIMESTAMP and TIME 8 bytes, BOOL 1, NUMERIC 16, BIGNUMERIC 32, STRING and BYTES 2 plus their
length, ARRAY and STRUCT the sum of their elements and fields, NULL 0. A DML statement with a DELETE or
UPDATE (a keyed write's MERGE) also pays for every column of the partitions it changes.

Here each TABLE_SCAN of the profile gives its table, the columns it projects and filters on, and the rows
it scanned; bytes = rows scanned x the average logical size of those columns (a scan of a DELETE's or
UPDATE's target: of all its columns). Approximate: DuckDB's row-group skipping stands in for partition
pruning (the bench lays tables out in 2,048-row groups ordered by partition), whereas BigQuery reads
whole day partitions of the referenced columns; a filter DuckDB proves always true from a row group's
statistics drops out of the profile, and its column with it; JSON columns are DuckDB VARCHARs here,
counted as STRING (2 bytes more per value than BigQuery's JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

_FIXED = {
    "BIGINT": 8,
    "INTEGER": 8,
    "SMALLINT": 8,
    "TINYINT": 8,
    "HUGEINT": 8,
    "UBIGINT": 8,
    "DOUBLE": 8,
    "FLOAT": 8,
    "DATE": 8,
    "TIME": 8,
    "TIMESTAMP": 8,
    "TIMESTAMP WITH TIME ZONE": 8,
    "BOOLEAN": 1,
}
_VARIABLE = frozenset({"VARCHAR", "BLOB", "JSON"})
# A literal in a filter: a column-like word inside quotes is not a column.
_QUOTED = re.compile(r"'(?:[^']|'')*'")
_WORD = re.compile(r'"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*)')
_DML_TARGET = re.compile(r"^\s*(?:DELETE\s+FROM|UPDATE|MERGE\s+INTO)\s+([\w.\"]+)", re.IGNORECASE)


def value_size_sql(expression: str, duckdb_type: str) -> str:
    """SQL for one value's BigQuery logical size (0 when NULL)."""
    kind = duckdb_type.strip().upper()
    if kind.endswith("[]"):
        element = value_size_sql("element", kind[:-2])
        return f"COALESCE(list_sum(list_transform({expression}, lambda element: {element})), 0)"
    if kind.startswith("STRUCT(") and kind.endswith(")"):
        fields = [_split_field(field) for field in _top_level_split(duckdb_type.strip()[7:-1])]
        parts = [value_size_sql(f"{expression}.{name}", field_type) for name, field_type in fields]
        return "(" + " + ".join(parts or ["0"]) + ")"
    if kind == "BLOB":
        return f"COALESCE(2 + octet_length({expression}), 0)"
    if kind in _VARIABLE:
        return f"COALESCE(2 + strlen({expression}), 0)"  # strlen: UTF-8 bytes
    if kind.startswith("DECIMAL"):
        digits = re.findall(r"\d+", kind)
        size = 32 if digits and int(digits[0]) > 38 else 16
        return f"CASE WHEN {expression} IS NULL THEN 0 ELSE {size} END"
    return f"CASE WHEN {expression} IS NULL THEN 0 ELSE {_FIXED.get(kind, 8)} END"


def _top_level_split(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for position, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _split_field(field: str) -> tuple[str, str]:
    name, _, field_type = field.partition(" ")
    return name, field_type


class ColumnSizes:
    """Average logical bytes per row of each column, per table: measured once per table (the first time a
    scan of it reads rows), on a connection of its own so the measured statement's result is untouched."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._connection = connection
        self._sizes: dict[tuple[str, str], dict[str, float]] = {}

    def of(self, schema: str, table: str) -> dict[str, float]:
        key = (schema, table)
        if key in self._sizes:
            return self._sizes[key]
        cursor = self._connection.cursor()
        try:
            types = cursor.execute(
                "SELECT column_name, data_type FROM duckdb_columns() "
                "WHERE schema_name = ? AND table_name = ? AND NOT internal AND database_name <> 'temp'",
                [schema, table],
            ).fetchall()
            if not types:
                return {}
            averages = ", ".join(f"AVG({value_size_sql(_quoted(name), str(kind))})" for name, kind in types)
            row = cursor.execute(f"SELECT {averages} FROM {_quoted(schema)}.{_quoted(table)}").fetchone()
        finally:
            cursor.close()
        if row is None or all(value is None for value in row):
            # Empty as committed: a write's own rows are not visible here yet. Sized by type, not kept.
            return {str(name): _empty_size(str(kind)) for name, kind in types}
        sizes = {str(name): float(value or 0.0) for (name, _), value in zip(types, row, strict=True)}
        self._sizes[key] = sizes
        return sizes


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _empty_size(duckdb_type: str) -> float:
    kind = duckdb_type.upper()
    return 2.0 if kind in _VARIABLE else float(_FIXED.get(kind, 8))


@dataclass(frozen=True)
class TableScan:
    schema: str
    table: str
    rows: int
    columns: frozenset[str]  # projected or filtered on; empty when the profile names none
    dml_target: bool


def scans(profile: Mapping[str, Any], statement: str) -> Iterator[TableScan]:
    """The TABLE_SCANs of a DuckDB JSON profile that read a stored table (temp tables and table functions
    are not BigQuery tables: the staged rows of a keyed write travel as a query parameter there)."""
    target = _dml_target(statement)
    for node in _operators(profile):
        if node.get("type") != "TABLE_SCAN":
            continue
        info = node.get("extra_info") or {}
        table_name = info.get("Table") if isinstance(info, dict) else None
        if not isinstance(table_name, str):
            continue
        parts = [part.strip('"') for part in table_name.split(".")]
        if len(parts) < 2 or parts[0] in {"temp", "system"}:
            continue
        schema, table = parts[-2], parts[-1]
        columns = {_column(name) for name in _as_list(info.get("Projections"))}
        for text in _as_list(info.get("Filters")) + _as_list(info.get("Dynamic Filters")):
            for quoted, bare in _WORD.findall(_QUOTED.sub("", text)):
                columns.add(quoted or bare)
        yield TableScan(
            schema,
            table,
            int(node.get("rows_scanned") or 0),
            frozenset(c for c in columns if c),
            target is not None and target[-2:] == (schema, table),
        )


def scan_bytes(scan: TableScan, sizes: Mapping[str, float]) -> int:
    """Estimated bytes BigQuery processes for one scan: its rows x the logical size of the columns it
    references (all of them for a DML target). Words of a filter that are no column are ignored."""
    if scan.dml_target:
        row_size = sum(sizes.values())
    else:
        row_size = sum(sizes[column] for column in scan.columns if column in sizes)
    return round(scan.rows * row_size)


def profile_of(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    loaded = json.loads(connection.get_profiling_information(format="json"))
    return loaded if isinstance(loaded, dict) else {}


def _operators(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for child in list(node.get("operator") or []) + list(node.get("children") or []):
        if isinstance(child, dict):
            yield child
            yield from _operators(child)


def _dml_target(statement: str) -> tuple[str, ...] | None:
    found = _DML_TARGET.match(statement)
    if not found:
        return None
    return tuple(part.strip('"') for part in found.group(1).split("."))


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)] if value else []


def _column(projection: str) -> str:
    """A projected struct field (``stats.points``) is counted as its whole column."""
    return projection.strip().strip('"').split(".")[0]
