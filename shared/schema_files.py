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
