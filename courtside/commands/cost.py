"""``courtside cost --date D``: what one game date's chain costs, per function.

Locally: the date runs on a scratch copy of the home (so the real one is untouched) with DuckDB's
profiler on: statements per invocation (reads, writes, bookkeeping), rows scanned, seconds, and the
bytes BigQuery would process and bill, estimated from the profile (shared/adapters/scan_bytes.py:
rows scanned x the BigQuery size of the columns read; approximate, not a dry run). On the
``gcp`` backend, every statement that run issued is then dry-run on BigQuery (free): bytes processed
and billed (10 MB minimum per statement) per function, and the month at the on-demand price
(``COURTSIDE_BIGQUERY_PRICE_PER_TIB``). A keyed write counts as the read of its MERGE's target.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from courtside.console import console
from courtside.date_cost import (
    BytesCost,
    DryRunner,
    FunctionCost,
    RecordingWarehouse,
    dry_run_costs,
    monthly_dollars,
    run_date,
)
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.bootstrap import build_dependencies
from shared.clock import SettableClock
from shared.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("cost")(cost_command)


def cost_command(
    day: Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="Game date (ET)")],
    source: Annotated[
        Path | None,
        typer.Option(help="Season folder holding the date's files (courtside simulate); default: the demo's"),
    ] = None,
) -> None:
    """Statements, rows scanned, time and estimated bytes per function for one date; on gcp also bytes
    from BigQuery dry runs and the month's $."""
    from courtside.seasons import default_season_folder

    settings = Settings.from_env()
    folder = source or default_season_folder()
    with tempfile.TemporaryDirectory(prefix="courtside-cost-") as scratch:
        home = Path(scratch)
        _copy_home(settings.home, home)
        local = Settings(home=home)
        recording = RecordingWarehouse(DuckDBWarehouse(local.duckdb_path, profile_scans=True))
        deps = build_dependencies(local, clock=SettableClock(), warehouse=recording)
        try:
            costs = run_date(deps, folder, day.date())
        finally:
            recording.close()
    print_local(costs, day.date().isoformat(), settings.bigquery_price_per_tib)
    if settings.backend == "gcp":
        warehouse = build_dependencies(settings).warehouse
        if not hasattr(warehouse, "dry_run"):
            raise typer.BadParameter("the gcp warehouse cannot dry-run statements")
        runner: DryRunner = warehouse  # type: ignore[assignment]
        print_bytes(dry_run_costs(recording.recorded, runner), settings.bigquery_price_per_tib)


def _copy_home(home: Path, target: Path) -> None:
    for path in home.glob("warehouse.duckdb*"):
        shutil.copy2(path, target / path.name)
    if (home / "blobs").is_dir():
        shutil.copytree(home / "blobs", target / "blobs")


def print_local(costs: list[FunctionCost], day: str, price_per_tib: float) -> None:
    table = Table(
        title=f"{day}: warehouse statements, rows scanned, time and BigQuery bytes per function (local; "
        f"bytes estimated from DuckDB's profile, not a dry run; on-demand ${price_per_tib}/TiB)"
    )
    for column in (
        "function",
        "runs",
        "reads",
        "writes",
        "bookkeeping",
        "per run",
        "rows scanned",
        "seconds",
        "est. MiB processed",
        "est. MiB billed",
        "per 30 days",
    ):
        table.add_column(column, justify="left" if column == "function" else "right")
    for cost in costs:
        target = {True: " [green]ok[/]", False: " [bold red]> 4[/]", None: ""}[cost.within_target]
        table.add_row(
            cost.function,
            str(cost.invocations),
            str(cost.reads),
            str(cost.writes),
            str(cost.bookkeeping),
            f"{cost.per_invocation:.1f}{target}",
            f"{cost.rows_scanned:,}",
            f"{cost.seconds:.3f}",
            mebibytes(cost.bytes_processed),
            mebibytes(cost.bytes_billed),
            f"${monthly_dollars(cost.bytes_billed, price_per_tib):.2f}",
        )
    billed = sum(cost.bytes_billed for cost in costs)
    table.add_row(
        "all",
        str(sum(cost.invocations for cost in costs)),
        *(str(sum(getattr(cost, kind) for cost in costs)) for kind in ("reads", "writes", "bookkeeping")),
        "",
        f"{sum(cost.rows_scanned for cost in costs):,}",
        f"{sum(cost.seconds for cost in costs):.3f}",
        mebibytes(sum(cost.bytes_processed for cost in costs)),
        mebibytes(billed),
        f"${monthly_dollars(billed, price_per_tib):.2f}",
    )
    console.print(table)


def mebibytes(size: int) -> str:
    return f"{size / 1024**2:,.1f}"


def print_bytes(costs: list[BytesCost], price_per_tib: float) -> None:
    table = Table(title=f"BigQuery dry run: bytes per function for the date (on-demand ${price_per_tib}/TiB)")
    for column in ("function", "statements", "bytes processed", "bytes billed", "per 30 days"):
        table.add_column(column, justify="left" if column == "function" else "right")
    for cost in costs:
        table.add_row(
            cost.function,
            str(cost.statements),
            f"{cost.bytes_processed:,}",
            f"{cost.bytes_billed:,}",
            f"${monthly_dollars(cost.bytes_billed, price_per_tib):.2f}",
        )
    billed = sum(c.bytes_billed for c in costs)
    table.add_row(
        "all",
        str(sum(c.statements for c in costs)),
        f"{sum(c.bytes_processed for c in costs):,}",
        f"{billed:,}",
        f"${monthly_dollars(billed, price_per_tib):.2f}",
    )
    console.print(table)
