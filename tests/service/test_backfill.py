"""``courtside backfill``: the production steps over raw data already in the warehouse, on the season
clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from shared.bootstrap import build_dependencies
from shared.clock import as_utc, eastern_datetime
from shared.domain.season import DECISION_TIME_ET
from shared.services.backfill import Delivered, backfill, parse_steps
from shared.services.feature_store import build_features
from shared.services.training import train_model
from shared.settings import Settings
from tests.predict_fixtures import synthetic_league, table_rows

START = date(2024, 10, 22)
TABLES = {
    "nba_predictions.ml_feature_store": "game_date, player_id",
    "nba_predictions.player_prop_predictions": "prediction_id",
    "nba_predictions.prediction_accuracy": "game_date, player_id, system_id",
    "nba_predictions.vegas_sharpness_daily": "1, 2, 3, 4",
    "nba_orchestration.performance_diagnostics_daily": "1, 2, 3",
}


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_all()
    return CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path))
    deps = build_dependencies(Settings(home=tmp_path))
    synthetic_league(START, 40).write(deps.warehouse)
    deps.warehouse.close()  # type: ignore[attr-defined]
    return tmp_path


def snapshot(home: Path) -> dict[str, list[dict[str, Any]]]:
    deps = build_dependencies(Settings(home=home))
    try:
        return {table: table_rows(deps.warehouse, table, key) for table, key in TABLES.items()}
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def test_steps_are_parsed_in_chain_order():
    assert parse_steps("grading, features") == ("features", "grading")
    with pytest.raises(ValueError, match="unknown or no steps \\['predict'\\]"):
        parse_steps("features,predict")


def test_backfill_runs_the_chain_as_of_each_decision_time_and_twice_writes_the_same(
    runner: CliRunner, home: Path
) -> None:
    features = runner.invoke(
        app, ["backfill", "--from", "2024-10-22", "--to", "2024-11-30", "--steps", "features"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert features.exit_code == 0, features.output
    assert "backfill 2024-10-22 .. 2024-11-30: 20 game dates" in features.output
    deps = build_dependencies(Settings(home=home))
    stored = table_rows(deps.warehouse, "nba_predictions.ml_feature_store", "game_date, player_id")
    # Every game date but the first (no history yet) has its features.
    assert {row["game_date"] for row in stored} == {START + timedelta(days=2 * i) for i in range(1, 20)}
    for row in stored:  # each date as of its decision time, as a replay's morning build
        assert as_utc(row["as_of"]) == eastern_datetime(row["game_date"], *DECISION_TIME_ET)
    train_model(
        deps.warehouse, deps.blobs, deps.settings, date(2024, 10, 24), date(2024, 11, 9), date(2024, 11, 15),
        seed=1, alias="champion", iterations=10, now=datetime.fromisoformat("2024-11-16T00:00:00+00:00"),
    )  # fmt: skip
    deps.warehouse.close()  # type: ignore[attr-defined]

    args = ["backfill", "--from", "2024-11-16", "--to", "2024-11-30"]
    first = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    tables = snapshot(home)
    assert tables["nba_predictions.player_prop_predictions"]
    assert tables["nba_predictions.prediction_accuracy"]
    assert tables["nba_predictions.vegas_sharpness_daily"]
    assert tables["nba_orchestration.performance_diagnostics_daily"]
    assert "Courtside run 2024-11-16 .. 2024-11-30" in first.output  # the run summary of pipeline_runs
    predicted_at = {
        (row["game_date"], as_utc(row["created_at"]))
        for row in tables["nba_predictions.player_prop_predictions"]
    }
    assert all(at == eastern_datetime(day, *DECISION_TIME_ET) for day, at in predicted_at)

    again = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    assert snapshot(home) == tables


def test_a_step_without_its_upstream_gets_the_event_rebuilt_from_stored_rows(deps) -> None:
    synthetic_league(START, 10).write(deps.warehouse)
    day = START + timedelta(days=2)
    calls: list[tuple[str, str, Any, datetime]] = []

    def deliver(function: str, topic: str, event: Any, publish_time: datetime, message_id: str) -> Delivered:
        calls.append((function, topic, event, publish_time))
        return Delivered("success", 0, "recorded")

    report = backfill(deps.warehouse, day, day, ("prediction", "diagnostics"), deliver)
    assert calls == []  # no feature rows and no grades yet: nothing to announce
    assert report.outcomes[("prediction", "skipped")] == 1
    assert report.outcomes[("diagnostics", "skipped")] == 1

    built = build_features(deps.warehouse, day, eastern_datetime(day, 12), deps.settings)
    backfill(deps.warehouse, day, day, ("prediction",), deliver)
    ((function, topic, event, publish_time),) = calls
    assert (function, topic, publish_time) == ("prediction", "features-ready", eastern_datetime(day, 12, 30))
    assert (event.game_date, event.rows_written) == (day, built.rows_written)
    assert event.production_ready_rows == built.production_ready_rows
