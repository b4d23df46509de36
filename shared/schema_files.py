"""Finds the BigQuery DDL under ``schemas/bigquery/<dataset>/<table>.sql``: the one source of every table.

The folder sits beside the ``shared`` package both in the repository and in a vendored function
folder (``make vendor`` copies it), so the same lookup works in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCHEMAS_ROOT = Path(__file__).resolve().parent.parent / "schemas" / "bigquery"
_PARTITION = re.compile(r"^\s*PARTITION\s+BY\s+(?:DATE\s*\(\s*)?([A-Za-z_][A-Za-z0-9_]*)", re.I | re.M)
_VIEW_SOURCE = re.compile(r"\bFROM\s+([a-z_]+\.[a-z_]+)", re.I)
_VIEW = re.compile(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?VIEW\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class TableDefinition:
    dataset: str
    name: str
    ddl: str
    is_view: bool

    @property
    def qualified_name(self) -> str:
        return f"{self.dataset}.{self.name}"


@lru_cache(maxsize=4)
def table_definitions(root: Path = SCHEMAS_ROOT) -> tuple[TableDefinition, ...]:
    """Every table then every view, each group sorted by name, so views find their tables."""
    if not root.is_dir():
        raise FileNotFoundError(f"schema folder {root} is missing (did `make vendor` copy schemas/?)")
    definitions = [
        TableDefinition(
            dataset=path.parent.name,
            name=path.stem,
            ddl=path.read_text(encoding="utf-8"),
            is_view=bool(_VIEW.search(path.read_text(encoding="utf-8"))),
        )
        for path in sorted(root.glob("*/*.sql"))
    ]
    return tuple(sorted(definitions, key=lambda d: (d.is_view, d.qualified_name)))


@lru_cache(maxsize=4)
def partition_columns(root: Path = SCHEMAS_ROOT) -> dict[str, str]:
    """``dataset.table`` -> the column its partitions are cut on (``PARTITION BY game_date`` or
    ``PARTITION BY DATE(started_at)``: a filter on ``started_at`` prunes the latter), for every partitioned
    table and every view over one (a filter on the view's column prunes its table's partitions)."""
    definitions = table_definitions(root)
    columns: dict[str, str] = {}
    for definition in definitions:
        match = None if definition.is_view else _PARTITION.search(definition.ddl)
        if match:
            columns[definition.qualified_name] = match.group(1)
    for definition in definitions:
        source = _VIEW_SOURCE.search(definition.ddl) if definition.is_view else None
        if source and source.group(1) in columns:
            columns[definition.qualified_name] = columns[source.group(1)]
    return columns
