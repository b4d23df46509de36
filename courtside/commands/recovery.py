"""Operator commands that re-drive what is missing: ``reconcile`` and ``dead-letters list|replay``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from courtside.console import console
from courtside.replay import deliver_pending
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import build_dependencies, dead_letter_archive
from shared.events import ScheduledRun
from shared.runtime import Outcome
from shared.services.dead_letters import list_dead_letters, replay_dead_letters
from shared.topology import SUBSCRIPTIONS, schedule

RECONCILIATION_SCHEDULE = "reconciliation"

dead_letters_app = typer.Typer(help="Show and re-drive dead-lettered messages.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile_command)
    app.add_typer(dead_letters_app, name="dead-letters")


def reconcile_command(
    game_date: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Only this date (ET); default: the look-back"),
    ] = None,
) -> None:
    """Run the reconciler now: publish what its hourly Cloud Scheduler job publishes (optionally pinned)."""
    job = schedule(RECONCILIATION_SCHEDULE)
    deps = build_dependencies()
    event = ScheduledRun(
        schedule=job.name, relative_day=job.relative_day, game_date=game_date.date() if game_date else None
    )
    deps.bus.publish(job.topic, event)
    if not isinstance(deps.bus, InProcessBus):
        console.print(f"published {job.topic}; the deployed reconciler runs it (see `courtside status`)")
        return
    results = deps.bus.drain()
    for outcome in results:
        if isinstance(outcome, Outcome) and outcome.function == "reconciler":
            console.print(f"reconciler {outcome.status}: {outcome.detail}")
    dead = len(deps.bus.dead_letters)
    if dead:
        console.print(f"[bold red]{dead} deliveries were dead-lettered[/] (courtside dead-letters list)")
        raise typer.Exit(1)


SubscriptionOption = Annotated[
    str | None, typer.Option("--subscription", help="One subscription of shared/topology.py; default: all")
]
LimitOption = Annotated[int, typer.Option(min=1, max=1000, help="At most this many per subscription")]


def _subscriptions(chosen: str | None) -> list[str]:
    names = [s.name for s in SUBSCRIPTIONS]
    if chosen is not None and chosen not in names:
        raise typer.BadParameter(f"unknown subscription {chosen!r}; one of {', '.join(names)}")
    return [chosen] if chosen else names


@dead_letters_app.command("list")
def list_command(subscription: SubscriptionOption = None, limit: LimitOption = 100) -> None:
    """Show dead-lettered messages (they stay archived)."""
    deps = build_dependencies()
    archive = dead_letter_archive(deps)
    table = Table("subscription", "message id", "published at", "game date", "error", title="Dead letters")
    count = 0
    for name in _subscriptions(subscription):
        for message in list_dead_letters(archive, name, limit):
            count += 1
            table.add_row(
                name,
                message.message_id,
                message.published_at.isoformat() if message.published_at else "-",
                message.attributes.get("game_date", "-"),
                (message.error or "-")[:80],
            )
    console.print(table if count else "No dead letters.")


@dead_letters_app.command("replay")
def replay_command(subscription: SubscriptionOption = None, limit: LimitOption = 100) -> None:
    """Re-publish dead-lettered messages to their original topic; each is removed once re-published."""
    deps = build_dependencies()
    archive = dead_letter_archive(deps)
    replayed = kept = 0
    for name in _subscriptions(subscription):
        for outcome in replay_dead_letters(archive, deps.bus, name, limit):
            if outcome.new_message_id is None:
                kept += 1
                console.print(f"[yellow]kept[/] {name} {outcome.message.message_id}: {outcome.problem}")
            else:
                replayed += 1
                console.print(f"re-published {name} {outcome.message.message_id} to {outcome.topic}")
    dead = deliver_pending(deps)
    console.print(f"replayed {replayed}, kept {kept}; dead-lettered again: {dead}")
    if kept or dead:
        raise typer.Exit(1)
