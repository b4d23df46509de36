"""Scheduled retraining through the training function's runtime: the configured experiment's window and
parameters, the shadow it registers (with the config's lineage), the production-equivalent evaluation
against the champion, the model-trained event, idempotent redelivery, a monthly successor, and the clear
skip / refusal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import yaml

from shared.clock import eastern_datetime
from shared.domain.features import CONTRACT_V1
from shared.events import ModelTrained, ScheduledRun
from shared.experiment_config import ExperimentConfig, parse_experiment_config
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import Outcome, handle_cloud_event
from shared.services.feature_store import build_features
from shared.services.grading import grade_date
from shared.services.retraining import evaluation_span, retrain_window
from shared.services.training import train_model
from shared.settings import Settings
from shared.topology import subscriptions_of_function
from tests.predict_fixtures import synthetic_league, table_rows
from tests.service.test_predict_pipeline import deliver_features_ready

START = date(2024, 10, 22)
RETRAIN_SYSTEM = Settings().retrain_system_id
CONFIG_NAME = "retrain_test"
CONFIG_DATA: dict[str, Any] = {
    "system_id": "retrain_cfg",
    "features": list(CONTRACT_V1.model_inputs),
    "catboost": {"iterations": 30, "depth": 3, "learning_rate": 0.1, "loss_function": "RMSE"},
    "training_window": {"kind": "expanding", "start": "2024-10-24", "holdout_days": 6},
    "retrain_every_days": 14,
    "evaluation": {"from": "2024-11-21", "to": "2024-12-19"},
    "seeds": [5],
}
CONFIG: ExperimentConfig = parse_experiment_config(CONFIG_DATA, "retrain_test.yaml")


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The deployment retrains experiments/retrain_test.yaml (small and fast, on the synthetic league)."""
    experiments = tmp_path / "experiments"
    experiments.mkdir()
    (experiments / f"{CONFIG_NAME}.yaml").write_text(yaml.safe_dump(CONFIG_DATA), encoding="utf-8")
    return Settings(home=tmp_path / "courtside", experiments_dir=experiments, retrain_experiment=CONFIG_NAME)


@pytest.fixture
def league(deps):
    league = synthetic_league(START, 60)
    league.write(deps.warehouse)
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    return league


@pytest.fixture
def champion(deps, league):
    return train_model(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        league.game_dates[1],
        league.game_dates[19],
        league.game_dates[-1],
        seed=3,
        alias="champion",
        iterations=30,
        now=datetime(2025, 1, 1, tzinfo=UTC),
    )


def deliver(deps, publish_time: datetime, message_id: str = "m-1", game_date: date | None = None) -> Outcome:
    event = ScheduledRun(schedule="monthly-retrain", relative_day="today", game_date=game_date)
    [subscription] = subscriptions_of_function("training")
    data, attributes = encode(subscription.topic, event)
    cloud_event: Any = pubsub_cloud_event(
        "courtside-local", subscription.topic, subscription.name, data, attributes, message_id, publish_time
    )
    return handle_cloud_event("training", cloud_event, deps)


def trained_events(deps) -> list[ModelTrained]:
    return [e for topic, e in deps.bus.published if topic == "model-trained"]  # type: ignore[misc]


def shadows(deps) -> list[tuple[str, str]]:
    rows = deps.warehouse.query(
        "SELECT model_id, system_id FROM nba_predictions.model_registry "
        "WHERE alias = 'shadow' ORDER BY model_id"
    )
    return [(row["model_id"], row["system_id"]) for row in rows]


def test_the_window_is_the_configs_holding_out_the_days_before_the_run() -> None:
    window = retrain_window(date(2025, 2, 1), CONFIG)
    assert window == (date(2024, 10, 24), date(2025, 1, 25), date(2025, 1, 31))  # expanding, 6 held out
    rolling = CONFIG.model_copy(
        update={"training_window": CONFIG.training_window.model_copy(update={"kind": "rolling", "days": 90})}
    )
    assert retrain_window(date(2025, 2, 1), rolling) == (
        date(2024, 11, 3),
        date(2025, 1, 25),
        date(2025, 1, 31),
    )
    assert evaluation_span(date(2025, 2, 1), CONFIG) == (date(2025, 1, 18), date(2025, 1, 31))


