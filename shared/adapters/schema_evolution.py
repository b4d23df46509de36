"""How an existing table follows its schema file: the additive rule both engines can apply in place.

A schema file under ``schemas/bigquery/`` may gain nullable columns; an existing table gets them (existing
rows NULL), as Terraform adds them on BigQuery. A column may be relaxed from NOT NULL to nullable, or
dropped from the file: the table keeps it (neither engine removes a column in place) and, when it is NOT
NULL, relaxes it, so writes that no longer name it still work. What no engine does in place to a table
with rows (add a NOT NULL column, change a column's type, tighten one to NOT NULL) is refused: the table
needs a migration, or the home a new start. Pure: the adapters read the columns and run the statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SchemaEvolutionError(RuntimeError):
    """An existing table with rows differs from its schema file in a way that cannot be applied in place."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool


@dataclass(frozen=True)
class TableChanges:
    """What ``table`` (``dataset.name``) needs to match its schema file."""

    table: str
    added: tuple[Column, ...] = ()  # nullable columns of the file the table lacks: added, rows NULL
    relaxed: tuple[str, ...] = ()  # NOT NULL in the table, nullable or gone in the file: DROP NOT NULL
    kept: tuple[str, ...] = ()  # in the table, no longer in the file: left as they are
    # Not possible in place on a table with rows, each a sentence naming the column.
    impossible: tuple[str, ...] = ()

    @property
    def alters(self) -> bool:
        return bool(self.added or self.relaxed)


def table_changes(table: str, expected: Sequence[Column], actual: Sequence[Column]) -> TableChanges:
    """Compare the columns the schema file gives (``expected``) with the table's (``actual``)."""
    found = {column.name: column for column in actual}
    wanted = {column.name: column for column in expected}
    added: list[Column] = []
    relaxed: list[str] = []
    impossible: list[str] = []
    for column in expected:
        have = found.get(column.name)
        if have is None:
            if column.nullable:
                added.append(column)
            else:
                impossible.append(f"column {column.name} {column.type} NOT NULL is missing")
            continue
        if have.type != column.type:
            impossible.append(
                f"column {column.name} is {have.type} here but {column.type} in the schema file"
            )
        if column.nullable and not have.nullable:
            relaxed.append(column.name)
        elif not column.nullable and have.nullable:
            impossible.append(f"column {column.name} is nullable here but NOT NULL in the schema file")
    kept = [column for column in actual if column.name not in wanted]
    relaxed += [column.name for column in kept if not column.nullable]
    return TableChanges(
        table=table,
        added=tuple(added),
        relaxed=tuple(relaxed),
        kept=tuple(column.name for column in kept),
        impossible=tuple(impossible),
    )


def refusal(changes: TableChanges, home: str) -> SchemaEvolutionError:
    return SchemaEvolutionError(
        f"table {changes.table} in {home} has rows and differs from "
        f"schemas/bigquery/{changes.table.replace('.', '/')}.sql in a way no engine applies in place: "
        + "; ".join(changes.impossible)
        + ". Write a migration (add the column nullable, fill it, or copy into a new table), or start a new "
        "home; docs/sql-conventions.md, 'Schema changes'."
    )
