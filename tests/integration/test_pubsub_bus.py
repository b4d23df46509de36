"""PubSubBus and the topology on the official Pub/Sub emulator: topics, pull, push, dead-letter."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from courtside.processes import RunningProcess
from courtside.pubsub_setup import create_topology, push_path
from shared.event_time import EVENT_TIME_KEY
from shared.events import GradingComplete, LinesLoaded
from shared.messages import TOPIC_ATTRIBUTE
from shared.settings import Settings
from shared.topology import MAX_DELIVERY_ATTEMPTS, SUBSCRIPTIONS, TOPICS, Subscription

pytestmark = pytest.mark.integration

PUBLISHED_AT = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)


@dataclass
class PushReceiver:
    """A local push endpoint that records every POST and answers with ``status``."""

    status: int = 204
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""

    def wait_for(self, predicate: Callable[[list[tuple[str, dict[str, Any]]]], bool], timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: predicate(self.requests), timeout=timeout)


@pytest.fixture
def receiver() -> Iterator[PushReceiver]:
    state = PushReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            with state.arrived:
                state.requests.append((self.path, body))
                state.arrived.notify_all()
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def pubsub_settings(pubsub_emulator: RunningProcess) -> Settings:
    # One project per test: the emulator keeps projects apart, so tests never see each other's topics.
    return Settings(
        backend="gcp", project=f"it-{uuid.uuid4().hex[:10]}", pubsub_emulator_host=pubsub_emulator.address
    )


def _lines_loaded() -> LinesLoaded:
    return LinesLoaded(
        game_date=date(2026, 1, 2),
        run_id="run-1",
        produced_by="ingest",
        produced_at=PUBLISHED_AT,
        source_object="lines/2026-01-02.csv",
        rows_loaded=12,
        rows_rejected=1,
    )


def _pull(settings: Settings, subscription: str, expected: int, timeout: float = 20.0) -> list[Any]:
    from shared.adapters.pubsub_bus import make_subscriber

    subscriber = make_subscriber(settings)
    path = subscriber.subscription_path(settings.project, subscription)
    received: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(received) < expected and time.monotonic() < deadline:
        response = subscriber.pull(request={"subscription": path, "max_messages": 10}, timeout=5)
        if response.received_messages:
            subscriber.acknowledge(
                request={"subscription": path, "ack_ids": [m.ack_id for m in response.received_messages]}
            )
        received.extend(response.received_messages)
    return received


def test_topology_creates_every_topic_and_subscription(pubsub_settings: Settings) -> None:
    from shared.adapters.pubsub_bus import make_publisher, make_subscriber

    create_topology(pubsub_settings)
    create_topology(pubsub_settings)  # idempotent
    project = pubsub_settings.project
    topics = {
        t.name.rsplit("/", 1)[1]
        for t in make_publisher(pubsub_settings).list_topics(project=f"projects/{project}")
    }
    subscriptions = {
        s.name.rsplit("/", 1)[1]: s
        for s in make_subscriber(pubsub_settings).list_subscriptions(project=f"projects/{project}")
    }
    assert topics == {t.name for t in TOPICS} | {s.dead_letter_topic for s in SUBSCRIPTIONS}
    assert set(subscriptions) == {s.name for s in SUBSCRIPTIONS} | {
        s.dead_letter_archive for s in SUBSCRIPTIONS
    }
    grading = subscriptions["grading-on-boxscores-loaded"]
    assert grading.topic.endswith("/topics/boxscores-loaded")
    assert grading.dead_letter_policy.dead_letter_topic.endswith(
        "/topics/grading-on-boxscores-loaded-dead-letter"
    )
    assert grading.dead_letter_policy.max_delivery_attempts == MAX_DELIVERY_ATTEMPTS


def test_published_event_arrives_with_its_attributes(pubsub_settings: Settings) -> None:
    from shared.adapters.pubsub_bus import PubSubBus

    create_topology(pubsub_settings)
    event = _lines_loaded()
    message_id = PubSubBus(pubsub_settings).publish("lines-loaded", event)
    [received] = _pull(pubsub_settings, "feature-store-on-lines-loaded", expected=1)
    assert received.message.message_id == message_id
    assert dict(received.message.attributes) == {TOPIC_ATTRIBUTE: "lines-loaded", "game_date": "2026-01-02"}
    assert LinesLoaded.model_validate_json(received.message.data) == event


def test_a_replays_event_time_arrives_as_an_attribute(pubsub_settings: Settings) -> None:
    from shared.adapters.pubsub_bus import PubSubBus

    create_topology(pubsub_settings)
    intended = datetime(2026, 1, 2, 17, 30, tzinfo=UTC)
    PubSubBus(pubsub_settings).publish("lines-loaded", _lines_loaded(), event_time=intended)
    [received] = _pull(pubsub_settings, "feature-store-on-lines-loaded", expected=1)
    assert received.message.attributes[EVENT_TIME_KEY] == "2026-01-02T17:30:00Z"


def test_publish_refuses_the_wrong_event_type_and_raises_on_a_missing_topic(
    pubsub_settings: Settings,
) -> None:
    from google.api_core.exceptions import NotFound

    from shared.adapters.pubsub_bus import PubSubBus

    bus = PubSubBus(pubsub_settings)
    with pytest.raises(TypeError, match="lines-loaded carries LinesLoaded"):
        bus.publish(
            "lines-loaded",
            GradingComplete(
                game_date=date(2026, 1, 2),
                run_id="r",
                produced_by="grading",
                produced_at=PUBLISHED_AT,
                gradable=1,
                graded=1,
                voided=0,
                pending=0,
            ),
        )
    # No topology created in this project: the publish future fails and publish() raises.
    with pytest.raises(NotFound):
        bus.publish("lines-loaded", _lines_loaded())


def _push_to(receiver: PushReceiver, project: str) -> Callable[[Subscription], str | None]:
    def endpoint(subscription: Subscription) -> str | None:
        if subscription.name != "feature-store-on-lines-loaded":
            return None
        return receiver.url + push_path(project, subscription.topic)

    return endpoint


def test_push_subscription_delivers_to_a_local_endpoint(
    pubsub_settings: Settings, receiver: PushReceiver
) -> None:
    from shared.adapters.pubsub_bus import PubSubBus

    create_topology(pubsub_settings, _push_to(receiver, pubsub_settings.project))
    message_id = PubSubBus(pubsub_settings).publish("lines-loaded", _lines_loaded())
    assert receiver.wait_for(lambda requests: len(requests) >= 1, timeout=20)
    path, body = receiver.requests[0]
    assert path == f"/projects/{pubsub_settings.project}/topics/lines-loaded"
    assert body["message"]["messageId"] == message_id
    assert body["message"]["attributes"][TOPIC_ATTRIBUTE] == "lines-loaded"
    assert (
        body["subscription"]
        == f"projects/{pubsub_settings.project}/subscriptions/feature-store-on-lines-loaded"
    )


def test_http_500_is_redelivered_then_dead_lettered(
    pubsub_settings: Settings, receiver: PushReceiver
) -> None:
    from shared.adapters.pubsub_bus import PubSubBus

    receiver.status = 500
    create_topology(
        pubsub_settings,
        _push_to(receiver, pubsub_settings.project),
        minimum_backoff_seconds=0,
        maximum_backoff_seconds=1,
    )
    message_id = PubSubBus(pubsub_settings).publish("lines-loaded", _lines_loaded())
    dead = _pull(pubsub_settings, "feature-store-on-lines-loaded-dead-letter-archive", expected=1, timeout=90)
    ids = [body["message"]["messageId"] for _, body in receiver.requests]
    assert ids == [message_id] * MAX_DELIVERY_ATTEMPTS
    [dead_letter] = dead
    assert dead_letter.message.attributes[TOPIC_ATTRIBUTE] == "lines-loaded"
    assert LinesLoaded.model_validate_json(dead_letter.message.data) == _lines_loaded()


def test_a_dead_letter_is_listed_then_replayed_to_its_topic_and_acknowledged(
    pubsub_settings: Settings, receiver: PushReceiver
) -> None:
    """``courtside dead-letters list|replay`` on Pub/Sub: the archive subscription of the topology."""
    from shared.adapters.pubsub_bus import PubSubBus
    from shared.adapters.pubsub_dead_letters import PubSubDeadLetterArchive
    from shared.services.dead_letters import list_dead_letters, replay_dead_letters

    subscription = "feature-store-on-lines-loaded"
    receiver.status = 500
    create_topology(
        pubsub_settings,
        _push_to(receiver, pubsub_settings.project),
        minimum_backoff_seconds=0,
        maximum_backoff_seconds=1,
    )
    bus = PubSubBus(pubsub_settings)
    first_id = bus.publish("lines-loaded", _lines_loaded())
    archive = PubSubDeadLetterArchive(pubsub_settings)
    listed: list[Any] = []
    deadline = time.monotonic() + 90
    while not listed and time.monotonic() < deadline:
        listed = list_dead_letters(archive, subscription, limit=10)
    [letter] = listed
    assert LinesLoaded.model_validate_json(letter.data) == _lines_loaded()
    # Listing released it: it is still in the archive.
    assert [m.message_id for m in list_dead_letters(archive, subscription, limit=10)] == [letter.message_id]

    receiver.status = 204
    [outcome] = replay_dead_letters(archive, bus, subscription, limit=10)
    assert outcome.topic == "lines-loaded" and outcome.new_message_id not in (None, first_id)
    assert receiver.wait_for(
        lambda requests: requests[-1][1]["message"]["messageId"] == outcome.new_message_id, 30
    )
    assert list_dead_letters(archive, subscription, limit=10) == []
    archive.close()
