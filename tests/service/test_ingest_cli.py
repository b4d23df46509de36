"""The ``courtside ingest`` command: replay order, landing, delivery and the per-file table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from courtside.commands.data import ordered_files, register, replay_order
from shared.bootstrap import build_dependencies
from shared.domain.raw_validation import FileKind
from shared.settings import Settings
from tests.service.test_ingest_service import BOX_CSV, INJURIES_CSV, LINES_CSV, SCHEDULE_CSV

BOX_NDJSON = "\n".join(
    json.dumps(dict(zip(BOX_CSV.splitlines()[0].split(","), line.split(","), strict=True)))
    for line in BOX_CSV.splitlines()[1:]
)


def invoke(*args: str) -> Result:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A group, so that ``ingest`` is a sub-command as in the real CLI."""

    register(app)
    return CliRunner().invoke(app, ["ingest", *args], env={"COLUMNS": "200"})


def test_replay_order_puts_the_schedule_first_and_open_before_close() -> None:
    kinds = {
        "boxscores/2025-01-14.csv": FileKind.BOXSCORES,
        "lines/2025-01-14_close.csv": FileKind.PROP_LINES,
        "schedule/2025-01-14.csv": FileKind.SCHEDULE,
        "lines/2025-01-14_open.csv": FileKind.PROP_LINES,
        "injuries/2025-01-14.csv": FileKind.INJURIES,
        "lines/2025-01-13_close.csv": FileKind.PROP_LINES,
        "schedule/season.csv": FileKind.SCHEDULE,
    }
    assert sorted(kinds, key=lambda name: replay_order(name, kinds[name])) == [
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
        "out/schedule/season.csv",
        "drop/injuries.csv",
    ]
    assert [name for _, name in ordered_files([tmp_path / "out"])] == ["schedule/season.csv"]
    assert [name for _, name in ordered_files([single])] == ["drop/injuries.csv"]


def test_a_shell_glob_of_season_folders_keeps_each_files_folder(tmp_path: Path) -> None:
    """``courtside ingest sim/*``: same-named files of different folders are different objects."""
    for folder, text in [("schedule", SCHEDULE_CSV), ("injuries", INJURIES_CSV), ("lines", LINES_CSV)]:
        (tmp_path / "sim" / folder).mkdir(parents=True)
        (tmp_path / "sim" / folder / "2025-01-14.csv").write_text(text)
    (tmp_path / "sim" / "manifest.json").write_text("{}")
    globbed = sorted((tmp_path / "sim").iterdir())
    assert [name for _, name in ordered_files(globbed)] == [
        "schedule/2025-01-14.csv",
        "injuries/2025-01-14.csv",
        "lines/2025-01-14.csv",
        "manifest.json",
    ]


def test_files_are_ordered_by_their_columns_whatever_their_names(tmp_path: Path) -> None:
    named = {"a.csv": LINES_CSV, "b.csv": INJURIES_CSV, "c.csv": SCHEDULE_CSV, "d.ndjson": BOX_NDJSON}
    for name, text in named.items():
        (tmp_path / name).write_text(text)
    ordered = [name for _, name in ordered_files([tmp_path / name for name in named])]
    assert ordered == ["c.csv", "b.csv", "a.csv", "d.ndjson"]


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
    result = invoke(str(out))
    assert result.exit_code == 1, result.output  # junk.csv loaded nothing
    assert "1 file(s) loaded nothing: lines/junk.csv" in result.output
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


def ingest_rows(home: Path) -> dict[str, int]:
    deps = build_dependencies(Settings(home=home))
    try:
        return {
            table: int(deps.warehouse.query(f"SELECT COUNT(*) AS n FROM nba_raw.{table}")[0]["n"])
            for table in ("schedule", "boxscores", "injuries", "prop_line_snapshots")
        }
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def test_four_flat_files_load_in_one_call_whatever_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named so that sorting by name would land the schedule last (issue 11, finding 7)."""
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path / "home"))
    flat = {"boxscores.csv": BOX_CSV, "injuries.csv": INJURIES_CSV, "prop_lines.csv": LINES_CSV}
    flat["schedule.csv"] = SCHEDULE_CSV
    for name, text in flat.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    result = invoke(*(str(tmp_path / name) for name in flat))

    assert result.exit_code == 0, result.output
    # LINES_CSV has one averaged line; BOX_CSV one row with 71 minutes: both refused on their own merits.
    assert ingest_rows(tmp_path / "home") == {
        "schedule": 3,
        "boxscores": 2,
        "injuries": 2,
        "prop_line_snapshots": 3,
    }


def test_a_file_that_loads_nothing_exits_non_zero_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path / "home"))
    (tmp_path / "lines.csv").write_text(LINES_CSV, encoding="utf-8")  # no schedule: every row unknown_game
    (tmp_path / "header_only.csv").write_text(INJURIES_CSV.splitlines()[0] + "\n", encoding="utf-8")

    result = invoke(str(tmp_path / "lines.csv"), str(tmp_path / "header_only.csv"))

    assert result.exit_code == 1, result.output
    assert "2 file(s) loaded nothing" in result.output


def test_a_name_clash_with_different_content_is_refused_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("COURTSIDE_HOME", str(home))
    for season, text in [("one", SCHEDULE_CSV), ("two", SCHEDULE_CSV.replace("BOS,NYK", "BOS,PHI"))]:
        (tmp_path / season / "schedule").mkdir(parents=True)
        (tmp_path / season / "schedule" / "season.csv").write_text(text, encoding="utf-8")
    assert invoke(str(tmp_path / "one")).exit_code == 0
    assert invoke(str(tmp_path / "one")).exit_code == 0  # the same content again is no clash

    result = invoke(str(tmp_path / "two"))

    assert result.exit_code == 1, result.output
    assert "different content" in result.output
    deps = build_dependencies(Settings.from_env())
    try:
        stored = deps.blobs.read_bytes(deps.settings.raw_bucket, "schedule/season.csv")
        away = deps.warehouse.query("SELECT away_team FROM nba_raw.schedule WHERE game_id = 'G1'")
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]
    assert stored.decode() == SCHEDULE_CSV and away == [{"away_team": "NYK"}]
    assert invoke("--replace", str(tmp_path / "two")).exit_code == 0
