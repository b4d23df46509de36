"""``courtside simulate``: write a realistic, seeded season of raw files; ``courtside simulate-calibration``:
set its naive-average predictability beside the real season's (docs/simulator.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from courtside.console import console


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)
    app.command("simulate-calibration")(simulate_calibration_command)


def simulate_command(
    out: Annotated[Path, typer.Option(help="Empty folder to write the season into")],
    season: Annotated[str, typer.Option(help="Season, e.g. 2025-26")] = "2025-26",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files")] = 42,
    scenario: Annotated[
        str, typer.Option(help="clean, sharp_market, scoring_shift, data_gap, line_outage")
    ] = "clean",
    seasons: Annotated[
        str | None,
        typer.Option(help="Consecutive seasons of one league, e.g. 2025-26,2026-27: one folder each in OUT"),
    ] = None,
) -> None:
    """Simulate a regular season (schedule, box scores, injuries, line snapshots) into OUT."""
    from courtside.simulator import SCENARIOS, simulate_season, simulate_seasons

    if scenario not in SCENARIOS:
        raise typer.BadParameter(f"scenario must be one of {', '.join(SCENARIOS)}")
    if seasons:
        names = [s.strip() for s in seasons.split(",") if s.strip()]
        try:
            manifests = simulate_seasons(out, names, seed=seed, scenario=scenario)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None
        table = Table("season", "folder", "players", "games", "team points per game")
        for m in manifests:
            table.add_row(
                m.season,
                str(out / m.season),
                str(m.counts["players"]),
                str(m.counts["games_final"]),
                f"{m.calibration['team_points_per_game']:.1f}",
            )
        console.print(table)
        return
    manifest = simulate_season(out, season=season, seed=seed, scenario=scenario)
    table = Table("what", "value", title=f"Simulated {season} (seed {seed}, {scenario}) into {out}")
    table.add_row("game dates", f"{manifest.first_game_date} .. {manifest.last_game_date}")
    table.add_row("onset", str(manifest.onset_date or "-"))
    for name, value in sorted(manifest.counts.items()):
        table.add_row(name, str(value))
    for name, number in sorted(manifest.calibration.items()):
        table.add_row(name, f"{number:.3f}")
    console.print(table)


def simulate_calibration_command(
    seeds: Annotated[str, typer.Option(help="Comma-separated seeds of clean seasons to simulate")] = "42",
    season: Annotated[str, typer.Option(help="Season to simulate")] = "2025-26",
    season_dir: Annotated[
        list[Path] | None,
        typer.Option(exists=True, file_okay=False, help="Read a season folder instead (repeatable)"),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last game date counted (default: 1 February of the season)")
    ] = None,
    markdown_output: Annotated[bool, typer.Option("--markdown", help="Print a Markdown table")] = False,
) -> None:
    """Naive-average errors, form persistence and tiers of simulated seasons next to the real 2022-23 figures
    (definitions of ../shared/notes/real-data-facts.md)."""
    from courtside.simulator.realism import (
        markdown,
        naive_predictability,
        read_box_scores,
        side_by_side,
        simulated_predictability,
    )

    cutoff = date.fromisoformat(until) if until else None
    if season_dir:
        columns = {str(p): naive_predictability(read_box_scores(p), cutoff) for p in season_dir}
    else:
        try:
            seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        except ValueError:
            raise typer.BadParameter(f"seeds must be integers separated by commas, got {seeds!r}") from None
        columns = simulated_predictability(seed_list, season, cutoff)
    rows = side_by_side(columns)
    if markdown_output:
        typer.echo(markdown(rows))
        return
    table = Table(*rows[0], title="Naive-average predictability: real 2022-23 vs simulated")
    for row in rows[1:]:
        table.add_row(*row)
    console.print(table)
