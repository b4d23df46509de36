"""The production bus: Google Cloud Pub/Sub through google-cloud-pubsub.

Messages are encoded exactly as the in-process bus encodes them (``shared.messages.encode``): the
event's JSON as data, the topic and game date as attributes. The attribute carries the topology's
topic name; the Pub/Sub topic is that name prefixed by the environment (``shared/naming.py``).
``publish`` waits for the server's acknowledgement and raises if it fails, so a function never
reports success for an event that was never sent (the raised error makes its own delivery fail
and be retried).

``PUBSUB_EMULATOR_HOST`` (``host:port``) points the client at the emulator over plain gRPC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from google.cloud import pubsub_v1  # type: ignore[attr-defined]
from pydantic import BaseModel

from shared.messages import encode
from shared.settings import Settings

PUBLISH_TIMEOUT_SECONDS = 60.0


class PubSubBus:
    def __init__(self, settings: Settings, publisher: pubsub_v1.PublisherClient | None = None) -> None:
        self._project = settings.project
        self._names = settings.names
        self._publisher = publisher or make_publisher(settings)

    @property
    def publisher(self) -> pubsub_v1.PublisherClient:
        return self._publisher

    def topic_path(self, topic: str) -> str:
        return str(self._publisher.topic_path(self._project, self._names.topic(topic)))

    def publish(self, topic: str, event: BaseModel, event_time: datetime | None = None) -> str:
        data, attributes = encode(topic, event, event_time)
        future = self._publisher.publish(self.topic_path(topic), data, **attributes)
        # result() re-raises the publish error (NotFound topic, permission, timeout): never swallow it.
        return str(future.result(timeout=PUBLISH_TIMEOUT_SECONDS))

    def close(self) -> None:
        self._publisher.stop()


def emulator_channel(host: str) -> Any:
    import grpc  # type: ignore[import-untyped]

    return grpc.insecure_channel(host.removeprefix("http://"))


def make_publisher(settings: Settings) -> pubsub_v1.PublisherClient:
    if settings.pubsub_emulator_host:
        from google.pubsub_v1.services.publisher.transports import PublisherGrpcTransport

        transport = PublisherGrpcTransport(channel=emulator_channel(settings.pubsub_emulator_host))
        return pubsub_v1.PublisherClient(transport=transport)
    return pubsub_v1.PublisherClient()


def make_subscriber(settings: Settings) -> pubsub_v1.SubscriberClient:
    """For tooling and tests (creating subscriptions, pulling dead letters); functions never pull."""
    if settings.pubsub_emulator_host:
        from google.pubsub_v1.services.subscriber.transports import SubscriberGrpcTransport

        transport = SubscriberGrpcTransport(channel=emulator_channel(settings.pubsub_emulator_host))
        return pubsub_v1.SubscriberClient(transport=transport)
    return pubsub_v1.SubscriberClient()
