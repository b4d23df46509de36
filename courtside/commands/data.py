"""Data commands: ``courtside ingest PATH...`` lands raw files in the raw bucket and shows what loaded."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from courtside.console import console
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import Dependencies, build_dependencies
from shared.domain.raw_validation import FileKind, detect_kind
from shared.ingest.readers import sniff_columns
from shared.services.ingest import REPORTS_CACHE_KEY, IngestReport
from shared.services.raw_files import land_raw_file

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
# Within one date (or among undated files) the schedule comes first (lines and box scores are checked against
# it), then injuries, then lines (open before close), then box scores: the order the real feeds arrive in.
# The kind comes from the file's columns, never from its name; a file of no known kind goes last.
_KIND_RANK = {FileKind.SCHEDULE: 0, FileKind.INJURIES: 1, FileKind.PROP_LINES: 2, FileKind.BOXSCORES: 3}


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Raw files or folders (e.g. a simulated season's output)."),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Overwrite an object already in the raw bucket with different content."
        ),
    ] = False,
) -> None:
    """Land raw files in the raw bucket and ingest them (schedule first, then by game date).

    Exits 1 when any file loads nothing (refused, every row rejected, no data rows, or a name clash).
    """
    files = ordered_files(paths)
    if not files:
        raise typer.BadParameter("no files found under the given paths")
    deps = build_dependencies()
    table = _table()
    landed: list[str] = []
    clashes: list[str] = []
    outcomes: dict[str, Any] = {}
    try:
        for source, name in files:
            if not replace and _clashes_with_stored(deps, name, source):
                clashes.append(name)
                table.add_row(name, "-", "refused", "-", "-", "-", _CLASH)
                continue
            land_raw_file(deps, source, name)
            landed.append(name)
            if not isinstance(deps.bus, InProcessBus):
                table.add_row(name, "-", "landed", "-", "-", "-", "ingest runs in the cloud")
                continue
            delivered = [o for o in deps.bus.drain() if getattr(o, "function", None) == "ingest"]
            outcomes[name] = delivered[0] if delivered else None
            report = deps.cache.get(REPORTS_CACHE_KEY, {}).get(name)
            table.add_row(*_row(name, outcomes[name], report))
        reports: dict[str, IngestReport] = deps.cache.get(REPORTS_CACHE_KEY, {})
        # A held file re-driven by a later schedule has a newer report than the row printed for it above.
        empty = clashes + [name for name in outcomes if not _loaded_something(reports.get(name))]
    finally:
        close = getattr(deps.warehouse, "close", None)
        if close:
            close()
    console.print(table)
    if empty:
        console.print(f"[bold red]{len(empty)} file(s) loaded nothing:[/] " + ", ".join(empty))
        raise typer.Exit(1)


_CLASH = "an object of this name with different content is already in the raw bucket (--replace overwrites)"


def _clashes_with_stored(deps: Dependencies, name: str, source: Path) -> bool:
    bucket = deps.settings.raw_bucket
    return deps.blobs.exists(bucket, name) and deps.blobs.read_bytes(bucket, name) != source.read_bytes()


def _loaded_something(report: IngestReport | None) -> bool:
    return report is not None and report.file_problem is None and report.rows_valid > 0


def ordered_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Every file (folders walked, hidden files skipped) with its object name, in replay order.

    Object names are paths relative to the deepest folder holding every argument, so they keep their folder:
    ``courtside ingest sim/*`` names ``boxscores/2025-10-22.csv`` and ``schedule/2025-10-22.csv`` apart.
    One folder given alone is that folder (a season folder gives ``schedule/season.csv``); one file given
    alone is named ``<its folder>/<its name>``. Two different files never get the same name.
    """
    resolved = [path.resolve() for path in paths]
    homes = [path if path.is_dir() else path.parent for path in resolved]
    base = Path(os.path.commonpath(homes))
    if len(resolved) == 1 and resolved[0].is_file() and base.parent != base:
        base = base.parent
    found: dict[str, Path] = {}
    for path in resolved:
        if path.is_dir():
            for file in path.rglob("*"):
                if file.is_file() and not any(p.startswith(".") for p in file.relative_to(path).parts):
                    found[file.relative_to(base).as_posix()] = file
        else:
            found[path.relative_to(base).as_posix()] = path
    kinds = {name: detect_kind(sniff_columns(file)).kind for name, file in found.items()}
    return [(found[name], name) for name in sorted(found, key=lambda name: replay_order(name, kinds[name]))]


def replay_order(name: str, kind: FileKind | None) -> tuple[bool, str, int, int, str]:
    """Undated files first (a season schedule, flat multi-date files), then by date; within each, by kind:
    schedule, injuries, lines (a date's opening before its closing lines), box scores. Files of no known
    kind go last (ingest refuses them, loudly)."""
    match = _DATE_IN_NAME.search(name)
    phase = 1 if "_close" in name else 0
    rank = _KIND_RANK[kind] if kind else len(_KIND_RANK)
    return (kind is None, match.group(1) if match else "", rank, phase, name)


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
