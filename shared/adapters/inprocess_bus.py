"""The embedded bus: delivers each published message to the subscribers the topology names.

Messages are wrapped exactly like Pub/Sub push deliveries (a ``messagePublished`` CloudEvent) and
delivered first-in first-out, subscriptions in topology order, so a run is deterministic. A failing
delivery is retried up to the subscription's attempt limit and then dead-lettered, like Pub/Sub: counted
in ``dead_letters`` and, given an archive (the composition root gives one under ``COURTSIDE_HOME``), kept
there with its payload so ``courtside dead-letters replay`` can re-drive it from another process.
"""

from __future__ import annotations

import base64
import itertools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from shared.adapters.local_dead_letters import LocalDeadLetterArchive
from shared.clock import parse_utc, utc_now
from shared.messages import encode, pubsub_cloud_event
from shared.ports import ArchivedMessage
from shared.topology import MAX_DELIVERY_ATTEMPTS, Subscription, subscriptions_of_topic

log = logging.getLogger("courtside.bus")

Deliver = Callable[[str, Any], Any]


@dataclass(frozen=True)
class DeadLetter:
    subscription: str
    message_id: str
    error: str


class InProcessBus:
    def __init__(
        self,
        project: str = "courtside-local",
        max_attempts: int = MAX_DELIVERY_ATTEMPTS,
        dead_letter_archive: LocalDeadLetterArchive | None = None,
    ) -> None:
        self._project = project
        self.dead_letter_archive = dead_letter_archive
        self._max_attempts = max_attempts
        self._queue: deque[tuple[Subscription, Any]] = deque()
        self._sequence = itertools.count(1)
        self._deliver: Deliver | None = None
        self._clock: Callable[[], datetime] = utc_now
        self.published: list[tuple[str, BaseModel]] = []
        self.dead_letters: list[DeadLetter] = []

    def connect(self, deliver: Deliver, clock: Callable[[], datetime] | None = None) -> None:
        """Set who receives deliveries (normally ``runtime.handle_cloud_event`` bound to the dependencies)
        and the clock that stamps publish times (a replay runs on the simulated clock of its season)."""
        self._deliver = deliver
        if clock is not None:
            self._clock = clock

    def publish(self, topic: str, event: BaseModel, event_time: datetime | None = None) -> str:
        data, attributes = encode(topic, event, event_time)
        published_at = self._clock()
        # The publish instant keeps ids apart across processes (a dead letter replayed by a later command
        # must not take the id, and so the pipeline_runs record, of the delivery that failed); the sequence
        # keeps them apart within one; a replay on its settable clock still gets the same ids every time.
        message_id = f"local-{published_at:%Y%m%dT%H%M%S%f}-{next(self._sequence)}"
        for subscription in subscriptions_of_topic(topic):
            cloud_event = pubsub_cloud_event(
                self._project, topic, subscription.name, data, attributes, message_id, published_at
            )
            self._queue.append((subscription, cloud_event))
        self.published.append((topic, event))
        return message_id

    def enqueue_raw(self, subscription: Subscription, cloud_event: Any) -> None:
        """Queue an already-built CloudEvent (e.g. a storage notification) for one subscription."""
        self._queue.append((subscription, cloud_event))

    def pending(self) -> int:
        return len(self._queue)

    def drain(self) -> list[Any]:
        """Deliver until nothing is queued; returns what each delivery returned, in order."""
        if self._deliver is None:
            raise RuntimeError("InProcessBus.connect(...) was never called")
        results: list[Any] = []
        while self._queue:
            subscription, cloud_event = self._queue.popleft()
            for attempt in range(1, self._max_attempts + 1):
                try:
                    results.append(self._deliver(subscription.function, cloud_event))
                    break
                except Exception as exc:  # like Pub/Sub: redeliver, then dead-letter
                    if attempt == self._max_attempts:
                        log.error("dead-lettering %s on %s: %s", cloud_event["id"], subscription.name, exc)
                        self.dead_letters.append(
                            DeadLetter(subscription.name, str(cloud_event["id"]), str(exc))
                        )
                        self._archive(subscription, cloud_event, str(exc))
        return results

    def _archive(self, subscription: Subscription, cloud_event: Any, error: str) -> None:
        if self.dead_letter_archive is None:
            return
        data = getattr(cloud_event, "data", None)
        envelope = data if isinstance(data, dict) else {}
        message = envelope.get("message") or {}
        published = message.get("publishTime")
        self.dead_letter_archive.add(
            ArchivedMessage(
                subscription=subscription.name,
                message_id=str(message.get("messageId") or cloud_event["id"]),
                data=base64.b64decode(message.get("data") or ""),
                attributes={str(k): str(v) for k, v in (message.get("attributes") or {}).items()},
                published_at=parse_utc(published) if published else None,
                error=error[:4000],
            ),
            dead_lettered_at=self._clock(),
        )
