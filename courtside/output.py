"""Rows out of the operator commands as a rich table, JSON or CSV (safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import typer
from rich.table import Table

from courtside import cells
from courtside.console import console

FORMATS = ("table", "json", "csv")
# A spreadsheet evaluates a cell starting with one of these as a formula (CSV injection).
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def check_format(output_format: str) -> str:
    if output_format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    return output_format


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left alone (``-3.5`` is data); only text is escaped, whatever it looks like.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_LEADS):
        return "'" + value
    if isinstance(value, list | dict):
        return csv_cell(json.dumps(value, default=str))
    return value


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    fields = list(columns if columns is not None else (rows[0] if rows else []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in fields])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in fields])
    return buffer.getvalue()


def to_json(value: Any) -> str:
    return json.dumps(value, default=_json_default, indent=2)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def cell_text(value: Any, exact: bool = False) -> str:
    """A table cell (``courtside.cells``: integers as integers, floats to 3 decimals, instants in ET) unless
    ``exact`` (``courtside query`` shows data as it is)."""
    if exact:
        return "" if value is None else str(value)
    return cells.cell_text(value)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    title: str,
    columns: Sequence[str] | None = None,
    exact: bool = False,
    labels: Mapping[str, str] | None = None,
) -> None:
    """``rows`` as a table; ``labels`` gives a column a header other than its key (e.g. ``... (ET)``)."""
    fields = list(columns if columns is not None else (rows[0] if rows else []))
    if not fields:
        console.print(f"{title}: none")
        return
    table = Table(*((labels or {}).get(f, f) for f in fields), title=title)
    for row in rows:
        table.add_row(*(cell_text(row.get(c), exact) for c in fields))
    console.print(table)


def emit(rows: Sequence[Mapping[str, Any]], output_format: str, title: str, exact: bool = False) -> None:
    """Print ``rows`` in ``output_format`` (table, json or csv)."""
    if output_format == "json":
        typer.echo(to_json(list(rows)))
    elif output_format == "csv":
        typer.echo(to_csv(rows), nl=False)
    else:
        print_table(rows, title, exact=exact)


def fail(message: str) -> typer.Exit:
    """Print one clear line on stderr; the caller raises the returned ``Exit`` (status 1)."""
    typer.echo(f"courtside: {message}", err=True)
    return typer.Exit(code=1)


def sql_error_line(exc: BaseException) -> str:
    """The engine's own message, on one line: DuckDB, sqlglot and BigQuery put the useful part first."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    first = next((line.strip() for line in str(message).splitlines() if line.strip()), type(exc).__name__)
    return f"{type(exc).__name__}: {first}"


def rate_text(rate: float | None, n: int, lower: float | None, upper: float | None) -> str:
    """``52.4% (n=170, 95% 44.9-59.8%)``; a rate never appears without its n."""
    if rate is None or lower is None or upper is None:
        return f"- (n={n})"
    return f"{rate:.1%} (n={n}, 95% {lower:.1%}-{upper:.1%})"


def with_rate_text(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``row`` with its ``prefix`` rate fields folded into one readable column named ``prefix``."""
    names = [prefix, f"{prefix}_n", f"{prefix}_lower", f"{prefix}_upper", f"{prefix}_vs_break_even"]
    text = rate_text(row.get(prefix), int(row.get(f"{prefix}_n") or 0), row.get(names[2]), row.get(names[3]))
    folded: dict[str, Any] = {}
    for key, value in row.items():
        if key == prefix:
            folded[key] = text
        elif key not in names:
            folded[key] = value
    return folded


def transposed(rows: Sequence[Mapping[str, Any]], key: str) -> list[dict[str, Any]]:
    """One row per field and one column per row's ``key`` value: for wide records read side by side."""
    columns = [str(row[key]) for row in rows]
    fields = [name for name in (rows[0] if rows else {}) if name != key]
    return [
        {"field": name, **{c: cell_text(r.get(name)) for c, r in zip(columns, rows, strict=True)}}
        for name in fields
    ]
