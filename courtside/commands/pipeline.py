"""Operator commands for the chain itself: run a date range, query the warehouse, see what ran."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from courtside.console import console
from courtside.output import check_format, emit, fail, sql_error_line
from courtside.paced_replay import (
    DEFAULT_POLL_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    PacedReplay,
    ReplayStoppedError,
)
from courtside.replay import DayReport, deliver_pending, replay
from shared import run_log
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock, date_range, utc_now
from shared.domain.metrics import hit_rate
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import BREAK_EVEN_110
from shared.events import ScheduledRun
from shared.sql import load_sql
from shared.topology import FUNCTIONS, schedule


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
    app.command("query")(query_command)
    app.command("status")(status_command)
    app.command("tick")(tick_command)


def run_command(
    date_from: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First game date (ET)")],
    date_to: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last game date (ET)")],
    source: Annotated[
        Path | None,
        typer.Option(help="Season folder to replay (courtside simulate); default: the demo season"),
    ] = None,
    timeout_minutes: Annotated[
        float,
        typer.Option(help="On gcp: longest wait for one landing's chain before stopping"),
    ] = DEFAULT_TIMEOUT_SECONDS / 60,
    poll_seconds: Annotated[
        float, typer.Option(help="On gcp: how often pipeline_runs is read while waiting")
    ] = DEFAULT_POLL_SECONDS,
) -> None:
    """Drive the chain date by date through the configured bus, then summarise what each step did.
    On gcp, paced: each landing carries its simulated time and waits for its chain in pipeline_runs."""
    from courtside.seasons import default_season_folder

    folder = source or default_season_folder()
    deps = build_dependencies(clock=SettableClock())
    pacing = Pacing(timeout_minutes * 60, poll_seconds)
    try:
        run_range(deps, folder, date_from.date(), date_to.date(), pacing=pacing)
    except ReplayStoppedError as exc:
        raise fail(str(exc)) from exc


@dataclass(frozen=True)
class Pacing:
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    poll_seconds: float = DEFAULT_POLL_SECONDS


def run_range(
    deps: Dependencies,
    folder: Path,
    start: date,
    end: date,
    summary: bool = True,
    pacing: Pacing = Pacing(),
) -> None:
    """Replay ``start`` .. ``end``: in process when this process delivers the messages, else paced."""
    days = date_range(start, end)
    started = utc_now()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(f"replaying {start} .. {end}", total=len(days))

        def advance(report: DayReport) -> None:
            progress.update(task, advance=1, description=f"replayed {report.game_date}")

        if isinstance(deps.bus, InProcessBus):
            replay(deps, folder, start, end, on_day=advance)
        else:

            def waiting(text: str) -> None:
                progress.update(task, description=text)

            paced = PacedReplay(deps, folder, pacing.timeout_seconds, pacing.poll_seconds, report=waiting)
            paced.run(start, end, on_day=advance)
    if summary:
        print_run_summary(deps, start, end, started)


def print_run_summary(deps: Dependencies, start: date, end: date, since: datetime) -> None:
    rows = run_log.outcomes_since(deps.warehouse, since)
    by_function: dict[str, dict[str, Any]] = {f: {"rows": 0} for f in FUNCTIONS}
    for row in rows:
        entry = by_function.setdefault(row["function_name"], {"rows": 0})
        entry[row["status"]] = int(row["runs"])
        entry["rows"] += int(row["rows_written"] or 0)
    table = Table(title=f"Courtside run {start} .. {end}")
    for column in (
        "function",
        "success",
        "skipped",
        "rejected",
        "failed",
        "rows written",
        "what it did (latest)",
    ):
        table.add_column(
            column, justify="left" if column in {"function", "what it did (latest)"} else "right"
        )
    for function in FUNCTIONS:
        entry = by_function[function]
        latest = run_log.latest_run_since(deps.warehouse, function, since)
        what = (latest["detail"] or latest["error"] or "") if latest else "never ran"
        table.add_row(
            function,
            str(entry.get("success", 0)),
            str(entry.get("skipped", 0)),
            str(entry.get("rejected", 0)),
            _red(entry.get("failed", 0)),
            str(entry["rows"]),
            what[:90],
        )
    console.print(table)
    print_system_performance(deps, start, end)
    dead = len(getattr(deps.bus, "dead_letters", []))
    if dead:
        console.print(
            f"[bold red]{dead} deliveries were dead-lettered[/] (see pipeline_runs status 'failed')"
        )


def print_system_performance(deps: Dependencies, start: date, end: date) -> None:
    """Hit rate of every system with its sample size and Wilson 95% interval against the -110 break-even."""
    rows = deps.warehouse.query(
        load_sql("reports/system_performance"), {"start": start, "end": end, **production_systems_param()}
    )
    if not rows:
        return
    table = Table(title=f"Graded predictions {start} .. {end} (break-even at -110: {BREAK_EVEN_110:.2%})")
    for column in ("system", "role", "bets", "hit rate", "95% interval", "vs break-even", "pushes", "voided"):
        table.add_column(column, justify="left" if column in {"system", "role", "vs break-even"} else "right")
    table.add_column("MAE model / line", justify="right")
    for row in rows:
        rate = hit_rate(int(row["wins"]), int(row["decided"]))
        interval = "-" if rate.lower is None else f"{rate.lower:.1%} .. {rate.upper:.1%}"
        errors = "-" if row["model_mae"] is None else f"{row['model_mae']:.2f} / {row['line_mae']:.2f}"
        table.add_row(
            row["system_id"],
            "champion" if row["is_champion"] else "shadow",
            str(rate.n),
            "-" if rate.rate is None else f"{rate.rate:.1%}",
            interval,
            "-" if rate.position is None else str(rate.position),
            str(row["pushes"]),
            str(row["voided"]),
            errors,
        )
    console.print(table)


def _red(count: int) -> str:
    return f"[bold red]{count}[/]" if count else "0"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parameter(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise typer.BadParameter(f"parameters are NAME=VALUE, not {text!r}")
    value: Any = raw
    if _DATE.match(raw):
        value = date.fromisoformat(raw)
    elif re.fullmatch(r"-?\d+", raw):
        value = int(raw)
    elif re.fullmatch(r"-?\d+\.\d*", raw):
        value = float(raw)
    return name, value


def query_command(
    sql: Annotated[str, typer.Argument(help="BigQuery-dialect SQL; values as @name parameters")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (dates, ints auto)")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run SQL against the configured warehouse (DuckDB locally, BigQuery on gcp)."""
    check_format(output_format)
    params = dict(_parameter(p) for p in param or [])
    deps = build_dependencies()
    try:
        rows = deps.warehouse.query(sql, params)
    except Exception as exc:  # any engine's SQL error: its one-line message, not a traceback
        raise fail(f"query failed: {sql_error_line(exc)}") from None
    finally:
        close = getattr(deps.warehouse, "close", None)
        if close:
            close()
    emit(rows, output_format, f"{len(rows)} row(s)", exact=True)


