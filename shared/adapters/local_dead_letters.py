"""Dead letters of the in-process bus, kept as JSON files: ``<root>/<subscription>/<name>.json``.

The embedded stand-in for a ``<subscription>-dead-letter-archive`` pull subscription: a message that failed
every attempt is written here (its payload, attributes, original publish time and last error), so it
survives the process and ``courtside dead-letters list|replay`` can show and re-drive it later.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.clock import parse_utc
from shared.ports import ArchivedMessage


class LocalDeadLetterArchive:
    def __init__(self, root: Path) -> None:
        self._root = root

    def add(self, message: ArchivedMessage, dead_lettered_at: datetime) -> Path:
        folder = self._root / message.subscription
        folder.mkdir(parents=True, exist_ok=True)
        # Time-ordered and unique across processes sharing the folder.
        path = folder / f"{dead_lettered_at:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
        record = {
            "subscription": message.subscription,
            "message_id": message.message_id,
            "data": base64.b64encode(message.data).decode("ascii"),
            "attributes": dict(message.attributes),
            "published_at": message.published_at.isoformat() if message.published_at else None,
            "error": message.error,
            "dead_lettered_at": dead_lettered_at.isoformat(),
        }
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(json.dumps(record, indent=2), encoding="utf-8")
        os.replace(partial, path)
        return path

    def subscriptions(self) -> list[str]:
        if not self._root.is_dir():
            return []
        return sorted(p.name for p in self._root.iterdir() if p.is_dir() and any(p.glob("*.json")))

    def pull(self, subscription: str, limit: int) -> list[ArchivedMessage]:
        folder = self._root / subscription
        paths = sorted(folder.glob("*.json"))[:limit] if folder.is_dir() else []
        return [_message(json.loads(path.read_text(encoding="utf-8")), path) for path in paths]

    def ack(self, message: ArchivedMessage) -> None:
        Path(message.receipt).unlink(missing_ok=True)

    def release(self, message: ArchivedMessage) -> None:
        return None  # a file stays where it is until acknowledged


def _message(record: dict[str, Any], path: Path) -> ArchivedMessage:
    published = record.get("published_at")
    return ArchivedMessage(
        subscription=str(record["subscription"]),
        message_id=str(record["message_id"]),
        data=base64.b64decode(record["data"]),
        attributes={str(k): str(v) for k, v in (record.get("attributes") or {}).items()},
        published_at=parse_utc(published) if published else None,
        error=record.get("error"),
        receipt=str(path),
    )
