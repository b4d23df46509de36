"""Does a statement prune partitions? Every read or write of a partitioned table must restrict its
partition column to constants or parameters, or BigQuery scans (and bills) every partition.

The partition columns come from the DDL (``shared.schema_files.partition_columns``). A statement passes
when, for every reference to a partitioned table, the WHERE, JOIN ... ON or MERGE ... ON of the scope
that reads it has, as one of its AND-ed conditions (or in every branch of an OR), an equality, BETWEEN,
IN or lower bound (``>=``, ``>``) of that table's partition column against an expression with no column
in it (a parameter, a literal, or date arithmetic on them). An upper bound alone (``< @d``) does not
count: it reads every partition before ``@d``, all of history.

A file that must read every partition says so, and why, in a comment line
``-- partitions: all, because <reason>.`` (``exempt_reason``); the test lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp

from shared.schema_files import partition_columns

_EXEMPT = re.compile(r"^--\s*partitions:\s*all,\s*because\s+(\S.*)$", re.I | re.M)
_RESTRICTING = (exp.EQ, exp.NullSafeEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In)
_LOWER_BOUNDS = (exp.GT, exp.GTE)
_UPPER_BOUNDS = (exp.LT, exp.LTE)
_SCOPES = (exp.Select, exp.Merge, exp.Delete, exp.Update, exp.Insert)


@dataclass(frozen=True)
class Unpruned:
    table: str
    column: str

    def __str__(self) -> str:
        return f"{self.table} read without a filter on its partition column {self.column}"


def exempt_reason(sql: str) -> str | None:
    """The reason a SQL file gives for reading every partition, if it gives one."""
    match = _EXEMPT.search(sql)
    return match.group(1).strip() if match else None


def unpruned_tables(sql: str, dialect: str = "bigquery") -> list[Unpruned]:
    """Every reference to a partitioned table that its statement does not prune (empty: all pruned)."""
    problems: list[Unpruned] = []
    partitioned = partition_columns()
    for statement in sqlglot.parse(sql, read=dialect):
        if statement is None or isinstance(statement, exp.Create):
            continue
        for table in statement.find_all(exp.Table):
            name = f"{table.db}.{table.name}".lower()
            column = partitioned.get(name)
            if column and not _pruned(table, column):
                problems.append(Unpruned(name, column))
    return problems


def _pruned(table: exp.Table, column: str) -> bool:
    scope = table.parent
    while scope is not None and not isinstance(scope, _SCOPES):
        scope = scope.parent
    if scope is None:
        return False
    if isinstance(scope, exp.Insert):
        return True  # the target of an INSERT is appended to, not read
    names = {"", table.alias_or_name.lower(), table.name.lower()}
    return any(_restricts(condition, column, names) for condition in _conditions(scope))


def _conditions(scope: exp.Expression) -> list[exp.Expression]:
    found = [scope.args["where"].this] if scope.args.get("where") is not None else []
    if isinstance(scope, exp.Merge) and scope.args.get("on") is not None:
        found.append(scope.args["on"])
    for join in scope.args.get("joins") or []:
        if join.args.get("on") is not None:
            found.append(join.args["on"])
    return found


def _restricts(condition: Any, column: str, names: set[str]) -> bool:
    """True when ``condition`` alone keeps the column within constants (AND: any part; OR: every part)."""
    if isinstance(condition, exp.Paren):
        return _restricts(condition.this, column, names)
    if isinstance(condition, exp.And):
        return _restricts(condition.left, column, names) or _restricts(condition.right, column, names)
    if isinstance(condition, exp.Or):
        return _restricts(condition.left, column, names) and _restricts(condition.right, column, names)
    if isinstance(condition, exp.Between):
        bounds = [condition.args.get("low"), condition.args.get("high")]
        return _is_column(condition.this, column, names) and all(_constant(b) for b in bounds if b)
    if isinstance(condition, exp.In):
        values = [*condition.expressions, condition.args.get("unnest"), condition.args.get("query")]
        return _is_column(condition.this, column, names) and all(_constant(v) for v in values if v)
    if isinstance(condition, _RESTRICTING):
        left, right = condition.args.get("this"), condition.args.get("expression")
        if isinstance(condition, _UPPER_BOUNDS):
            # Only "column >= x" (or "x <= column") bounds the reading: "column < x" reads every
            # partition before x, which grows with every season stored.
            return _is_column(right, column, names) and _constant(left)
        if isinstance(condition, _LOWER_BOUNDS):
            return _is_column(left, column, names) and _constant(right)
        return (_is_column(left, column, names) and _constant(right)) or (
            _is_column(right, column, names) and _constant(left)
        )
    return False


def _is_column(node: Any, column: str, names: set[str]) -> bool:
    if isinstance(node, exp.Date | exp.TsOrDsToDate) or (isinstance(node, exp.Cast) and node.is_type("date")):
        node = node.this  # DATE(started_at) prunes a table partitioned by DATE(started_at)
    return (
        isinstance(node, exp.Column) and node.name.lower() == column.lower() and node.table.lower() in names
    )


def _constant(node: Any) -> bool:
    return not any(True for _ in node.find_all(exp.Column))
