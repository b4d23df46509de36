"""Landing a raw file in the raw bucket: the same door for operators, replays and real feeds.

On Google Cloud the bucket's OBJECT_FINALIZE notification triggers ingest. The embedded default has
no such notification, so landing a file there publishes the same ``raw-objects`` message itself.
A paced replay passes ``event_time`` (its simulated instant): it goes into the object's metadata,
which the notification carries to ingest (shared/event_time.py); live landings pass nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from shared.dependencies import Dependencies
from shared.event_time import event_time_attributes
from shared.events import StorageObject


def land_raw_file(
    deps: Dependencies, source: Path, object_name: str | None = None, event_time: datetime | None = None
) -> str:
    name = object_name or source.name
    data = source.read_bytes()
    bucket = deps.settings.raw_bucket
    deps.blobs.write_bytes(bucket, name, data, metadata=event_time_attributes(event_time) or None)
    if deps.announces_raw_objects:
        event = StorageObject(bucket=bucket, name=name, size=str(len(data)))
        deps.bus.publish("raw-objects", event, event_time=event_time)
    return name
