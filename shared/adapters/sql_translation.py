"""BigQuery-dialect SQL in, the SQL a given engine runs out.

SQL files are written once in BigQuery's dialect with ``@name`` parameters. For DuckDB they are
transpiled by sqlglot; dataset names get the configured suffix for both engines. Constructs that
sqlglot translates wrongly (see docs/sql-conventions.md) are refused here instead of silently
returning different numbers on the two engines.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

from shared.settings import DATASETS

# sqlglot logs every BigQuery-only table property (PARTITION BY, CLUSTER BY, OPTIONS) it drops for DuckDB.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# Measured: these return different types or values on DuckDB than on BigQuery.
_FORBIDDEN = (
    (re.compile(r"\bDATE_TRUNC\s*\(", re.I), "DATE_TRUNC returns TIMESTAMP on DuckDB"),
    (re.compile(r"\bDAYOFWEEK\b", re.I), "EXTRACT(DAYOFWEEK) is off by one on DuckDB"),
    (re.compile(r"\bWITH\s+OFFSET\b", re.I), "UNNEST ... WITH OFFSET is off by one on DuckDB"),
    (re.compile(r"\bAPPROX_(QUANTILES|TOP_COUNT)\b", re.I), "APPROX_* functions differ on DuckDB"),
)
_DATE_ARITHMETIC = re.compile(r"\bDATE_(SUB|ADD)\s*\(", re.I)
_PARAMETER = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")


class UnsupportedSqlError(ValueError):
    """The SQL uses a construct that would give different answers locally and on BigQuery."""


def check_portable(sql: str) -> None:
    for pattern, why in _FORBIDDEN:
        if pattern.search(sql):
            raise UnsupportedSqlError(f"{why}; rewrite the query (docs/sql-conventions.md)")
    # DATE_SUB/DATE_ADD become TIMESTAMP on DuckDB unless wrapped in CAST(... AS DATE).
    for match in _DATE_ARITHMETIC.finditer(sql):
        prefix = sql[max(0, match.start() - 12) : match.start()].upper().replace(" ", "")
        if not prefix.endswith("CAST("):
            raise UnsupportedSqlError(
                "DATE_SUB/DATE_ADD must be wrapped as CAST(DATE_SUB(...) AS DATE) to keep DATE on DuckDB"
            )


def parameter_names(sql: str) -> set[str]:
    return set(_PARAMETER.findall(sql))


def _rename_datasets(tree: Any, suffix: str) -> Any:
    if not suffix:
        return tree
    for table in tree.find_all(exp.Table):
        if table.db in DATASETS:
            table.set("db", exp.to_identifier(table.db + suffix))
    return tree


@lru_cache(maxsize=1024)
def to_duckdb(sql: str, dataset_suffix: str = "") -> list[str]:
    """Translate one BigQuery script (one or more statements) to DuckDB statements."""
    check_portable(sql)
    statements = sqlglot.parse(sql, read="bigquery")
    return [
        _rename_datasets(statement, dataset_suffix).sql(dialect="duckdb")
        for statement in statements
        if statement is not None
    ]


@lru_cache(maxsize=1024)
def to_bigquery(sql: str, dataset_suffix: str = "") -> str:
    check_portable(sql)
    if not dataset_suffix:
        return sql
    statements = sqlglot.parse(sql, read="bigquery")
    return ";\n".join(
        _rename_datasets(statement, dataset_suffix).sql(dialect="bigquery")
        for statement in statements
        if statement is not None
    )
