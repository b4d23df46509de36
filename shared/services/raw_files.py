"""Landing a raw file in the raw bucket: the same door for operators, replays and real feeds.

On Google Cloud the bucket's OBJECT_FINALIZE notification triggers ingest. The embedded default has
no such notification, so landing a file there publishes the same ``raw-objects`` message itself.
"""

from __future__ import annotations

from pathlib import Path

from shared.dependencies import Dependencies
from shared.events import StorageObject


def land_raw_file(deps: Dependencies, source: Path, object_name: str | None = None) -> str:
    name = object_name or source.name
    data = source.read_bytes()
    bucket = deps.settings.raw_bucket
    deps.blobs.write_bytes(bucket, name, data)
    if deps.announces_raw_objects:
        deps.bus.publish("raw-objects", StorageObject(bucket=bucket, name=name, size=str(len(data))))
    return name
