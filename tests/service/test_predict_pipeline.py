"""Feature-store handler, training and prediction end to end on a small synthetic league."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.domain.calibration import (
    IDENTITY,
    IDENTITY_KIND,
    MIN_ROWS_TO_CALIBRATE,
    PLATT_KIND,
    OverShareCalibration,
)
from shared.domain.features import CONTRACT_V1, CONTRACT_V2, FEATURE_VERSION
from shared.errors import MissingRowsError
from shared.events import FeaturesReady, LinesLoaded, ScheduledRun
from shared.feature_rows import read_feature_rows
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import handle_cloud_event
from shared.services import prediction as prediction_service
from shared.services.feature_store import FEATURE_STORE, build_features
from shared.services.grading import grade_date
from shared.services.model_registry import AliasConflictError, aliased_models, assign_alias
from shared.services.training import TrainingReport, train_model
from shared.topology import subscriptions_of_function
from tests.conftest import REPO_ROOT
from tests.predict_fixtures import box, game, injury, line, synthetic_league, table_rows, write_raw

START = date(2024, 10, 22)
PREDICTIONS = "nba_predictions.player_prop_predictions"


def cloud_event(
    function: str, topic: str, event: Any, publish_time: datetime, message_id: str = "m-1"
) -> Any:
    subscription = next(s for s in subscriptions_of_function(function) if s.topic == topic)
    data, attributes = encode(topic, event)
    return pubsub_cloud_event(
        "courtside-local", topic, subscription.name, data, attributes, message_id, publish_time
    )


def event_fields(game_date: date) -> dict[str, Any]:
    return {
        "game_date": game_date,
        "run_id": "run-1",
        "produced_by": "test",
        "produced_at": datetime.now(UTC),
    }


@pytest.fixture
def league(deps):
    league = synthetic_league(START, 60)
    league.write(deps.warehouse)
    return league


@pytest.fixture
def trained(deps, league):
    """Features backfilled for every date, a small champion trained on them."""
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    return train_champion(deps, league, seed=3, iterations=30, now=datetime(2025, 1, 1, tzinfo=UTC))


def train_champion(deps, league, *, seed: int, iterations: int, now: datetime):
    """A small champion on dates 1..19 of the synthetic league, held out to its last date."""
    return train_model(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        league.game_dates[1],
        league.game_dates[19],
        league.game_dates[-1],
        seed=seed,
        alias="champion",
        iterations=iterations,
        now=now,
    )


# -- feature store handler ---------------------------------------------------------------------------------


def test_lines_loaded_builds_features_once_and_redelivery_changes_nothing(deps, league):
    day = league.game_dates[5]
    event = LinesLoaded(
        **event_fields(day),
        source_object="lines.csv",
        rows_loaded=10,
        rows_rejected=0,
        latest_snapshot_at=eastern_datetime(day, 17),
    )
    delivery = cloud_event("feature_store", "lines-loaded", event, eastern_datetime(day, 17, 5))
    first = handle_cloud_event("feature_store", delivery, deps)
    assert first.status == "success"
    assert first.published == ("features-ready",)
    rows = table_rows(deps.warehouse, FEATURE_STORE, "game_date, player_id")
    assert len(rows) == 36
    assert {row["as_of"] for row in rows} == {eastern_datetime(day, 17)}
    assert {row["built_at"] for row in rows} == {eastern_datetime(day, 17, 5)}
    second = handle_cloud_event("feature_store", delivery, deps)
    assert second.status == "success"
    assert table_rows(deps.warehouse, FEATURE_STORE, "game_date, player_id") == rows


def test_scheduled_run_uses_the_eastern_date_of_the_publish_time(deps, league):
    day = league.game_dates[5]
    # 09:00 ET on `day` is 14:00 UTC; at 01:00 ET (06:00 UTC) the UTC date is already `day` too, so use
    # 23:30 ET the evening before: UTC says `day`, Eastern says the day before (no games -> skipped).
    evening_before = eastern_datetime(day - timedelta(days=1), 23, 30)
    assert evening_before.date() == day
    run = ScheduledRun(schedule="morning-feature-build", relative_day="today")
    outcome = handle_cloud_event(
        "feature_store", cloud_event("feature_store", "feature-build-requested", run, evening_before), deps
    )
    assert outcome.status == "skipped"
    assert outcome.game_date == day - timedelta(days=1)
    assert "no games" in outcome.detail
    morning = handle_cloud_event(
        "feature_store",
        cloud_event("feature_store", "feature-build-requested", run, eastern_datetime(day, 9), "m-2"),
        deps,
    )
    assert (morning.status, morning.game_date, morning.published) == ("success", day, ("features-ready",))


def test_features_freeze_at_the_first_tip_off(deps, league):
    day = league.game_dates[5]
    run = ScheduledRun(schedule="morning-feature-build", relative_day="today", game_date=day)
    outcome = handle_cloud_event(
        "feature_store",
        cloud_event("feature_store", "feature-build-requested", run, eastern_datetime(day, 19)),
        deps,
    )
    assert outcome.status == "skipped"
    assert "frozen" in outcome.detail
    assert outcome.published == ()
    assert table_rows(deps.warehouse, FEATURE_STORE, "player_id") == []
    report = build_features(deps.warehouse, day, eastern_datetime(day, 19, 30), deps.settings)
    assert report.status == "skipped"
    assert "frozen" in report.reason


def test_games_without_any_expected_player_raise_missing_rows(deps):
    # BOS has played before, but its only player has since been traded to LAL: BOS-NYK has nobody to place.
    two_days, one_day = START - timedelta(days=2), START - timedelta(days=1)
    write_raw(
        deps.warehouse,
        schedule=[
            game("E1", two_days, "BOS", "DEN"),
            game("E2", one_day, "LAL", "DEN"),
            game("G", START, "BOS", "NYK"),
        ],
        boxscores=[box("E1", two_days, "p1", "BOS", "DEN", 20), box("E2", one_day, "p1", "LAL", "DEN", 22)],
    )
    with pytest.raises(MissingRowsError):
        build_features(deps.warehouse, START, eastern_datetime(START, 12), deps.settings)


def test_the_first_date_of_the_data_is_skipped_not_failed(deps):
    write_raw(deps.warehouse, schedule=[game("G", START, "BOS", "NYK")])
    report = build_features(deps.warehouse, START, eastern_datetime(START, 12), deps.settings)
    assert report.status == "skipped"
    assert "no box scores before this date for BOS, NYK" in report.reason
    assert table_rows(deps.warehouse, FEATURE_STORE, "player_id") == []


def test_rebuild_removes_players_no_longer_produced(deps, league):
    day = league.game_dates[5]
    build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    assert len(table_rows(deps.warehouse, FEATURE_STORE, "player_id")) == 36
    # One game is postponed: its players must not linger in the date's partition.
    postponed = next(g for g in league.schedule if g["game_date"] == day)
    write_raw(deps.warehouse, schedule=[{**postponed, "status": "postponed"}])
    report = build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    assert report.stale_rows_removed == 18
    rows = table_rows(deps.warehouse, FEATURE_STORE, "player_id")
    assert len(rows) == 18
    assert {row["game_id"] for row in rows} != {postponed["game_id"]}


# -- training ----------------------------------------------------------------------------------------------


def test_training_saves_artifacts_and_registers_the_model(deps, trained):
    registry = table_rows(deps.warehouse, "nba_predictions.model_registry", "model_id")
    assert [(row["model_id"], row["alias"]) for row in registry] == [(trained.model_id, "champion")]
    row = registry[0]
    assert row["feature_version"] == "v1"
    assert json.loads(row["feature_names"])[0] == "pts_avg_last5"
    assert row["train_rows"] == trained.train_rows > 0
    metadata = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, row["metadata_path"]))
    assert metadata["model_id"] == trained.model_id
    assert metadata["library_versions"]["catboost"] == row["catboost_version"]
    assert set(metadata["metrics"]) == {"train_mae", "train_rmse", "holdout_mae", "holdout_rmse"}
    assert metadata["residual_model"]["n_residuals"] == trained.holdout_rows
    assert deps.blobs.exists(deps.settings.models_bucket, row["model_path"])
    experiments = table_rows(deps.warehouse, "nba_predictions.ml_experiments", "experiment_id")
    assert [e["model_id"] for e in experiments] == [trained.model_id]
    assert json.loads(experiments[0]["baselines"])["line_mae"] > 0
    names = [name for name, _ in trained.comparison()]
    assert "the line (rows with a line)" in names


def test_promoting_a_new_champion_demotes_the_old_one(deps, league, trained):
    newer = train_champion(deps, league, seed=4, iterations=20, now=datetime(2025, 1, 2, tzinfo=UTC))
    assert newer.demoted == (trained.model_id,)
    assert [(r["model_id"], r["alias"]) for r in aliased_models(deps.warehouse)] == [
        (newer.model_id, "champion")
    ]
    with pytest.raises(AliasConflictError):
        assign_alias(deps.warehouse, trained.model_id, "shadow", datetime(2025, 1, 3, tzinfo=UTC))


def test_the_shadow_fleet_holds_one_shadow_per_system_and_never_the_champions(deps, league, trained):
    at = datetime(2025, 1, 2, tzinfo=UTC)
    shadows = [
        train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            league.game_dates[1],
            league.game_dates[19],
            league.game_dates[-1],
            seed=seed,
            system_id=system_id,
            alias="shadow",
            iterations=10,
            now=at + timedelta(minutes=seed),
        )
        for seed, system_id in ((5, "shadow_a"), (6, "shadow_b"), (7, "shadow_a"))
    ]
    # A second shadow of shadow_a replaced the first; shadow_b stays; the champion is untouched.
    assert shadows[2].demoted == (shadows[0].model_id,)
    held = {(r["alias"], r["system_id"]): r["model_id"] for r in aliased_models(deps.warehouse)}
    assert held == {
        ("champion", "catboost_points_v1"): trained.model_id,
        ("shadow", "shadow_a"): shadows[2].model_id,
        ("shadow", "shadow_b"): shadows[1].model_id,
    }
    # Never a shadow of the champion's system, and the champion never becomes a shadow.
    with pytest.raises(AliasConflictError):
        train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            league.game_dates[1],
            league.game_dates[19],
            league.game_dates[-1],
            seed=8,
            alias="shadow",
            iterations=10,
            now=at + timedelta(minutes=30),
        )
    with pytest.raises(AliasConflictError):
        assign_alias(deps.warehouse, trained.model_id, "shadow", at)
    # A shadow promoted to champion leaves the fleet and demotes the old champion.
    assert assign_alias(deps.warehouse, shadows[1].model_id, "champion", at) == [trained.model_id]
    held = {(r["alias"], r["system_id"]): r["model_id"] for r in aliased_models(deps.warehouse)}
    assert held == {
        ("champion", "shadow_b"): shadows[1].model_id,
        ("shadow", "shadow_a"): shadows[2].model_id,
    }


# -- prediction --------------------------------------------------------------------------------------------


def features_ready(day: date) -> FeaturesReady:
    return FeaturesReady(
        **event_fields(day), feature_version=FEATURE_VERSION, rows_written=36, production_ready_rows=30
    )


def deliver_features_ready(deps, day: date, publish_time: datetime, message_id: str = "m-1"):
    return handle_cloud_event(
        "prediction",
        cloud_event("prediction", "features-ready", features_ready(day), publish_time, message_id),
        deps,
    )


def test_prediction_is_idempotent_and_keeps_version_history(deps, league, trained):
    day = league.game_dates[-1]
    first = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert (first.status, first.rows_written, first.published) == ("success", 36, ("predictions-ready",))
    stored = table_rows(deps.warehouse, PREDICTIONS, "prediction_id")
    assert len(stored) == 36
    assert all(0.0 <= row["confidence"] <= 1.0 for row in stored if row["confidence"] is not None)
    assert {row["recommendation"] for row in stored} <= {"OVER", "UNDER", "PASS", "NO_LINE"}
    assert all(row["is_champion"] and row["model_id"] == trained.model_id for row in stored)
    assert all(row["min_edge"] == deps.settings.min_edge for row in stored)

    again = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert (again.status, again.rows_written) == ("success", 0)
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == stored

    # The line of one player moves at 18:20: new features, one new version, the current view shows it.
    moved = next(row for row in stored if row["line_value"] is not None)
    write_raw(
        deps.warehouse,
        lines=[
            line(
                moved["game_id"],
                day,
                moved["player_id"],
                moved["line_value"] + 1.0,
                eastern_datetime(day, 18, 20),
            )
        ],
    )
    build_features(deps.warehouse, day, eastern_datetime(day, 18, 30), deps.settings)
    later = deliver_features_ready(deps, day, eastern_datetime(day, 18, 31), "m-2")
    assert later.rows_written == 1
    versions = deps.warehouse.query(
        f"SELECT line_value FROM {PREDICTIONS} WHERE player_id = @p ORDER BY created_at",
        {"p": moved["player_id"]},
    )
    assert [v["line_value"] for v in versions] == [moved["line_value"], moved["line_value"] + 1.0]
    current = deps.warehouse.query(
        "SELECT line_value FROM nba_predictions.player_prop_predictions_current WHERE player_id = @p",
        {"p": moved["player_id"]},
    )
    assert current == [{"line_value": moved["line_value"] + 1.0}]

    # ... and moves back at 18:40 (A -> B -> A): a third version, and the current view shows A again.
    write_raw(
        deps.warehouse,
        lines=[
            line(
                moved["game_id"], day, moved["player_id"], moved["line_value"], eastern_datetime(day, 18, 40)
            )
        ],
    )
    build_features(deps.warehouse, day, eastern_datetime(day, 18, 45), deps.settings)
    back = deliver_features_ready(deps, day, eastern_datetime(day, 18, 46), "m-3")
    assert back.rows_written == 1
    history = deps.warehouse.query(
        f"SELECT prediction_id, supersedes_prediction_id, line_value FROM {PREDICTIONS} "
        "WHERE player_id = @p ORDER BY created_at",
        {"p": moved["player_id"]},
    )
    assert [v["line_value"] for v in history] == [
        moved["line_value"],
        moved["line_value"] + 1.0,
        moved["line_value"],
    ]
    assert [v["supersedes_prediction_id"] for v in history] == [
        None,
        history[0]["prediction_id"],
        history[1]["prediction_id"],
    ]
    current = deps.warehouse.query(
        "SELECT line_value FROM nba_predictions.player_prop_predictions_current WHERE player_id = @p",
        {"p": moved["player_id"]},
    )
    assert current == [{"line_value": moved["line_value"]}]
    # A stale redelivery of the earlier features-ready re-reads today's features: nothing new.
    stale = deliver_features_ready(deps, day, eastern_datetime(day, 18, 31), "m-2")
    assert stale.rows_written == 0


def test_the_champion_and_every_shadow_are_predicted_and_graded(deps, league, trained):
    for seed, system_id in ((5, "shadow_a"), (6, "shadow_b")):
        train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            league.game_dates[1],
            league.game_dates[19],
            league.game_dates[-1],
            seed=seed,
            system_id=system_id,
            alias="shadow",
            iterations=10,
            now=datetime(2025, 1, 2, seed, tzinfo=UTC),
        )
    day = league.game_dates[-1]
    outcome = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert (outcome.status, outcome.rows_written) == ("success", 3 * 36)
    stored = table_rows(deps.warehouse, PREDICTIONS, "prediction_id")
    per_system = {
        system: {(r["player_id"], r["is_champion"]) for r in stored if r["system_id"] == system}
        for system in ("catboost_points_v1", "shadow_a", "shadow_b")
    }
    players = {player for player, _ in per_system["catboost_points_v1"]}
    assert len(players) == 36
    assert per_system["catboost_points_v1"] == {(p, True) for p in players}
    assert per_system["shadow_a"] == per_system["shadow_b"] == {(p, False) for p in players}

    report = grade_date(deps.warehouse, day, eastern_datetime(day + timedelta(days=1), 6), deps.settings)
    graded = deps.warehouse.query(
        "SELECT system_id, COUNT(*) AS n FROM nba_predictions.prediction_accuracy "
        "WHERE game_date = @d AND grade_status = 'graded' GROUP BY system_id ORDER BY system_id",
        {"d": day},
    )
    assert report.graded > 0
    counts = [row["n"] for row in graded]
    assert [row["system_id"] for row in graded] == ["catboost_points_v1", "shadow_a", "shadow_b"]
    assert counts[0] == counts[1] == counts[2] > 0


def train_v2_shadow(deps: Any, league: Any) -> TrainingReport:
    return train_model(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        league.game_dates[1],
        league.game_dates[19],
        league.game_dates[-1],
        seed=3,
        system_id="catboost_points_v2",
        alias="shadow",
        iterations=30,
        feature_version="v2",
        now=datetime(2025, 1, 2, tzinfo=UTC),
    )


def test_a_v1_champion_and_a_v2_shadow_are_served_from_the_same_rows(deps, league, trained):
    day = league.game_dates[-1]
    deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    champion_alone = table_rows(deps.warehouse, PREDICTIONS, "prediction_id")

    shadow = train_v2_shadow(deps, league)
    metadata = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, shadow.metadata_path))
    assert (metadata["feature_version"], tuple(metadata["feature_names"])) == ("v2", CONTRACT_V2.model_inputs)
    champion = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, trained.metadata_path))
    assert (champion["feature_version"], tuple(champion["feature_names"])) == ("v1", CONTRACT_V1.model_inputs)

    outcome = deliver_features_ready(deps, day, eastern_datetime(day, 18, 2), "m-2")
    # The champion's predictions stand as they were (same model, same v1 inputs); the shadow adds its own.
    assert (outcome.status, outcome.rows_written) == ("success", 36)
    stored = table_rows(deps.warehouse, PREDICTIONS, "prediction_id")
    v1 = [row for row in stored if row["system_id"] == "catboost_points_v1"]
    v2 = [row for row in stored if row["system_id"] == "catboost_points_v2"]
    assert v1 == champion_alone
    assert {(r["game_id"], r["player_id"]) for r in v1} == {(r["game_id"], r["player_id"]) for r in v2}
    assert {r["feature_version"] for r in stored} == {FEATURE_VERSION}
    assert all(not row["is_champion"] for row in v2)


def test_a_change_only_v2_reads_moves_only_v2_predictions(deps, league, trained):
    train_v2_shadow(deps, league)
    day = league.game_dates[-1]
    deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    played = {row["player_id"]: row["team"] for row in league.boxscores if row["game_date"] == day}
    injured = next(
        player
        for player in sorted(played)
        if not any(i["player_id"] == player and i["game_date"] == day for i in league.injuries)
    )
    # A teammate ruled OUT at 18:20: the v2 absences of his teammates change; for v1 only his own status does.
    write_raw(deps.warehouse, injuries=[injury(day, injured, "OUT", eastern_datetime(day, 18, 20))])
    build_features(deps.warehouse, day, eastern_datetime(day, 18, 30), deps.settings)
    deliver_features_ready(deps, day, eastern_datetime(day, 18, 31), "m-2")

    rows = table_rows(deps.warehouse, PREDICTIONS, "created_at")

    def versions(player: str, system: str) -> list[float]:
        return [r["predicted_points"] for r in rows if (r["player_id"], r["system_id"]) == (player, system)]

    teammates = {player for player, team in played.items() if team == played[injured]} - {injured}
    for player in teammates:
        v1, v2 = versions(player, "catboost_points_v1"), versions(player, "catboost_points_v2")
        # Every model gets a version of the changed row; v1's inputs did not change, so neither did v1.
        assert len(v1) == len(v2) == 2
        assert v1[0] == v1[1]
    assert any(len(set(versions(player, "catboost_points_v2"))) == 2 for player in teammates)


def test_rows_stored_for_v1_do_not_serve_a_v2_model(deps, league, trained):
    train_v2_shadow(deps, league)
    day = league.game_dates[-1]
    deps.warehouse.execute("UPDATE nba_predictions.ml_feature_store SET feature_version = 'v1'")
    event = FeaturesReady(
        **event_fields(day), feature_version="v1", rows_written=36, production_ready_rows=30
    )
    outcome = handle_cloud_event(
        "prediction", cloud_event("prediction", "features-ready", event, eastern_datetime(day, 18, 1)), deps
    )
    assert outcome.status == "rejected"
    assert "do not serve it" in outcome.detail
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == []


def test_no_champion_is_a_clear_skip(deps, league):
    day = league.game_dates[5]
    build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    outcome = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert outcome.status == "skipped"
    assert "no champion" in outcome.detail
    runs = deps.warehouse.query(
        "SELECT status, detail FROM nba_orchestration.pipeline_runs_latest WHERE function_name = 'prediction'"
    )
    assert runs[0]["status"] == "skipped"
    assert "no champion" in runs[0]["detail"]
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == []


def _registry_row(deps) -> dict[str, Any]:
    return aliased_models(deps.warehouse)[0]


def _assert_refused(deps, day: date, needle: str) -> None:
    outcome = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert outcome.status == "rejected"
    assert needle in outcome.detail
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == []


def test_refuses_a_model_of_another_feature_version(deps, league, trained):
    deps.warehouse.execute("UPDATE nba_predictions.model_registry SET feature_version = 'v0'")
    _assert_refused(deps, league.game_dates[-1], "uses features v0")


def test_refuses_a_model_file_that_does_not_load(deps, league, trained):
    row = _registry_row(deps)
    deps.blobs.write_bytes(deps.settings.models_bucket, row["model_path"], b"not a catboost model")
    _assert_refused(deps, league.game_dates[-1], "does not load")


def test_refuses_a_model_trained_with_another_catboost(deps, league, trained):
    row = _registry_row(deps)
    metadata = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, row["metadata_path"]))
    metadata["library_versions"]["catboost"] = "0.0.1"
    deps.blobs.write_bytes(deps.settings.models_bucket, row["metadata_path"], json.dumps(metadata).encode())
    _assert_refused(deps, league.game_dates[-1], "trained with catboost 0.0.1")


def test_models_are_loaded_once_per_instance(deps, league, trained, monkeypatch):
    day = league.game_dates[-1]
    loads: list[str] = []
    original = prediction_service.installed_catboost_version

    def counting() -> str:
        loads.append("load")
        return original()

    monkeypatch.setattr(prediction_service, "installed_catboost_version", counting)
    deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    deliver_features_ready(deps, day, eastern_datetime(day, 18, 2), "m-2")
    assert loads == ["load"]
    assert f"model:{trained.model_id}" in deps.cache


def test_prediction_module_imports_neither_catboost_nor_pandas_until_a_model_loads(deps, trained):
    # catboost itself imports pandas (its compiled core requires it); this module only ever passes numpy
    # arrays, and nothing heavy is imported until a model is actually loaded.
    code = (
        "import sys\n"
        "import shared.services.prediction\n"
        "assert 'catboost' not in sys.modules and 'pandas' not in sys.modules, 'eager import'\n"
        "import json\n"
        "from pathlib import Path\n"
        "from shared.adapters.local_blob_store import LocalBlobStore\n"
        "from shared.services.prediction import load_model\n"
        f"row = json.loads({json.dumps(json.dumps(_registry_row(deps), default=str))})\n"
        f"model = load_model(LocalBlobStore(Path({str(deps.settings.blob_root)!r})), row, {{}})\n"
        "print(model.predict([[10.0] * 15])[0])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": "."},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert 0.0 <= float(result.stdout.strip()) <= 80.0
    source = (REPO_ROOT / "shared" / "services" / "prediction.py").read_text()
    assert "import pandas" not in source


def test_training_stores_the_calibration_with_its_n(deps, trained):
    metadata = json.loads(
        deps.blobs.read_bytes(deps.settings.models_bucket, _registry_row(deps)["metadata_path"])
    )
    calibration = metadata["calibration"]
    assert calibration["kind"] in (PLATT_KIND, IDENTITY_KIND)
    assert 0 < calibration["n"] <= trained.holdout_rows
    # The synthetic league's holdout is small: the calibrator says whether it had enough lined rows.
    assert (calibration["kind"] == IDENTITY_KIND) == (calibration["n"] < MIN_ROWS_TO_CALIBRATE)
    assert calibration["note"]


def test_a_model_saved_before_calibration_predicts_as_before(deps, league, trained):
    """No calibration in the metadata: the identity, the raw residual model's probabilities, same calls."""
    row = _registry_row(deps)
    metadata = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, row["metadata_path"]))
    del metadata["calibration"]
    deps.blobs.write_bytes(deps.settings.models_bucket, row["metadata_path"], json.dumps(metadata).encode())
    old = prediction_service.load_model(deps.blobs, row, {})
    assert old.calibration == IDENTITY
    feature_rows = read_feature_rows(deps.warehouse, league.game_dates[-1], FEATURE_VERSION)
    shrunk = replace(old, calibration=OverShareCalibration(0.1, 0.3, n=500, kind=PLATT_KIND))
    created = datetime(2025, 1, 2, tzinfo=UTC)
    before = prediction_service.prediction_rows(old, True, feature_rows, 3.0, "r", created)
    after = prediction_service.prediction_rows(shrunk, True, feature_rows, 3.0, "r", created)
    lined = [r for r in before if r["line_value"] is not None]
    assert lined and any(r["recommendation"] in ("OVER", "UNDER") for r in before)
    for raw in lined:
        expected = old.residual_model.p_over(raw["predicted_points"], raw["line_value"])
        assert raw["p_over"] == pytest.approx(expected)
    assert [(r["recommendation"], r["edge"]) for r in after] == [
        (r["recommendation"], r["edge"]) for r in before
    ]
    assert any(
        a["p_over"] != b["p_over"] for a, b in zip(after, before, strict=True) if b["p_over"] is not None
    )
