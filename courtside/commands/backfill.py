"""``courtside backfill --from D --to D [--steps ...]``: the production steps over raw data already loaded.

Thin: ``shared.services.backfill`` plans the deliveries; here each one goes through the runtime
(``handle_cloud_event``) on the composition root's adapters, with a bus that records what a step publishes
instead of delivering it, so the backfill alone decides which step runs next (and history pages no one).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from courtside.console import console
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import utc_now
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import handle_cloud_event
from shared.services.backfill import STEPS, Deliver, Delivered, backfill, game_dates, parse_steps
from shared.topology import subscriptions_of_function


class RecordingBus:
    """A bus that keeps what is published (the backfill delivers the next step itself)."""

    def __init__(self) -> None:
        self.published: list[tuple[str, BaseModel]] = []

    def publish(self, topic: str, event: BaseModel, event_time: datetime | None = None) -> str:
        self.published.append((topic, event))
        return uuid.uuid4().hex


def runtime_delivery(deps: Dependencies, bus: RecordingBus) -> Deliver:
    def deliver(
        function: str, topic: str, event: BaseModel, publish_time: datetime, message_id: str
    ) -> Delivered:
        subscription = next(s for s in subscriptions_of_function(function) if s.topic == topic)
        data, attributes = encode(topic, event)
        cloud_event = pubsub_cloud_event(
            deps.settings.project, topic, subscription.name, data, attributes, message_id, publish_time
        )
        bus.published.clear()
        try:
            outcome = handle_cloud_event(function, cloud_event, deps)
        except Exception as exc:  # recorded as failed by the runtime; the backfill goes on with the next date
            return Delivered("failed", 0, f"{type(exc).__name__}: {exc}")
        return Delivered(outcome.status, outcome.rows_written, outcome.detail, tuple(bus.published))

    return deliver


def register(app: typer.Typer) -> None:
    app.command("backfill")(backfill_command)


def backfill_command(
    date_from: Annotated[str, typer.Option("--from", help="First game date (YYYY-MM-DD, US Eastern)")],
    date_to: Annotated[str, typer.Option("--to", help="Last game date (inclusive)")],
    steps: Annotated[str, typer.Option("--steps", help="Comma-separated, in any order")] = ",".join(STEPS),
) -> None:
    """Run the production steps, date by date on the season clock, for raw data already in the warehouse."""
    from courtside.commands.pipeline import print_run_summary

    try:
        chosen = parse_steps(steps)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
    bus = RecordingBus()
    deps = build_dependencies(bus=bus)
    started = utc_now()
    days = game_dates(deps.warehouse, start, end)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"backfilling {start} .. {end} ({','.join(chosen)})", total=len(days))

        def advance(day: date) -> None:
            progress.update(task, advance=1, description=f"backfilled {day}")

        report = backfill(deps.warehouse, start, end, chosen, runtime_delivery(deps, bus), on_date=advance)
    table = Table(title=f"backfill {start} .. {end}: {len(report.dates)} game dates", title_justify="left")
    table.add_column("step")
    for status in ("success", "skipped", "rejected", "failed"):
        table.add_column(status, justify="right")
    table.add_column("rows written", justify="right")
    for step in chosen:
        counts = [
            str(report.outcomes[(step, status)]) for status in ("success", "skipped", "rejected", "failed")
        ]
        table.add_row(step, *counts, str(report.rows_written[step]))
    console.print(table)
    for problem in report.problems[:20]:
        console.print(f"[red]{problem}[/]")
    print_run_summary(deps, start, end, started)
