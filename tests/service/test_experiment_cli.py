"""``courtside experiment run|show|compare`` on a synthetic league in the configured warehouse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from shared.bootstrap import build_dependencies
from shared.clock import eastern_datetime
from shared.domain.features import CONTRACT_V1
from shared.services.feature_store import build_features
from shared.settings import Settings
from tests.predict_fixtures import synthetic_league

START = date(2024, 10, 22)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_all()
    return CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path))
    deps = build_dependencies(Settings(home=tmp_path))
    league = synthetic_league(START, 44)
    league.write(deps.warehouse)
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    deps.warehouse.close()  # type: ignore[attr-defined]
    return tmp_path


def write_config(folder: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "system_id": "cli_test",
        "features": list(CONTRACT_V1.model_inputs),
        "catboost": {"iterations": 15, "depth": 3, "learning_rate": 0.1, "loss_function": "RMSE"},
        "training_window": {"kind": "expanding", "start": "2024-10-24", "holdout_days": 6},
        "retrain_every_days": 30,
        "evaluation": {"from": "2024-11-21", "to": "2024-12-03"},
        "seeds": [1, 2],
    }
    data.update(overrides)
    path = folder / "cli_test.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_run_show_and_compare(runner: CliRunner, home: Path) -> None:
    config = write_config(home)
    result = runner.invoke(app, ["experiment", "run", str(config)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    run_ids = [line.split()[1] for line in result.output.splitlines() if line.startswith("run wf-")]
    assert len(run_ids) == 2, result.output  # one run per seed
    assert "production-equivalent: population n=" in result.output
    assert "last-10 average" in result.output and "always UNDER" in result.output

    shown = runner.invoke(app, ["experiment", "show", run_ids[0], "--format", "json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    evaluation = report["evaluation"]
    assert evaluation["mode"] == "production-equivalent"
    assert evaluation["n"] == evaluation["bets"]["bets"] > 0
    assert set(evaluation["errors"]) >= {"model", "last-10 average", "season average", "EWMA", "the line"}
    assert all(figure["n"] <= evaluation["n"] for figure in evaluation["errors"].values())
    assert report["run"]["backtest_system_id"] == "cli_test_wf_s1"
    assert len(report["folds"]) == 1

    all_rows = json.loads(
        runner.invoke(
            app, ["experiment", "show", run_ids[0], "--mode", "all-rows", "--format", "json"]
        ).output
    )["evaluation"]
    assert all_rows["mode"] == "all-rows" and all_rows["bets"] is None
    assert all_rows["n"] > evaluation["n"]  # every row with an outcome, not just the bets

    compared = runner.invoke(app, ["experiment", "compare", *run_ids, "--format", "json"])
    assert compared.exit_code == 0, compared.output
    pair = json.loads(compared.output)["paired"][0]
    assert pair["comparison"]["pairs"] > 0
    assert pair["comparison"]["hit_rate"]["n"] <= pair["comparison"]["pairs"]
    table = runner.invoke(app, ["experiment", "compare", *run_ids], env={"COLUMNS": "200"})
    assert "paired on the bets both made" in table.output and "paired bootstrap" in table.output


def test_a_bad_config_is_refused_with_the_file_and_key(runner: CliRunner, home: Path) -> None:
    config = write_config(home, retrain_every_days="monthly")
    result = runner.invoke(app, ["experiment", "run", str(config)], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "cli_test.yaml: retrain_every_days: Input should be a valid integer" in result.output


def test_an_unknown_run_is_refused(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["experiment", "show", "wf-nothing"])
    assert result.exit_code == 1
    assert "no walk-forward run 'wf-nothing'" in result.output


def test_calibration_reports_raw_and_calibrated_p_over_on_the_same_rows(
    runner: CliRunner, home: Path
) -> None:
    config = write_config(home, seeds=[1])
    result = runner.invoke(app, ["experiment", "run", str(config)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    run_id = next(line.split()[1] for line in result.output.splitlines() if line.startswith("run wf-"))
    shown = json.loads(runner.invoke(app, ["experiment", "show", run_id, "--format", "json"]).output)
    effect_output = runner.invoke(app, ["experiment", "calibration", run_id, "--format", "json"])
    assert effect_output.exit_code == 0, effect_output.output
    effect = json.loads(effect_output.output)
    bets = shown["evaluation"]["bets"]
    assert effect["bets"] == bets["bets"] > 0
    assert effect["bet_wins"] == bets["hit"]["wins"]
    assert effect["stored_differs"] == 0  # the run stored exactly the calibrated P(over) recomputed here
    assert (
        effect["raw_on_bets"]["n"]
        == effect["calibrated_on_bets"]["n"]
        == shown["evaluation"]["calibration_n"]
    )
    assert effect["calibrated_on_bets"]["ece"] == pytest.approx(shown["evaluation"]["ece"])
    assert effect["raw_on_lined"]["n"] == effect["calibrated_on_lined"]["n"] >= effect["raw_on_bets"]["n"]
    assert [fold["calibration"]["n"] > 0 for fold in effect["folds"]] == [True]
    table = runner.invoke(app, ["experiment", "calibration", run_id], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "lined, decided" in table.output
    unknown = runner.invoke(app, ["experiment", "calibration", "wf-nothing"])
    assert unknown.exit_code == 1 and "no walk-forward run 'wf-nothing'" in unknown.output
