"""The checks every warehouse makes before a keyed write, so both engines refuse the same mistakes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def check_keyed_rows(
    table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str], known_columns: Sequence[str]
) -> None:
    """Refuse unknown columns, unknown key columns and two rows with one natural key in a single write."""
    unknown = sorted({name for row in rows for name in row} - set(known_columns))
    if unknown:
        raise ValueError(f"{table} has no column(s) {unknown}")
    missing_keys = [key for key in key_columns if key not in known_columns]
    if missing_keys:
        raise ValueError(f"{table} has no key column(s) {missing_keys}")
    keys = [tuple(row.get(key) for key in key_columns) for row in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate natural keys {list(key_columns)} in one write to {table}")


# A keyed write of at most this many values (rows x the table's columns) is ONE BigQuery job: a MERGE whose
# rows travel inline as an ARRAY<STRUCT> query parameter. A larger one is loaded into a staging table
# first (a load job, then the MERGE: two jobs), keeping the request far below BigQuery's 10 MB limit.
INLINE_MAX_VALUES = 50_000


def is_inline(row_count: int, column_count: int) -> bool:
    """Whether a keyed write's rows travel inside its one MERGE (else: a load job, then the MERGE)."""
    return row_count * column_count <= INLINE_MAX_VALUES


def keyed_write_jobs(row_count: int, column_count: int) -> int:
    """BigQuery jobs one keyed write inserts: one inline MERGE, or a load job and a MERGE."""
    return 1 if is_inline(row_count, column_count) else 2
