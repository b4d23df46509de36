"""Turns ``shared/topology.py`` into the Pub/Sub and Cloud Scheduler data Terraform creates.

Terraform iterates (``for_each``) over these maps, so every topic, trigger subscription, dead-letter
topic, archive subscription and schedule comes from the one topology; nothing is named twice.
"""

from __future__ import annotations

from typing import Any

from shared import topology

# Topic publishers that are Google services rather than our functions: "cloud-storage:<key>-bucket"
# means OBJECT_FINALIZE notifications of the bucket Terraform knows as <key>.
STORAGE_PUBLISHER_PREFIX = "cloud-storage:"
STORAGE_EVENT_TYPES = ("OBJECT_FINALIZE",)


def terraform_topology() -> dict[str, Any]:
    return {
        "max_delivery_attempts": topology.PUSH_MAX_DELIVERY_ATTEMPTS,
        "minimum_backoff_seconds": topology.PUSH_MINIMUM_BACKOFF_SECONDS,
        "maximum_backoff_seconds": topology.PUSH_MAXIMUM_BACKOFF_SECONDS,
        "schedule_time_zone": topology.SCHEDULE_TIME_ZONE,
        "functions": list(topology.FUNCTIONS),
        "topics": {
            t.name: {"description": t.description, "publishers": list(t.publishers)} for t in topology.TOPICS
        },
        "subscriptions": {
            s.name: {
                "topic": s.topic,
                "function": s.function,
                "dead_letter_topic": s.dead_letter_topic,
                "dead_letter_archive": s.dead_letter_archive,
            }
            for s in topology.SUBSCRIPTIONS
        },
        "schedules": {
            s.name: {
                "cron": s.cron,
                "time_zone": s.time_zone,
                "topic": s.topic,
                "description": s.description,
                # The ScheduledRun event (shared/events.py): the date is resolved from the publish time.
                "payload": {"schedule": s.name, "relative_day": s.relative_day},
            }
            for s in topology.SCHEDULES
        },
        "storage_notifications": {
            t.name: {"bucket": bucket, "event_types": list(STORAGE_EVENT_TYPES)}
            for t in topology.TOPICS
            for bucket in _storage_buckets(t.publishers)
        },
    }


def _storage_buckets(publishers: tuple[str, ...]) -> list[str]:
    prefix = STORAGE_PUBLISHER_PREFIX
    buckets = [p.removeprefix(prefix) for p in publishers if p.startswith(prefix)]
    if len(buckets) > 1:
        raise ValueError(f"one Cloud Storage notification per topic, not {buckets}")
    return [b.removesuffix("-bucket") for b in buckets]
