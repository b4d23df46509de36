"""``courtside promote``, ``courtside demote`` and ``courtside promotions``: alias changes with evidence.

Thin: the gates are ``shared.domain.promotion_gates``, the evidence and the alias history
``shared.services.promotion`` (docs/experiments.md, "Promotion"). A refusal prints every failing gate and
exits 1.
"""

from __future__ import annotations

import getpass
import json
import socket
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from courtside.console import console

if TYPE_CHECKING:
    from shared.domain.promotion_gates import GateResult
    from shared.ports import Row


def actor() -> str:
    """Who runs the command: the login and the host (the environment is recorded beside it)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container without a passwd entry)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def print_gates(results: list[GateResult]) -> None:
    table = Table("gate", "result", "reason")
    for result in results:
        table.add_row(str(result.gate), "[green]pass[/]" if result.passed else "[red]FAIL[/]", result.reason)
    console.print(table)


def print_history(rows: list[Row], output: str) -> None:
    if output == "json":
        print(json.dumps(rows, default=str, indent=2))
        return
    table = Table("when (UTC)", "action", "alias", "from", "to", "forced", "who", "why", "failed gates")
    for row in rows:
        failed = [gate["gate"] for gate in json.loads(row["gates"]) if not gate["passed"]]
        table.add_row(
            f"{row['changed_at']:%Y-%m-%d %H:%M:%S}",
            str(row["action"]),
            str(row["alias"]),
            str(row["from_model_id"] or "-"),
            str(row["to_model_id"] or "-"),
            "yes" if row["forced"] else "",
            f"{row['actor']}{' (' + row['environment'] + ')' if row['environment'] else ''}",
            str(row["reason"]),
            ", ".join(failed),
        )
    console.print(table)


def show_history(output: str) -> None:
    from shared.bootstrap import build_dependencies
    from shared.services.promotion import history

    deps = build_dependencies()
    rows = history(deps.warehouse, deps.clock())
    if not rows:
        console.print("no alias changes recorded")
        return
    print_history(rows, output)


def register(app: typer.Typer) -> None:
    @app.command("promote")
    def promote_command(
        model_id: Annotated[str | None, typer.Argument(help="The model to promote")] = None,
        to: Annotated[str, typer.Option("--to", help="champion (gated) or shadow")] = "champion",
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded)")] = "",
        force: Annotated[
            bool, typer.Option("--force", help="Promote despite failed gates (recorded with them)")
        ] = False,
        run_id: Annotated[
            str | None, typer.Option("--run", help="The walk-forward run to judge (default: the latest)")
        ] = None,
        do_rollback: Annotated[
            bool, typer.Option("--rollback", help="Restore the previous champion")
        ] = False,
        show: Annotated[bool, typer.Option("--history", help="List the alias changes")] = False,
        output: Annotated[str, typer.Option("--format", help="table or json (--history)")] = "table",
    ) -> None:
        """Give a model the champion alias when every gate passes; or --rollback, or --history."""
        from shared.bootstrap import build_dependencies
        from shared.services.promotion import PromotionRefusedError, promote, rollback

        if show:
            show_history(output)
            return
        deps = build_dependencies()
        try:
            if do_rollback:
                outcome = rollback(
                    deps.warehouse, deps.settings, reason=reason, actor=actor(), now=deps.clock()
                )
                console.print(f"champion is [bold]{outcome.model_id}[/] again (was {outcome.previous})")
                return
            if model_id is None:
                raise typer.BadParameter("name the MODEL_ID to promote (or use --rollback / --history)")
            if to not in ("champion", "shadow"):
                raise typer.BadParameter("--to must be champion or shadow")
            if not reason.strip():
                raise typer.BadParameter("--reason is required: it is recorded with the change")
            outcome = promote(
                deps.warehouse,
                deps.blobs,
                deps.settings,
                model_id,
                reason=reason,
                actor=actor(),
                now=deps.clock(),
                alias=to,  # type: ignore[arg-type]
                force=force,
                run_id=run_id,
            )
        except PromotionRefusedError as exc:
            if exc.results:
                print_gates(exc.results)
            console.print(f"[red]{exc}[/]")
            for result in exc.results:
                if not result.passed:
                    console.print(f"[red]- {result.gate}: {result.reason}[/]")
            raise typer.Exit(1) from None
        if outcome.results:
            print_gates(outcome.results)
        forced = " [yellow](forced past failed gates, recorded)[/]" if outcome.forced else ""
        replaced = f", replacing {outcome.previous}" if outcome.previous else ""
        console.print(f"[bold]{outcome.model_id}[/] is now {outcome.alias}{replaced}{forced}")

    @app.command("demote")
    def demote_command(
        model_id: Annotated[str, typer.Argument(help="The shadow to demote")],
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded)")],
    ) -> None:
        """Take a shadow's alias away (the champion is replaced by promote or --rollback, never emptied)."""
        from shared.bootstrap import build_dependencies
        from shared.services.promotion import PromotionRefusedError, demote

        deps = build_dependencies()
        try:
            outcome = demote(
                deps.warehouse, deps.settings, model_id, reason=reason, actor=actor(), now=deps.clock()
            )
        except PromotionRefusedError as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
        console.print(f"{outcome.model_id} is no longer {outcome.alias}")

    @app.command("promotions")
    def promotions_command(
        output: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    ) -> None:
        """Every alias change (promote, demote, rollback, training with an alias), oldest first."""
        show_history(output)
