"""Several SQL files read in ONE statement (one BigQuery job), each file's rows as an array of structs.

A service whose reads all depend on its event alone (diagnostics: eight reads of one game date; alerts: an
alert's history and its scope's incidents) combines them instead of paying a job, and about a second of
latency, per read. The files stay the one source: each part is
a file under ``shared/sql`` run as written, except that its outermost ``SELECT`` becomes ``SELECT AS STRUCT``
inside ``ARRAY(...)`` (so its rows keep their ``ORDER BY``) and its ``@parameters`` are renamed
``@<part>__<name>``, so two parts may bind the same name to different values (``window_start``).

The result is one row with one column per part; ``split_rows`` turns it back into each part's rows, the very
rows ``warehouse.query(load_sql(file), params)`` returns. An empty part is an empty list on both engines.

On BigQuery, ``ARRAY(subquery)`` keeps the subquery's ORDER BY, the full SELECT syntax (CTEs included) is
valid in a subquery, and an empty array comes back as ``[]``; the one result row must stay under BigQuery's
100 MB row limit (diagnostics': under 4 MB as JSON on the demo season's last date with a champion and one
shadow, about 1.5 MB more per system). ``tests/integration/test_combined_read_backends.py`` checks the
rows against each file alone on DuckDB and on bqemulator.

The rewrite is textual (no SQL parser: a function's cold start never imports sqlglot for it), so a part must
be one query with exactly one outermost ``SELECT`` (CTEs are fine, a top-level UNION is refused) and must name
its columns (``SELECT AS STRUCT *`` does not translate to DuckDB: refused too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.ports import Row, Warehouse
from shared.sql import load_sql

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODIFIER = re.compile(r"\s+(DISTINCT|ALL)\b", re.I)
_PART_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
SEPARATOR = "__"


class CombinedSqlError(ValueError):
    """A part cannot be combined as it is written."""


@dataclass(frozen=True)
class SqlRead:
    """One SQL file (``load_sql`` name) and the parameters it is run with."""

    file: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def run(self, warehouse: Warehouse) -> list[Row]:
        """The file on its own: one job."""
        return warehouse.query(load_sql(self.file), self.params)


def combined_statement(parts: Mapping[str, SqlRead]) -> tuple[str, dict[str, Any]]:
    """The statement reading every part at once, and its parameters (each part's, renamed)."""
    if not parts:
        raise CombinedSqlError("nothing to combine")
    columns: list[str] = []
    params: dict[str, Any] = {}
    for name, read in parts.items():
        if not _PART_NAME.match(name) or SEPARATOR in name:
            raise CombinedSqlError(f"part name {name!r}: lower-case letters, digits and single underscores")
        text, used = struct_rows(load_sql(read.file), name, read.file)
        missing = sorted(used - set(read.params))
        if missing:
            raise CombinedSqlError(f"shared/sql/{read.file}.sql needs parameters {missing}")
        params.update({f"{name}{SEPARATOR}{p}": read.params[p] for p in sorted(used)})
        columns.append(f"  ARRAY(\n{text}\n  ) AS {name}")
    return "SELECT\n" + ",\n".join(columns), params


def split_rows(parts: Mapping[str, SqlRead], rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Each part's rows from the combined statement's one row (BigQuery may give NULL for an empty array)."""
    if len(rows) != 1:
        raise CombinedSqlError(f"a combined read returns one row, not {len(rows)}")
    return {name: [dict(r) for r in rows[0][name] or []] for name in parts}


def read_combined(warehouse: Warehouse, parts: Mapping[str, SqlRead]) -> dict[str, list[Row]]:
    """Every part's rows, in one job."""
    sql, params = combined_statement(parts)
    return split_rows(parts, warehouse.query(sql, params))


def struct_rows(sql: str, part: str, file: str = "<text>") -> tuple[str, set[str]]:
    """``sql`` without comments, its outermost SELECT as SELECT AS STRUCT, its parameters renamed
    ``@<part>__<name>``; and the names of the parameters it uses."""
    out: list[str] = []
    used: set[str] = set()
    selects: list[int] = []  # positions in ``out`` right after each outermost SELECT keyword
    depth = 0
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"`":  # a literal or quoted identifier, copied as it is
            end = sql.find(char, i + 1)
            while end != -1 and sql[end - 1] == "\\":
                end = sql.find(char, end + 1)
            if end == -1:
                raise CombinedSqlError(f"shared/sql/{file}.sql: unterminated {char}")
            out.append(sql[i : end + 1])
            i = end + 1
        elif sql.startswith("--", i) or char == "#":  # a comment: dropped (an @name in it is no parameter)
            end = sql.find("\n", i)
            i = n if end == -1 else end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end == -1 else end + 2
        elif char == "@":
            word = _WORD.match(sql, i + 1)
            if word is None:
                raise CombinedSqlError(f"shared/sql/{file}.sql: '@' without a parameter name")
            used.add(word.group())
            out.append(f"@{part}{SEPARATOR}{word.group()}")
            i = word.end()
        elif char == "(":
            depth += 1
            out.append(char)
            i += 1
        elif char == ")":
            depth -= 1
            out.append(char)
            i += 1
        elif _WORD.match(char):
            word = _WORD.match(sql, i)
            assert word is not None
            text = word.group()
            keyword = text.upper()
            if depth == 0 and keyword in ("UNION", "INTERSECT", "EXCEPT"):
                raise CombinedSqlError(f"shared/sql/{file}.sql: a top-level {keyword} cannot be combined")
            out.append(text)
            i = word.end()
            if depth == 0 and keyword == "SELECT":
                modifier = _MODIFIER.match(sql, i)
                if modifier:
                    out.append(modifier.group())
                    i = modifier.end()
                selects.append(len(out))
        else:
            out.append(char)
            i += 1
    if len(selects) != 1:
        raise CombinedSqlError(f"shared/sql/{file}.sql: {len(selects)} outermost SELECTs, expected one")
    out.insert(selects[0], " AS STRUCT")
    body = "".join(out).strip().rstrip(";").strip()
    if re.search(r"\bAS STRUCT\s+\*", body):
        raise CombinedSqlError(f"shared/sql/{file}.sql: name the columns (SELECT * does not combine)")
    return "\n".join(f"    {line}" for line in body.splitlines() if line.strip()), used
