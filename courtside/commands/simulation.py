"""``courtside simulate``: write a realistic, seeded season of raw files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from courtside.console import console


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)


def simulate_command(
    out: Annotated[Path, typer.Option(help="Empty folder to write the season into")],
    season: Annotated[str, typer.Option(help="Season, e.g. 2025-26")] = "2025-26",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files")] = 42,
    scenario: Annotated[
        str, typer.Option(help="clean, sharp_market, scoring_shift, data_gap, line_outage")
    ] = "clean",
) -> None:
    """Simulate a regular season (schedule, box scores, injuries, line snapshots) into OUT."""
    from courtside.simulator import SCENARIOS, simulate_season

    if scenario not in SCENARIOS:
        raise typer.BadParameter(f"scenario must be one of {', '.join(SCENARIOS)}")
    manifest = simulate_season(out, season=season, seed=seed, scenario=scenario)
    table = Table("what", "value", title=f"Simulated {season} (seed {seed}, {scenario}) into {out}")
    table.add_row("game dates", f"{manifest.first_game_date} .. {manifest.last_game_date}")
    table.add_row("onset", str(manifest.onset_date or "-"))
    for name, value in sorted(manifest.counts.items()):
        table.add_row(name, str(value))
    for name, number in sorted(manifest.calibration.items()):
        table.add_row(name, f"{number:.3f}")
    console.print(table)