_STATUS_MARK = {"success": "[green]ok[/]", "skipped": "[yellow]skip[/]", "rejected": "[magenta]rej[/]"}


def status_command(
    date_from: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First game date (ET)")
    ] = None,
    date_to: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last game date")
    ] = None,
) -> None:
    """What ran per game date and function (the latest run of each), from pipeline_runs."""
    deps = build_dependencies()
    first, last = run_log.game_date_bounds(deps.warehouse)
    if first is None or last is None:
        console.print("Nothing has run yet.")
        return
    end = date_to.date() if date_to else last
    start = date_from.date() if date_from else max(first, end.fromordinal(end.toordinal() - 13))
    rows = run_log.latest_run_per_date(deps.warehouse, start, end)
    cells = {(r["game_date"], r["function_name"]): r for r in rows}
    table = Table("game date", *FUNCTIONS, title="Latest run per date and function (rows written)")
    for day in date_range(start, end):
        marks = []
        for function in FUNCTIONS:
            run = cells.get((day, function))
            if run is None:
                marks.append("-")
            else:
                mark = _STATUS_MARK.get(run["status"], f"[bold red]{run['status']}[/]")
                marks.append(f"{mark} {run['rows_written'] or 0}")
        table.add_row(day.isoformat(), *marks)
    console.print(table)


def tick_command(
    schedule_name: Annotated[str, typer.Argument(help="A schedule of shared/topology.py")],
    game_date: Annotated[
        datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="Pin the date (ET)")
    ] = None,
) -> None:
    """Publish what a Cloud Scheduler job would publish (e.g. grading-safety-net)."""
    job = schedule(schedule_name)
    deps = build_dependencies()
    event = ScheduledRun(
        schedule=job.name, relative_day=job.relative_day, game_date=game_date.date() if game_date else None
    )
    deps.bus.publish(job.topic, event)
    dead = deliver_pending(deps)
    console.print(f"published {job.topic} ({job.name}); dead-lettered: {dead}")
