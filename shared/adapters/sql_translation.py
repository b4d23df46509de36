"""BigQuery-dialect SQL in, the SQL a given engine runs out.

SQL files are written once in BigQuery's dialect with ``@name`` parameters. For DuckDB they are
transpiled by sqlglot; dataset names get the configured suffix for both engines. Constructs that
sqlglot translates wrongly (listed in docs/sql-conventions.md) are refused here instead of silently
returning different numbers on the two engines.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import tempfile
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from shared.settings import DATASETS

# sqlglot logs every BigQuery-only table property (PARTITION BY, CLUSTER BY, OPTIONS) it drops for DuckDB.
logging.getLogger("sqlglot").setLevel(logging.ERROR)
log = logging.getLogger("courtside.sql")

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
    from sqlglot import exp

    if not suffix:
        return tree
    for table in tree.find_all(exp.Table):
        if table.db in DATASETS:
            table.set("db", exp.to_identifier(table.db + suffix))
    return tree


@lru_cache(maxsize=1024)
def to_duckdb(sql: str, dataset_suffix: str = "") -> list[str]:
    """Translate one BigQuery script (one or more statements) to DuckDB statements."""
    import sqlglot  # imported on first translation only: a warm translation cache never needs it

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
    import sqlglot

    statements = sqlglot.parse(sql, read="bigquery")
    return ";\n".join(
        _rename_datasets(statement, dataset_suffix).sql(dialect="bigquery")
        for statement in statements
        if statement is not None
    )


@cache
def translator_identity() -> str | None:
    """What a stored translation depends on: the installed sqlglot release and this module's code.

    Read from files, without importing sqlglot (importing it is most of what the cache saves).
    """
    spec = importlib.util.find_spec("sqlglot")
    if spec is None or spec.origin is None:
        return None
    version_file = Path(spec.origin).parent / "_version.py"
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(version_file.read_bytes() if version_file.is_file() else spec.origin.encode())
    return digest.hexdigest()[:16]


class TranslationCache:
    """DuckDB translations kept in a JSON file beside the warehouse, so a cold start (a fresh function
    process) neither imports sqlglot nor re-translates the DDL and queries it ran before.

    Entries are keyed by the full BigQuery SQL text and the dataset suffix, and the file is ignored when
    sqlglot or this module changed, so a stored translation is always the one ``to_duckdb`` would give.
    Several processes may share the file: it is replaced atomically, and an entry lost to a concurrent
    writer only costs one translation.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._entries: dict[str, list[str]] | None = None
        self._identity: str | None = None

    def to_duckdb(self, sql: str, dataset_suffix: str = "") -> list[str]:
        check_portable(sql)
        entries = self._load()
        key = f"{dataset_suffix}\n{sql}"
        found = entries.get(key)
        if found is not None:
            return list(found)
        statements = to_duckdb(sql, dataset_suffix)
        entries[key] = statements
        self._save(entries)
        return list(statements)

    def _load(self) -> dict[str, list[str]]:
        if self._entries is not None:
            return self._entries
        self._entries = {}
        if self._path is None:
            return self._entries
        self._identity = translator_identity()
        try:
            stored = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self._entries
        if isinstance(stored, dict) and stored.get("translator") == self._identity and self._identity:
            translations = stored.get("translations")
            if isinstance(translations, dict):
                self._entries = {
                    key: value
                    for key, value in translations.items()
                    if isinstance(value, list) and all(isinstance(v, str) for v in value)
                }
        return self._entries

    def _save(self, entries: dict[str, list[str]]) -> None:
        if self._path is None or not self._identity:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=self._path.parent, prefix=f".{self._path.name}.", encoding="utf-8", delete=False
            ) as handle:
                json.dump({"translator": self._identity, "translations": entries}, handle)
            os.replace(handle.name, self._path)
        except OSError as exc:  # a read-only home still works, it just translates every time
            log.warning("could not store SQL translations in %s: %s", self._path, exc)
