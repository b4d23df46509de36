"""Idempotent writes of validated raw rows and of rejects.

Rows are compared by natural key with what is already stored and only new or changed rows are written
(replace-by-key), so re-ingesting the same or an overlapping file adds nothing and changes nothing
(not even ``loaded_at`` or the provenance columns), while a corrected row replaces the old one.
Rejects belong to their raw object: a redelivery finds the same set and writes nothing; a re-landed
object with different content replaces its earlier rejects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from shared.clock import as_utc
from shared.ports import Row, Warehouse
from shared.sql import load_sql

REJECTS_TABLE = "nba_raw.rejects"
REJECTS_KEY = ("source_object", "row_number", "column_name")
# A landing's rejects are written by key and landing time: the write reads that landing's partition only.
REJECTS_WRITE_KEY = (*REJECTS_KEY, "rejected_at")
_REJECT_CONTENT = ("file_kind", "reason", "raw_value", "raw_row")


def _comparable(value: Any) -> Any:
    """Stored and parsed values compare equal when they mean the same (naive warehouse times are UTC)."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def changed_rows(
    rows: Sequence[Mapping[str, Any]],
    existing: Sequence[Mapping[str, Any]],
    key_columns: Sequence[str],
    content_columns: Sequence[str],
) -> list[Mapping[str, Any]]:
    """The rows whose key is not stored yet or whose content differs from the stored row."""
    stored = {
        tuple(_comparable(row[c]) for c in key_columns): tuple(
            _comparable(row.get(c)) for c in content_columns
        )
        for row in existing
    }
    result = []
    for row in rows:
        key = tuple(_comparable(row[c]) for c in key_columns)
        content = tuple(_comparable(row.get(c)) for c in content_columns)
        if stored.get(key) != content:
            result.append(row)
    return result


def write_new_or_changed(
    warehouse: Warehouse,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    existing: Sequence[Mapping[str, Any]],
    key_columns: Sequence[str],
    content_columns: Sequence[str],
) -> int:
    """Replace-by-key only the new or changed rows; returns how many were written."""
    to_write = changed_rows(rows, existing, key_columns, content_columns)
    if not to_write:
        return 0
    return warehouse.replace_rows(table, to_write, key_columns)


def replace_rejects(warehouse: Warehouse, source_object: str, rejects: Sequence[Row], since: datetime) -> int:
    """Make the stored rejects of ``source_object`` equal to ``rejects``; returns rows written (0 if same).

    Its earlier rejects are looked for from ``since`` on (the earliest its earlier landings can be, see
    ingest/source_rejects.sql), so the lookup reads those partitions, not every landing's since the first."""
    params = {"source_object": source_object, "since": since}
    stored = warehouse.query(load_sql("ingest/source_rejects"), params)

    def content(rows: Sequence[Mapping[str, Any]]) -> set[tuple[Any, ...]]:
        return {tuple(row.get(c) for c in REJECTS_KEY + _REJECT_CONTENT) for row in rows}

    if content(stored) == content(rejects):
        return 0
    if stored:
        warehouse.execute(load_sql("ingest/delete_source_rejects"), params)
    return warehouse.replace_rows(REJECTS_TABLE, rejects, REJECTS_WRITE_KEY) if rejects else 0
