"""`courtside evaluate-diagnostics --seeds`: every scenario for every seed, per seed and summed up per
scenario (attribution, lags, false alarms, NORMAL_VARIANCE alerts, messages per incident), as a table or JSON.

The tiny configuration: two seeds x two scenarios whose "replay" writes a few diagnoses into a fresh embedded
deployment (a full season replay is what the command runs for real; it takes minutes per scenario)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from courtside.commands import postgame
from courtside.console import console
from shared.bootstrap import Dependencies, build_dependencies
from shared.settings import Settings
from tests import postgame_fixtures as fx

ONSET = date(2026, 1, 15)
# (seed, scenario) -> the WARNING/CRITICAL diagnoses its replay leaves: (days after the onset, level, cause).
DIAGNOSES: dict[tuple[int, str], list[tuple[int, str, str]]] = {
    (7, "clean"): [],
    (8, "clean"): [(-3, "WARNING", "UNEXPLAINED_UNDERPERFORMANCE")],  # a false alarm
    (7, "sharp_market"): [(-5, "OK", "NORMAL_VARIANCE"), (2, "WARNING", "VEGAS_SHARP")],
    (8, "sharp_market"): [(1, "CRITICAL", "NORMAL_VARIANCE"), (3, "CRITICAL", "VEGAS_SHARP")],
}


def _diagnosis(deps: Dependencies, game_date: date, level: str, cause: str) -> None:
    row = {
        "game_date": game_date,
        "system_id": fx.SYSTEM,
        **{f"hit_rate_{days}d_n": 0 for days in (7, 14, 30)},
        "break_even": 110 / 210,
        **dict.fromkeys(("roi_30d_n", "recent_n", "baseline_n", "calibration_n", "clv_n"), 0),
        **dict.fromkeys(("scheduled_games", "box_score_games", "predictions", "graded"), 1),
        "season_start": date(2025, 8, 1),
        "problem_date_count": 0,
        "drift_score": 0.0,
        "root_cause": cause,
        "root_cause_confidence": 0.5,
        "alert_level": level,
        "gated_by_sample_size": False,
        "computed_at": datetime(2026, 2, 1, tzinfo=UTC),
    }
    deps.warehouse.replace_rows(
        "nba_orchestration.performance_diagnostics_daily", [row], ["game_date", "system_id"]
    )


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, str]]]:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path))
    replayed: list[tuple[int, str]] = []
    opened: list[Dependencies] = []

    def replay(base_home: Path, seed: int, scenario: str) -> Dependencies:
        replayed.append((seed, scenario))
        console.print(f"replaying {scenario} seed {seed}")  # progress, as the real replay prints
        deps = build_dependencies(Settings(home=base_home / f"{scenario}-seed{seed}"))
        opened.append(deps)
        for offset in range(-6, 6):  # a game every day around the onset
            fx.schedule(deps, f"G{offset}", ONSET + timedelta(days=offset))
        for offset, level, cause in DIAGNOSES[(seed, scenario)]:
            _diagnosis(deps, ONSET + timedelta(days=offset), level, cause)
        return deps

    monkeypatch.setattr(postgame, "replay_scenario", replay)
    monkeypatch.setattr(postgame, "scenario_onset", lambda _h, _s, name: None if name == "clean" else ONSET)
    _register_all()
    yield replayed
    for deps in opened:
        deps.warehouse.close()  # type: ignore[attr-defined]


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, ["evaluate-diagnostics", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_reports_every_seed_and_a_summary_per_scenario(tiny: list[tuple[int, str]]) -> None:
    # stdout is the JSON document alone: the replays' progress goes to stderr.
    document = json.loads(
        _invoke("--seeds", "7,8", "--scenario", "clean", "--scenario", "sharp_market", "--format", "json")
    )

    assert tiny == [(7, "clean"), (7, "sharp_market"), (8, "clean"), (8, "sharp_market")]
    assert document["seeds"] == [7, 8]
    by_run = {(r["seed"], r["scenario"]): r for r in document["results"]}
    assert by_run[(7, "sharp_market")]["first_alert"] == "2026-01-17"
    assert by_run[(7, "sharp_market")]["lag_game_days"] == 2
    assert by_run[(7, "sharp_market")]["attributed"] is True
    # Seed 8's first alert says "nothing is wrong" on a CRITICAL: not attributed, and counted.
    assert (by_run[(8, "sharp_market")]["root_cause"], by_run[(8, "sharp_market")]["attributed"]) == (
        "NORMAL_VARIANCE",
        False,
    )
    assert by_run[(8, "sharp_market")]["normal_variance_alerts"] == 1
    assert by_run[(8, "clean")]["false_alarms"] == [
        {"game_date": "2026-01-12", "level": "WARNING", "root_cause": "UNEXPLAINED_UNDERPERFORMANCE"}
    ]
    assert all(r["wall_seconds"] is not None for r in document["results"])
    summary = {s["scenario"]: s for s in document["summary"]}
    assert summary["sharp_market"] == {
        "scenario": "sharp_market",
        "expected_cause": "VEGAS_SHARP",
        "seeds": [7, 8],
        "attributed_seeds": [7],
        "attributed": "1/2",
        "lags": [2, 1],
        "false_alarms": 0,
        "normal_variance_alerts": 1,
        "most_messages_per_incident": 0,
    }
    assert (summary["clean"]["attributed_seeds"], summary["clean"]["false_alarms"]) == ([7], 1)


def test_table_shows_per_seed_rows_and_the_summary(tiny: list[tuple[int, str]]) -> None:
    output = _invoke("--seeds", "7,8", "--scenario", "sharp_market")
    assert "per seed" in output and "Per scenario over the seeds" in output
    assert "1/2 (7)" in output  # seeds attributed
    assert "replaying sharp_market seed 8" in output


@pytest.mark.parametrize("seeds", ["", "4,x", ","])
def test_seeds_must_be_integers(tiny: list[tuple[int, str]], seeds: str) -> None:
    result = CliRunner().invoke(app, ["evaluate-diagnostics", "--seeds", seeds])
    assert result.exit_code != 0 and tiny == []
