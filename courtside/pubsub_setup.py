"""Create the Pub/Sub topology of ``shared/topology.py`` on an emulator (or a dev project).

Every topic, every subscription (push to the function's URL when one is given, pull otherwise) with
its own dead-letter topic and ``MAX_DELIVERY_ATTEMPTS``, and a pull "archive" subscription on each
dead-letter topic so nothing dead-lettered is lost. Terraform does the same in production; this is
for ``make emulate`` and the integration tests. Idempotent: what exists is left as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from google.api_core.exceptions import AlreadyExists
from google.protobuf import duration_pb2
from google.pubsub_v1 import types

from shared.adapters.pubsub_bus import make_publisher, make_subscriber
from shared.settings import Settings
from shared.topology import MAX_DELIVERY_ATTEMPTS, SUBSCRIPTIONS, TOPICS, Subscription

PushEndpoint = Callable[[Subscription], str | None]


@dataclass
class CreatedTopology:
    topics: list[str] = field(default_factory=list)
    subscriptions: list[str] = field(default_factory=list)


def push_path(project: str, topic: str) -> str:
    """URL path of a push endpoint: functions-framework takes the CloudEvent source from it."""
    return f"/projects/{project}/topics/{topic}"


def create_topology(
    settings: Settings,
    push_endpoint: PushEndpoint = lambda _: None,
    *,
    max_delivery_attempts: int = MAX_DELIVERY_ATTEMPTS,
    minimum_backoff_seconds: int = 10,
    maximum_backoff_seconds: int = 600,
    ack_deadline_seconds: int = 60,
) -> CreatedTopology:
    publisher = make_publisher(settings)
    subscriber = make_subscriber(settings)
    project = settings.project
    names = settings.names
    created = CreatedTopology()
    topic_names = [t.name for t in TOPICS] + [s.dead_letter_topic for s in SUBSCRIPTIONS]
    for name in topic_names:
        path = publisher.topic_path(project, names.topic(name))
        with contextlib.suppress(AlreadyExists):
            publisher.create_topic(name=path)
        created.topics.append(path)
    for subscription in SUBSCRIPTIONS:
        endpoint = push_endpoint(subscription)
        request = types.Subscription(
            name=subscriber.subscription_path(project, names.subscription(subscription.name)),
            topic=publisher.topic_path(project, names.topic(subscription.topic)),
            ack_deadline_seconds=ack_deadline_seconds,
            push_config=types.PushConfig(push_endpoint=endpoint) if endpoint else None,
            dead_letter_policy=types.DeadLetterPolicy(
                dead_letter_topic=publisher.topic_path(project, names.topic(subscription.dead_letter_topic)),
                max_delivery_attempts=max_delivery_attempts,
            ),
            retry_policy=types.RetryPolicy(
                minimum_backoff=duration_pb2.Duration(seconds=minimum_backoff_seconds),
                maximum_backoff=duration_pb2.Duration(seconds=maximum_backoff_seconds),
            ),
        )
        created.subscriptions.append(_create_subscription(subscriber, request))
        archive = types.Subscription(
            name=subscriber.subscription_path(project, names.subscription(subscription.dead_letter_archive)),
            topic=publisher.topic_path(project, names.topic(subscription.dead_letter_topic)),
        )
        created.subscriptions.append(_create_subscription(subscriber, archive))
    return created


def _create_subscription(subscriber: object, request: types.Subscription) -> str:
    with contextlib.suppress(AlreadyExists):
        subscriber.create_subscription(request=request)  # type: ignore[attr-defined]
    return str(request.name)
