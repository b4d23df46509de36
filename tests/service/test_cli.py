"""The operator CLI: every area registers its commands; query and status read the configured warehouse."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from shared import run_log
from shared.bootstrap import build_dependencies
from shared.settings import Settings

EXPECTED = {
    "run", "query", "status", "tick", "demo", "simulate", "ingest", "features", "train", "grade",
    "diagnostics", "evaluate-diagnostics", "backfill", "cost", "reconcile", "dead-letters",
}  # fmt: skip


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_all()
    return CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path))
    deps = build_dependencies(Settings(home=tmp_path))
    run_log.record(
        deps.warehouse,
        {
            "function_name": "grading",
            "event_id": "e1",
            "game_date": date(2026, 1, 14),
            "status": "success",
            "started_at": datetime(2026, 1, 15, 8, tzinfo=UTC),
            "finished_at": datetime(2026, 1, 15, 8, 0, 1, tzinfo=UTC),
            "rows_written": 42,
        },
    )
    deps.warehouse.close()  # type: ignore[attr-defined]
    return tmp_path


def test_every_command_is_registered(runner: CliRunner) -> None:
    names = {command.name for command in app.registered_commands}
    names |= {group.name for group in app.registered_groups}  # e.g. dead-letters list|replay
    assert names >= EXPECTED


def test_query_with_parameters_as_json(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(
        app,
        [
            "query",
            "SELECT function_name, rows_written FROM nba_orchestration.pipeline_runs_latest "
            "WHERE game_date = @d",
            "--param",
            "d=2026-01-14",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"function_name": "grading", "rows_written": 42}]


def test_query_rejects_an_unknown_format(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["query", "SELECT 1 AS x", "--format", "xml"])
    assert result.exit_code != 0


def test_status_shows_each_date_and_function(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(
        app, ["status", "--from", "2026-01-14", "--to", "2026-01-14"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "2026-01-14" in result.output
    assert "ok 42" in result.output


def test_run_on_a_bus_it_does_not_drive_is_paced_and_stops_clearly_when_nothing_runs(
    runner: CliRunner, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the chain elsewhere (here: push endpoints nobody serves, nothing announcing landed files),
    ``courtside run`` waits for the first landing's chain in pipeline_runs and gives up, exiting 1."""
    monkeypatch.setenv("COURTSIDE_PUSH_ENDPOINTS", json.dumps({"ingest": "http://127.0.0.1:9"}))
    season = tmp_path / "season"
    (season / "schedule").mkdir(parents=True)
    (season / "schedule" / "season.csv").write_text("game_id\n", encoding="utf-8")

    dates = ["--from", "2026-01-14", "--to", "2026-01-14"]
    pacing = ["--timeout-minutes", "0.001", "--poll-seconds", "0.01"]
    result = runner.invoke(app, ["run", *dates, "--source", str(season), *pacing])

    assert result.exit_code == 1
    assert "2026-01-14 season schedule" in result.output
    assert "waiting on ingest 1" in result.output
