"""Scheduled retraining through the training function's runtime: the window, the shadow it registers, the
model-trained event, idempotent redelivery, a monthly successor, and the clear skip / refusal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.events import ModelTrained, ScheduledRun
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import Outcome, handle_cloud_event
from shared.services.feature_store import build_features
from shared.services.retraining import retrain_window
from shared.services.training import train_model
from shared.settings import Settings
from shared.topology import subscriptions_of_function
from tests.predict_fixtures import synthetic_league, table_rows

START = date(2024, 10, 22)
RETRAIN_SYSTEM = Settings().retrain_system_id


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


def test_the_window_holds_out_the_days_before_the_run_and_trains_on_those_before() -> None:
    settings = Settings(retrain_training_days=90, retrain_holdout_days=21)
    window = retrain_window(date(2025, 2, 1), settings)
    assert window.holdout_to == date(2025, 1, 31)
    assert (window.holdout_to - window.train_to).days == 21
    assert (window.train_to - window.train_from).days == 89


def test_a_monthly_retrain_registers_a_shadow_records_it_and_publishes_model_trained(deps, league, champion):
    run_date = league.game_dates[-1] + timedelta(days=1)
    publish_time = eastern_datetime(run_date, 4)
    outcome = deliver(deps, publish_time)

    assert (outcome.status, outcome.published) == ("success", ("model-trained",)), outcome.detail
    [event] = trained_events(deps)
    window = retrain_window(run_date, deps.settings)
    assert (event.game_date, event.system_id, event.alias) == (run_date, RETRAIN_SYSTEM, "shadow")
    assert (event.train_from, event.train_to, event.holdout_to) == window
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
