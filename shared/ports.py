"""The small interfaces every adapter implements; services depend on these, never on a client library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

Row = dict[str, Any]


class Warehouse(Protocol):
    """Runs BigQuery-dialect SQL with named ``@parameters`` and writes rows by natural key."""

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None: ...

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]) -> int:
        """Delete rows whose key matches one of ``rows``, then insert ``rows``; returns rows written."""
        ...

    def insert_missing_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        """Append only the rows whose key is not already present (append-only history); returns rows added."""
        ...

    def ensure_tables(self) -> None: ...

    def release(self) -> None:
        """Give back connections/locks between invocations."""
        ...


class Bus(Protocol):
    def publish(self, topic: str, event: BaseModel, event_time: datetime | None = None) -> str:
        """Publish a validated event; returns the message id. ``event_time``: a replay's intended
        instant, carried as an attribute (shared/event_time.py)."""
        ...


class BlobStore(Protocol):
    def write_bytes(
        self, bucket: str, name: str, data: bytes, metadata: Mapping[str, str] | None = None
    ) -> None:
        """Write one whole object; ``metadata`` is its custom metadata (e.g. a replay's event time)."""
        ...

    def read_bytes(self, bucket: str, name: str) -> bytes: ...

    def exists(self, bucket: str, name: str) -> bool: ...

    def list_names(self, bucket: str, prefix: str = "") -> list[str]: ...


class AlertSink(Protocol):
    def send(self, payload: Mapping[str, Any]) -> None:
        """Deliver one alert message (e.g. Slack Block Kit). Raises on failure so the event is redelivered."""
        ...


@dataclass(frozen=True)
class ArchivedMessage:
    """A dead-lettered message as its archive keeps it: the original payload, attributes and subscription."""

    subscription: str
    message_id: str
    data: bytes
    attributes: Mapping[str, str]
    published_at: datetime | None
    error: str | None = None
    receipt: str = field(default="", compare=False)  # how the archive finds it again (file, ack id)


class DeadLetterArchive(Protocol):
    """Where a subscription's dead-lettered messages wait (a local folder, a Pub/Sub archive subscription)."""

    def pull(self, subscription: str, limit: int) -> list[ArchivedMessage]:
        """Lease up to ``limit`` messages; each must then be ``ack``-ed (gone) or ``release``-d (kept)."""
        ...

    def ack(self, message: ArchivedMessage) -> None: ...

    def release(self, message: ArchivedMessage) -> None: ...
