"""The Pub/Sub adapter publishes to the environment's topic; the message still names the topology's topic."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import UTC, date, datetime
from typing import Any

import pytest
from google.cloud import pubsub_v1  # type: ignore[attr-defined]

from shared.adapters.pubsub_bus import PubSubBus
from shared.events import LinesLoaded
from shared.messages import TOPIC_ATTRIBUTE
from shared.naming import NamingError, ResourceNames
from shared.settings import Settings


class RecordingPublisher:
    topic_path = staticmethod(pubsub_v1.PublisherClient.topic_path)

    def __init__(self) -> None:
        self.published: list[tuple[str, bytes, dict[str, str]]] = []

    def publish(self, topic: str, data: bytes, **attributes: str) -> Future[str]:
        self.published.append((topic, data, attributes))
        future: Future[str] = Future()
        future.set_result("id-1")
        return future


def _event() -> LinesLoaded:
    return LinesLoaded(
        game_date=date(2026, 1, 2),
        run_id="r",
        produced_by="ingest",
        produced_at=datetime(2026, 1, 2, 17, tzinfo=UTC),
        source_object="lines/x.csv",
        rows_loaded=1,
        rows_rejected=0,
    )


@pytest.mark.parametrize(
    ("environment", "expected"),
    [("", "projects/p1/topics/lines-loaded"), ("dev", "projects/p1/topics/courtside-dev-lines-loaded")],
)
def test_pubsub_bus_publishes_to_the_environments_topic(environment: str, expected: str) -> None:
    publisher: Any = RecordingPublisher()
    bus = PubSubBus(Settings(backend="gcp", project="p1", environment=environment), publisher=publisher)
    bus.publish("lines-loaded", _event())
    [(topic, _, attributes)] = publisher.published
    assert topic == expected
    assert attributes[TOPIC_ATTRIBUTE] == "lines-loaded"


def test_an_environment_sets_the_dataset_suffix() -> None:
    assert Settings(environment="dev").dataset("nba_raw") == "nba_raw_dev"
    assert Settings().dataset("nba_raw") == "nba_raw"


@pytest.mark.parametrize("environment", ["Prod", "p", "prod-1", "1prod", "averyverylongenv"])
def test_an_environment_that_cannot_prefix_every_resource_is_refused(environment: str) -> None:
    with pytest.raises(NamingError):
        ResourceNames("p1", environment)
