"""Issue 11, finding 7, end to end: a simulated season's first dates as four flat multi-date files.

``courtside ingest schedule.csv boxscores.csv injuries.csv prop_lines.csv`` once loaded no box score and no
line (every row ``unknown_game``: the files were landed by name, schedule last) and still exited 0.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from courtside.commands.data import register
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import build_dependencies
from shared.clock import date_range
from shared.settings import Settings

DATES = 5


def concatenate(paths: list[Path], target: Path) -> list[dict[str, str]]:
    """One flat file of every row of ``paths`` (one header); returns the rows."""
    rows: list[dict[str, str]] = []
    header: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or header)
            rows += list(reader)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.fixture(scope="module")
def flat_season(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[dict[str, str]]]]:
    season = tmp_path_factory.mktemp("sim") / "2025-26"
    simulate_season(season, seed=11)
    first, _ = season_dates(season)
    days = [d.isoformat() for d in date_range(first, first + timedelta(days=DATES - 1))]

    def existing(folder: str, pattern: str) -> list[Path]:
        return [p for day in days for p in sorted((season / folder).glob(pattern.format(day=day)))]

    flat = tmp_path_factory.mktemp("flat")
    rows = {
        "schedule.csv": concatenate(
            [season / "schedule" / "season.csv", *existing("schedule", "{day}.csv")], flat / "schedule.csv"
        ),
        "boxscores.csv": concatenate(existing("boxscores", "{day}.csv"), flat / "boxscores.csv"),
        "injuries.csv": concatenate(existing("injuries", "{day}.csv"), flat / "injuries.csv"),
        "prop_lines.csv": concatenate(
            existing("lines", "{day}_open.csv") + existing("lines", "{day}_close.csv"),
            flat / "prop_lines.csv",
        ),
    }
    return flat, rows


def test_a_season_as_four_flat_files_loads_in_one_call(
    flat_season: tuple[Path, dict[str, list[dict[str, str]]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flat, source = flat_season
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path / "home"))
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A group, so that ``ingest`` is a sub-command as in the real CLI."""

    register(app)
    names = ["schedule.csv", "boxscores.csv", "injuries.csv", "prop_lines.csv"]
    result = CliRunner().invoke(app, ["ingest", *(str(flat / n) for n in names)], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    deps = build_dependencies(Settings.from_env())
    try:

        def count(sql: str) -> int:
            return int(deps.warehouse.query(sql)[0]["n"])

        reasons = {
            r["reason"]: int(r["n"])
            for r in deps.warehouse.query("SELECT reason, COUNT(*) AS n FROM nba_raw.rejects GROUP BY 1")
        }
        boxscores = count("SELECT COUNT(*) AS n FROM nba_raw.boxscores")
        lines = count("SELECT COUNT(*) AS n FROM nba_raw.prop_line_snapshots")
        injuries = count("SELECT COUNT(*) AS n FROM nba_raw.injuries")
        final = count("SELECT COUNT(*) AS n FROM nba_raw.schedule WHERE status != 'scheduled'")
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]
    averaged = sum(1 for row in source["prop_lines.csv"] if row["bookmaker"] == "ConsensusAvg")
    assert source["boxscores.csv"] and averaged
    assert "unknown_game" not in reasons
    assert boxscores == len(source["boxscores.csv"])
    assert lines == len(source["prop_lines.csv"]) - averaged  # the averaged feed is refused, nothing else
    assert injuries == len(source["injuries.csv"])
    assert final == sum(1 for row in source["schedule.csv"] if row["status"] != "scheduled")
