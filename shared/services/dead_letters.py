"""Dead letters: show them and re-drive them, through whichever archive the composition root chose.

A replay re-publishes each message's original payload to its subscription's topic (every subscriber of
that topic sees it again: each step is idempotent) and acknowledges it in the archive only after the
publish succeeded, so a failed replay loses nothing. A scheduler message that left its date to the
publish time ("today", "yesterday") is pinned to the date it was first meant for, not the replay's, and an
intended event time the message carried is carried again.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from shared.clock import today_et, yesterday_et
from shared.event_time import carried_event_time
from shared.events import EVENT_OF_TOPIC, ScheduledRun
from shared.ports import ArchivedMessage, Bus, DeadLetterArchive
from shared.topology import SUBSCRIPTIONS


@dataclass(frozen=True)
class ReplayOutcome:
    message: ArchivedMessage
    topic: str
    new_message_id: str | None  # None: not re-published (see problem); the message stays archived
    problem: str | None = None


def topic_of(subscription: str) -> str:
    for candidate in SUBSCRIPTIONS:
        if candidate.name == subscription:
            return candidate.topic
    raise KeyError(f"unknown subscription {subscription!r}; subscriptions are declared in shared/topology.py")


def list_dead_letters(archive: DeadLetterArchive, subscription: str, limit: int) -> list[ArchivedMessage]:
    """The archived messages of ``subscription``, left in the archive."""
    topic_of(subscription)
    messages = archive.pull(subscription, limit)
    for message in messages:
        archive.release(message)
    return messages


def replayable_event(topic: str, message: ArchivedMessage) -> BaseModel:
    """The message's event, validated against its topic's contract (a scheduler run pinned to its date)."""
    event = EVENT_OF_TOPIC[topic].model_validate_json(message.data)
    if isinstance(event, ScheduledRun) and event.game_date is None and message.published_at is not None:
        resolve = today_et if event.relative_day == "today" else yesterday_et
        event = event.model_copy(update={"game_date": resolve(message.published_at)})
    return event


def replay_dead_letters(
    archive: DeadLetterArchive, bus: Bus, subscription: str, limit: int
) -> list[ReplayOutcome]:
    topic = topic_of(subscription)
    outcomes: list[ReplayOutcome] = []
    for message in archive.pull(subscription, limit):
        try:
            event = replayable_event(topic, message)
        except ValidationError as exc:
            archive.release(message)
            outcomes.append(ReplayOutcome(message, topic, None, f"not a valid {topic} event: {exc}"))
            continue
        try:
            # A replay's intended event time (shared/event_time.py) travels on, like the payload.
            new_message_id = bus.publish(topic, event, carried_event_time(message.attributes))
        except Exception:
            archive.release(message)  # still archived; the operator sees the error and may retry
            raise
        archive.ack(message)
        outcomes.append(ReplayOutcome(message, topic, new_message_id))
    return outcomes
