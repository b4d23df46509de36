"""Shared fixtures: a fresh embedded deployment (DuckDB file, blob folder, in-process bus) per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from shared.bootstrap import Dependencies, build_dependencies
from shared.messages import encode, pubsub_cloud_event
from shared.runtime import Outcome, handle_cloud_event
from shared.settings import Settings
from shared.topology import subscriptions_of_function
from tests.views_fixtures import empty_deps, full_season  # noqa: F401 - session season for the operator views

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "courtside")


@pytest.fixture
def deps(settings: Settings) -> Iterator[Dependencies]:
    dependencies = build_dependencies(settings)
    yield dependencies
    close = getattr(dependencies.warehouse, "close", None)
    if close:
        close()


@pytest.fixture
def deps_with(settings: Settings) -> Iterator[Callable[..., Dependencies]]:
    """Build the test's deployment with overrides, e.g. ``deps_with(alert_sink=RecordingSink())``."""
    built: list[Dependencies] = []

    def build(**overrides: Any) -> Dependencies:
        built.append(build_dependencies(settings, **overrides))
        return built[-1]

    yield build
    for dependencies in built:
        close = getattr(dependencies.warehouse, "close", None)
        if close:
            close()


def cloud_event_for(function: str, topic: str, event: BaseModel, message_id: str = "msg-1") -> Any:
    """The CloudEvent Pub/Sub would push to ``function`` for ``event`` published on ``topic``."""
    subscription = next(s for s in subscriptions_of_function(function) if s.topic == topic)
    data, attributes = encode(topic, event)
    return pubsub_cloud_event("courtside-local", topic, subscription.name, data, attributes, message_id)


def deliver(
    deps: Dependencies, function: str, topic: str, event: BaseModel, message_id: str = "msg-1"
) -> Outcome:
    return handle_cloud_event(function, cloud_event_for(function, topic, event, message_id), deps)
