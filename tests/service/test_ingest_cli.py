"""The ``courtside ingest`` command: replay order, landing, delivery and the per-file table."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from courtside.commands.data import ordered_files, register, replay_order
from shared.bootstrap import build_dependencies
from shared.settings import Settings
from tests.service.test_ingest_service import INJURIES_CSV, LINES_CSV, SCHEDULE_CSV


def test_replay_order_puts_the_schedule_first_and_open_before_close() -> None:
    names = [
        "boxscores/2025-01-14.csv",
        "lines/2025-01-14_close.csv",
        "schedule/2025-01-14.csv",
        "lines/2025-01-14_open.csv",
        "injuries/2025-01-14.csv",
        "lines/2025-01-13_close.csv",
        "schedule/season.csv",
    ]
    assert sorted(names, key=replay_order) == [
        "schedule/season.csv",
        "lines/2025-01-13_close.csv",
        "schedule/2025-01-14.csv",
        "injuries/2025-01-14.csv",
        "lines/2025-01-14_open.csv",
        "lines/2025-01-14_close.csv",
        "boxscores/2025-01-14.csv",
    ]


def test_folders_keep_relative_names_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "out" / "schedule").mkdir(parents=True)
    (tmp_path / "out" / "schedule" / "season.csv").write_text(SCHEDULE_CSV)
    (tmp_path / "out" / ".cache").write_text("x")
    single = tmp_path / "drop" / "injuries.csv"
    single.parent.mkdir()
    single.write_text(INJURIES_CSV)
    assert [name for _, name in ordered_files([single, tmp_path / "out"])] == [
        "schedule/season.csv",
        "drop/injuries.csv",
    ]


def test_ingest_command_loads_files_and_prints_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("COURTSIDE_HOME", str(home))
    out = tmp_path / "out"
    for name, text in [
        ("schedule/season.csv", SCHEDULE_CSV),
        ("injuries/2025-01-14.csv", INJURIES_CSV),
        ("lines/2025-01-14_open.csv", LINES_CSV),
    ]:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    (out / "lines" / "junk.csv").write_bytes(b"\x00\x01\x02")
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A group, so that ``ingest`` is a sub-command as in the real CLI."""

    register(app)
    result = CliRunner().invoke(app, ["ingest", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 3}
    assert "prop_lines" in lines["lines/2025-01-14_open.csv"]
    assert "line_not_half_point x1" in lines["lines/2025-01-14_open.csv"]
    assert "rejected" in lines["lines/junk.csv"]
    assert "unreadable_file" in lines["lines/junk.csv"]
    deps = build_dependencies(Settings(home=home))
    try:
        assert len(deps.warehouse.query("SELECT game_id FROM nba_raw.schedule")) == 3
        assert len(deps.warehouse.query("SELECT player_id FROM nba_raw.prop_line_snapshots")) == 3
        assert len(deps.warehouse.query("SELECT reason FROM nba_raw.rejects")) == 2
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]
