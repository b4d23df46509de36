"""Operator views: ``today``, ``graded``, ``picks``, ``health``, ``player`` and the ``dashboard``.

Each decodes its options and calls a service in ``shared/services/views``; a view with nothing to show (no
games that date, an empty warehouse, an unknown player) prints one line and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import typer

from courtside.console import console
from courtside.output import (
    cell_text,
    check_format,
    emit,
    fail,
    print_table,
    to_csv,
    to_json,
    transposed,
    with_rate_text,
)
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import today_et, yesterday_et
from shared.services.views.common import NothingToShowError
from shared.services.views.graded import graded_summary
from shared.services.views.health import health
from shared.services.views.picks import champion_picks
from shared.services.views.player import player_history
from shared.services.views.today import todays_predictions

T = TypeVar("T")
# The run times are US Eastern text (``last_runs``); their headers say so, as on the overview page.
RUN_TIME_LABELS = {"last_started_at": "last_started_at (ET)", "last_success_at": "last_success_at (ET)"}

DateOption = Annotated[
    datetime | None,
    typer.Option("--date", formats=["%Y-%m-%d"], help="Game date, US Eastern (default: today)"),
]
FormatOption = Annotated[str, typer.Option("--format", help="table, json or csv")]


def register(app: typer.Typer) -> None:
    app.command("today")(today_command)
    app.command("graded")(graded_command)
    app.command("picks")(picks_command)
    app.command("health")(health_command)
    app.command("player")(player_command)
    app.command("dashboard")(dashboard_command)


@contextmanager
def _dependencies() -> Iterator[Dependencies]:
    deps = build_dependencies()
    try:
        yield deps
    finally:
        close = getattr(deps.warehouse, "close", None)
        if close:
            close()


def _answer(view: Callable[[Dependencies], T]) -> T:
    """Run a view; nothing to show is one line on stderr and exit status 1, never a traceback."""
    with _dependencies() as deps:
        try:
            return view(deps)
        except NothingToShowError as exc:
            raise fail(str(exc)) from None


def _day(value: datetime | None, default: Callable[[], date] = today_et) -> date:
    return value.date() if value is not None else default()


def today_command(
    game_date: DateOption = None,
    system: Annotated[
        str | None, typer.Option("--system", help="Only this system (default: every system)")
    ] = None,
    min_edge: Annotated[
        float | None, typer.Option("--min-edge", help="Only |edge| >= this many points")
    ] = None,
    output_format: FormatOption = "table",
) -> None:
    """Current predictions for a date: line and book, prediction, edge, P(over), call, injury, shadows."""
    check_format(output_format)
    day = _day(game_date)
    rows = _answer(lambda deps: todays_predictions(deps.warehouse, day, system, min_edge))
    emit(rows, output_format, f"predictions for {day} (ET), {len(rows)} row(s)")


def graded_command(
    game_date: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Game date, US Eastern (default: yesterday)"),
    ] = None,
    output_format: FormatOption = "table",
) -> None:
    """How a date graded per system: graded/voided/pending with reasons, hit rate (n, Wilson), MAE, bias."""
    check_format(output_format)
    day = _day(game_date, yesterday_et)
    rows = _answer(lambda deps: graded_summary(deps.warehouse, day))
    if output_format == "table":
        rows = [with_rate_text(row, "hit_rate") for row in rows]
    emit(rows, output_format, f"grades of {day} (ET): hit rate over decided bets, Wilson 95% interval")


def picks_command(
    game_date: DateOption = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Only the N largest edges")] = None,
    output_format: FormatOption = "table",
) -> None:
    """The champion's actionable bets, at the minimum edge the market state calls for, and why."""
    check_format(output_format)
    day = _day(game_date)
    picks = _answer(lambda deps: champion_picks(deps.warehouse, day, deps.settings.min_edge, top))
    if output_format == "json":
        typer.echo(to_json(asdict(picks)))
        return
    rows = [{**bet, "min_edge": picks.policy.min_edge} for bet in picks.bets]
    if output_format == "csv":
        typer.echo(to_csv(rows, _columns(rows, ["player", "call", "edge", "min_edge"])), nl=False)
        return
    console.print(f"minimum edge {picks.policy.min_edge:g}: {picks.policy.reason}")
    print_table(rows, f"{picks.system_id} picks for {day} (ET), {len(rows)} bet(s)")


def health_command(
    system: Annotated[str | None, typer.Option("--system", help="Only this system")] = None,
    game_date: Annotated[
        datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="As of this date (default: today)")
    ] = None,
    output_format: FormatOption = "table",
) -> None:
    """Is each system healthy: hit rates 7/14/30d, MAE, bias, drift, root cause, alert level, market, runs."""
    check_format(output_format)
    day = _day(game_date)
    report = _answer(lambda deps: health(deps.warehouse, day, system))
    if output_format == "json":
        typer.echo(to_json(asdict(report)))
        return
    if output_format == "csv":
        typer.echo(to_csv(report.systems), nl=False)
        return
    systems = report.systems
    for prefix in ("hit_rate_7d", "hit_rate_14d", "hit_rate_30d"):
        systems = [with_rate_text(row, prefix) for row in systems]
    print_table(
        transposed(systems, "system"), f"health as of {day} (ET): hit rates with n and Wilson 95% interval"
    )
    print_table(
        [with_rate_text(r, "hit_rate") for r in report.shadow_comparison], "shadow comparison, 30 days"
    )
    print_table(report.runs, "last run of each function", labels=RUN_TIME_LABELS)
    model = report.latest_model
    console.print(
        "latest model: "
        + (
            f"{model['model_id']} ({model['system_id']}, alias {model['alias']}, "
            f"trained {cell_text(model['trained_at'])})"
            if model
            else "none registered"
        )
    )
    console.print(f"last retrain: {report.last_retrain}")


def player_command(
    name_or_id: Annotated[str, typer.Argument(help="Player name (any case, accents optional) or player id")],
    game_date: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="History up to this date (default: today)"),
    ] = None,
    output_format: FormatOption = "table",
) -> None:
    """A player's predictions against actual points and lines, every version, and the champion's hit rate."""
    check_format(output_format)
    day = _day(game_date)
    history = _answer(lambda deps: player_history(deps.warehouse, name_or_id, day))
    if output_format == "json":
        typer.echo(to_json(asdict(history)))
        return
    if output_format == "csv":
        typer.echo(to_csv(history.predictions), nl=False)
        return
    rate = history.champion_rate
    shown = (
        "no decided bets"
        if rate["hit_rate"] is None
        else (
            f"{rate['hit_rate']:.1%} of {rate['hit_rate_n']} decided bets "
            f"(95% {rate['hit_rate_lower']:.1%}-{rate['hit_rate_upper']:.1%})"
        )
    )
    console.print(f"{history.player_name} ({history.team}, {history.player_id}): champion hit rate {shown}")
    print_table(history.predictions, f"{len(history.predictions)} prediction version(s)")


def dashboard_command(
    port: Annotated[int, typer.Option("--port", help="Port to listen on")] = 8050,
    host: Annotated[str, typer.Option("--host", help="Interface to bind")] = "127.0.0.1",
) -> None:
    """Serve the Courtside dashboard with gunicorn on the configured warehouse."""
    from courtside.dashboard.serve import serve

    serve(host, port)


def _columns(rows: list[dict[str, Any]], default: list[str]) -> list[str]:
    return list(rows[0]) if rows else default
