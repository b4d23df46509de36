"""The intended event time a replay carries in its messages, read in preference to Pub/Sub's publishTime.

On the embedded bus a replay sets the clock that stamps publish times. On Google Cloud it cannot:
Pub/Sub stamps the real publish time and a Cloud Storage notification the real upload time. So a
paced replay (``courtside/paced_replay.py``) writes the simulated instant into the raw object's
custom metadata under ``courtside_event_time``; the notification's payload (the object resource)
carries it to ingest, and every function that handles a message carrying it stamps the same value
as the ``courtside_event_time`` attribute of what it publishes. The runtime then gives services that
instant as their decision time (``StepContext.publish_time``), so the as-of rules see the season's
clock, exactly as in the embedded replay.

Who may set it: only the replay tooling. Live uploads, feeds and Cloud Scheduler never carry it, and a
message without it is handled exactly as before (publishTime is the decision time). Writing raw
objects or publishing to the topics already requires the roles of an operator or a function account,
so it adds no new way in. A value that is present but malformed (not ISO-8601, or without an offset)
is a permanent error: the run is rejected rather than quietly falling back to the wall clock, which
would silently compute a replayed date's features as of the day of the backfill.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.clock import parse_utc, to_utc
from shared.errors import InvalidMessageError

EVENT_TIME_KEY = "courtside_event_time"


def format_event_time(moment: datetime) -> str:
    return to_utc(moment).isoformat().replace("+00:00", "Z")


def event_time_attributes(moment: datetime | None) -> dict[str, str]:
    """The message attributes (or object metadata) that carry ``moment``; none for a live event."""
    return {} if moment is None else {EVENT_TIME_KEY: format_event_time(moment)}


def carried_event_time(attributes: Mapping[str, str], object_resource: Any = None) -> datetime | None:
    """The event time a message carries: its attribute, else (a storage notification) the object's
    custom metadata; None when neither carries one. Raises InvalidMessageError when it is malformed."""
    text: Any = attributes.get(EVENT_TIME_KEY)
    if text is None and isinstance(object_resource, Mapping):
        metadata = object_resource.get("metadata")
        text = metadata.get(EVENT_TIME_KEY) if isinstance(metadata, Mapping) else None
    if text is None:
        return None
    if not isinstance(text, str):
        raise InvalidMessageError(f"{EVENT_TIME_KEY} must be an ISO-8601 string, not {text!r}")
    try:
        return parse_utc(text)
    except ValueError as exc:  # includes NaiveTimestampError: an instant without an offset is ambiguous
        raise InvalidMessageError(f"malformed {EVENT_TIME_KEY} {text!r}: {exc}") from exc


def storage_object_resource(payload: bytes) -> Any:
    """The object resource of a storage notification's payload, or None if it is not JSON."""
    try:
        return json.loads(payload)
    except ValueError:
        return None