def test_a_monthly_retrain_registers_a_shadow_records_it_and_publishes_model_trained(deps, league, champion):
    run_date = league.game_dates[-1] + timedelta(days=1)
    # The champion served the evaluation span in production: the retrain's evaluation pairs with its bets.
    span_from, span_to = evaluation_span(run_date, CONFIG)
    for day in league.game_dates:
        if span_from <= day <= span_to:
            deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
            grade_date(deps.warehouse, day, eastern_datetime(day + timedelta(days=1), 3), deps.settings)
    publish_time = eastern_datetime(run_date, 4)
    outcome = deliver(deps, publish_time)

    assert (outcome.status, outcome.published) == ("success", ("model-trained",)), outcome.detail
    [event] = trained_events(deps)
    window = retrain_window(run_date, CONFIG)
    assert (event.game_date, event.system_id, event.alias) == (run_date, RETRAIN_SYSTEM, "shadow")
    assert (event.train_from, event.train_to, event.holdout_to) == window
    # Trained from the configured experiment, its lineage in the model's metadata.
    assert (event.experiment_config, event.experiment_config_hash) == (CONFIG_NAME, CONFIG.config_hash)
    [registered] = [
        r
        for r in table_rows(deps.warehouse, "nba_predictions.model_registry", "model_id")
        if r["model_id"] == event.model_id
    ]
    metadata = json.loads(deps.blobs.read_bytes(deps.settings.models_bucket, registered["metadata_path"]))
    assert metadata["experiment_config"] == {"name": CONFIG_NAME, "hash": CONFIG.config_hash}
    assert metadata["params"]["iterations"] == 30 and metadata["params"]["depth"] == 3
    assert metadata["seed"] == 5
    # The production-equivalent evaluation of the config, recorded as a walk-forward run and paired with
    # the champion's production bets on the same player-games.
    [run] = [
        r
        for r in table_rows(deps.warehouse, "nba_predictions.experiment_runs", "run_id")
        if r["run_id"] == event.evaluation_run_id
    ]
    assert (run["config_hash"], run["evaluation_from"], run["evaluation_to"]) == (
        CONFIG.config_hash,
        span_from,
        span_to,
    )
    figures = event.evaluation
    assert isinstance(figures["bets"], int) and figures["bets"] > 0
    assert figures["hit_rate_n"] and figures["hit_rate_lower"] is not None
    assert figures["champion_system_id"] == champion.system_id
    assert isinstance(figures["paired_bets"], int) and figures["paired_bets"] > 0
    assert figures["hit_rate_difference_lower"] is not None
    assert "production-equivalent" in outcome.detail and "vs champion" in outcome.detail
    assert event.champion_model_id == champion.model_id
    assert event.train_rows > 0 and event.holdout_rows > 0 and event.holdout_mae > 0
    assert set(event.baseline_mae) >= {"last10_avg_mae", "season_avg_mae", "line_mae"}
    assert shadows(deps) == [(event.model_id, RETRAIN_SYSTEM)]
    # The champion is untouched: nothing is promoted.
    champions = deps.warehouse.query(
        "SELECT model_id FROM nba_predictions.model_registry WHERE alias = 'champion'"
    )
    assert champions == [{"model_id": champion.model_id}]
    [experiment] = [
        e
        for e in table_rows(deps.warehouse, "nba_predictions.ml_experiments", "experiment_id")
        if e["model_id"] == event.model_id
    ]
    assert (experiment["status"], experiment["alias"]) == ("registered", "shadow")
    assert json.loads(experiment["metrics"])["holdout_mae"] == pytest.approx(event.holdout_mae)
    assert deps.blobs.exists(deps.settings.models_bucket, experiment["model_path"])

    # A redelivery of the same message rewrites the same model: still one retrain shadow.
    again = deliver(deps, publish_time)
    assert again.status == "success"
    assert shadows(deps) == [(event.model_id, RETRAIN_SYSTEM)]
    assert trained_events(deps)[-1].model_id == event.model_id

    # Next month's retrain replaces the system's shadow (one shadow per system); the fleet keeps the others.
    deps.bus.published.clear()  # type: ignore[attr-defined]
    later = deliver(deps, eastern_datetime(run_date + timedelta(days=3), 4), message_id="m-2")
    assert later.status == "success", later.detail
    [successor] = trained_events(deps)
    assert successor.model_id != event.model_id and successor.demoted == (event.model_id,)
    assert shadows(deps) == [(successor.model_id, RETRAIN_SYSTEM)]


def test_nothing_to_train_on_is_a_clear_skip_and_too_little_is_refused(deps, league):
    off_season = deliver(deps, eastern_datetime(date(2026, 8, 1), 4))
    assert off_season.status == "skipped" and "nothing to retrain on" in off_season.detail
    assert off_season.published == ()

    too_little = deliver(deps, eastern_datetime(league.game_dates[3], 4), message_id="m-2")
    assert too_little.status == "rejected" and "refused" in too_little.detail
    assert shadows(deps) == [] and trained_events(deps) == []


def test_too_little_history_to_evaluate_is_said_not_hidden(deps, league):
    # Early in the data the retrain window has enough rows, the fold before the evaluation span has none.
    run_date = date(2024, 11, 10)
    outcome = deliver(deps, eastern_datetime(run_date, 4))
    assert outcome.status == "success", outcome.detail
    [event] = trained_events(deps)
    assert event.evaluation_run_id is None
    assert "no training window" in str(event.evaluation["not_evaluated"])
    assert "production-equivalent: not evaluated over 2024-10-27..2024-11-09" in outcome.detail
