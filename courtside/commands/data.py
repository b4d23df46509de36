"""Data commands: ``courtside ingest PATH...`` lands raw files in the raw bucket and shows what loaded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from courtside.console import console
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import build_dependencies
from shared.services.ingest import REPORTS_CACHE_KEY, IngestReport
from shared.services.raw_files import land_raw_file

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
# Within one date the schedule comes first (lines and box scores are checked against it), then injuries,
# then lines (open before close), then box scores: the order the real feeds arrive in.
_FOLDER_RANK = {"schedule": 0, "injuries": 1, "lines": 2, "boxscores": 3}


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Raw files or folders (e.g. a simulated season's output)."),
    ],
) -> None:
    """Land raw files in the raw bucket and ingest them (schedule first, then by game date)."""
    files = ordered_files(paths)
    if not files:
        raise typer.BadParameter("no files found under the given paths")
    deps = build_dependencies()
    table = _table()
    try:
        for source, name in files:
            land_raw_file(deps, source, name)
            if not isinstance(deps.bus, InProcessBus):
                table.add_row(name, "-", "landed", "-", "-", "-", "ingest runs in the cloud")
                continue
            outcomes = [o for o in deps.bus.drain() if getattr(o, "function", None) == "ingest"]
            report = deps.cache.get(REPORTS_CACHE_KEY, {}).get(name)
            table.add_row(*_row(name, outcomes[0] if outcomes else None, report))
    finally:
        close = getattr(deps.warehouse, "close", None)
        if close:
            close()
    console.print(table)


def ordered_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every file (folders walked, hidden files skipped) with its object name, in replay order.

    A file inside a given folder keeps its path relative to that folder as object name (the simulator's
    ``lines/2025-01-14_open.csv``); a file given directly is named ``<its folder>/<its name>``.
    """
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            for file in path.rglob("*"):
                relative = file.relative_to(path)
                if file.is_file() and not any(part.startswith(".") for part in relative.parts):
                    found[relative.as_posix()] = file
        else:
            found[f"{path.parent.name}/{path.name}" if path.parent.name else path.name] = path
    return [(found[name], name) for name in sorted(found, key=replay_order)]


def replay_order(name: str) -> tuple[str, int, int, str]:
    """Undated files first (the season schedule), then by date: schedule, injuries, lines, box scores."""
    match = _DATE_IN_NAME.search(name)
    folder = name.split("/", 1)[0] if "/" in name else ""
    phase = 1 if "_close" in name else 0  # a date's opening lines before its closing lines
    return (match.group(1) if match else "", _FOLDER_RANK.get(folder, len(_FOLDER_RANK)), phase, name)


def _table() -> Table:
    table = Table(title="courtside ingest")
    for column in ("file", "kind", "status", "rows loaded", "rejected", "dates affected", "detail"):
        table.add_column(column, overflow="fold")
    return table


def _row(name: str, outcome: Any, report: IngestReport | None) -> tuple[str, ...]:
    status = str(getattr(outcome, "status", "not delivered"))
    if report is None:
        return (name, "-", status, "-", "-", "-", str(getattr(outcome, "detail", "")))
    dates = report.dates_affected
    shown = (
        ", ".join(d.isoformat() for d in dates)
        if len(dates) <= 3
        else f"{dates[0]} .. {dates[-1]} ({len(dates)})"
    )
    notes = []
    if report.file_problem:
        notes.append(report.file_problem)
    else:
        notes.append(f"{report.rows_written} new or changed")
        if report.reasons:
            notes.append(", ".join(f"{r} x{n}" for r, n in sorted(report.reasons.items())))
        if report.ignored_columns:
            notes.append("ignored columns: " + ", ".join(report.ignored_columns))
    return (
        name,
        report.file_kind.value if report.file_kind else "unknown",
        status,
        str(report.rows_valid),
        str(report.rows_rejected),
        shown or "-",
        "; ".join(notes),
    )
