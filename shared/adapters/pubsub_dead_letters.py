"""Dead letters on Pub/Sub: the ``<subscription>-dead-letter-archive`` pull subscriptions of the topology.

Pub/Sub forwards a message that failed every delivery attempt to ``<subscription>-dead-letter``, where the
archive subscription keeps it (7 days). ``pull`` leases messages from the archive; ``ack`` removes one for
good (only after its re-publish succeeded), ``release`` hands it back at once (``list`` only looks).
"""

from __future__ import annotations

from typing import Any

from shared.adapters.pubsub_bus import make_subscriber
from shared.ports import ArchivedMessage
from shared.settings import Settings
from shared.topology import SUBSCRIPTIONS

PULL_TIMEOUT_SECONDS = 30.0


class PubSubDeadLetterArchive:
    def __init__(self, settings: Settings, subscriber: Any | None = None) -> None:
        self._project = settings.project
        self._subscriber = subscriber or make_subscriber(settings)

    def _archive_path(self, subscription: str) -> str:
        archive = next(s.dead_letter_archive for s in SUBSCRIPTIONS if s.name == subscription)
        return str(self._subscriber.subscription_path(self._project, archive))

    def pull(self, subscription: str, limit: int) -> list[ArchivedMessage]:
        response = self._subscriber.pull(
            request={"subscription": self._archive_path(subscription), "max_messages": limit},
            timeout=PULL_TIMEOUT_SECONDS,
        )
        return [
            ArchivedMessage(
                subscription=subscription,
                message_id=str(received.message.message_id),
                data=bytes(received.message.data),
                attributes=dict(received.message.attributes),
                # The dead-letter copy's publish time: when Pub/Sub forwarded it, minutes after the original.
                published_at=received.message.publish_time,
                error=None,
                receipt=str(received.ack_id),
            )
            for received in response.received_messages
        ]

    def ack(self, message: ArchivedMessage) -> None:
        self._subscriber.acknowledge(
            request={"subscription": self._archive_path(message.subscription), "ack_ids": [message.receipt]}
        )

    def release(self, message: ArchivedMessage) -> None:
        self._subscriber.modify_ack_deadline(
            request={
                "subscription": self._archive_path(message.subscription),
                "ack_ids": [message.receipt],
                "ack_deadline_seconds": 0,
            }
        )

    def close(self) -> None:
        self._subscriber.close()
