"""Pub/Sub message wire format: encoding events, wrapping them as CloudEvents, decoding deliveries.

The in-process bus, the emulator push relay and real Pub/Sub all end in the same CloudEvent shape
(``google.cloud.pubsub.topic.v1.messagePublished``), so a function cannot tell them apart.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from shared.clock import parse_utc, utc_now
from shared.errors import InvalidMessageError
from shared.event_time import carried_event_time, event_time_attributes, storage_object_resource
from shared.events import EVENT_OF_TOPIC, plausible_instant

PUBSUB_EVENT_TYPE = "google.cloud.pubsub.topic.v1.messagePublished"
STORAGE_FINALIZED_TYPE = "google.cloud.storage.object.v1.finalized"
TOPIC_ATTRIBUTE = "courtside_topic"
RAW_OBJECTS_TOPIC = "raw-objects"


class CloudEventLike(Protocol):
    data: Any

    def __getitem__(self, key: str) -> Any: ...


@dataclass(frozen=True)
class Delivery:
    """One decoded delivery: which topic, the raw payload and Pub/Sub's metadata."""

    topic: str
    event_id: str
    payload: bytes
    attributes: dict[str, str]
    publish_time: datetime
    # The intended event time a replay carried (shared/event_time.py); None on a live event.
    event_time: datetime | None = None

    @property
    def decision_time(self) -> datetime:
        """The instant the services act as of: the carried event time, else the publish time."""
        return self.event_time or self.publish_time


def encode(topic: str, event: BaseModel, event_time: datetime | None = None) -> tuple[bytes, dict[str, str]]:
    """The payload and attributes every bus publishes; refuses an event that is not the topic's contract.
    ``event_time`` (a replay's intended instant, passed down the chain) becomes an attribute."""
    expected = EVENT_OF_TOPIC[topic]
    if not isinstance(event, expected):
        raise TypeError(f"{topic} carries {expected.__name__}, not {type(event).__name__}")
    attributes = {TOPIC_ATTRIBUTE: topic, **event_time_attributes(event_time)}
    game_date = getattr(event, "game_date", None)
    if game_date is not None:
        attributes["game_date"] = game_date.isoformat()
    return event.model_dump_json().encode("utf-8"), attributes


def push_envelope(
    project: str,
    topic: str,
    subscription: str,
    data: bytes,
    attributes: dict[str, str],
    message_id: str,
    publish_time: datetime,
) -> dict[str, Any]:
    """The JSON body Pub/Sub POSTs to a push endpoint."""
    return {
        "message": {
            "data": base64.b64encode(data).decode("ascii"),
            "attributes": attributes,
            "messageId": message_id,
            "publishTime": publish_time.isoformat().replace("+00:00", "Z"),
        },
        "subscription": f"projects/{project}/subscriptions/{subscription}",
    }


def pubsub_cloud_event(
    project: str,
    topic: str,
    subscription: str,
    data: bytes,
    attributes: dict[str, str],
    message_id: str,
    publish_time: datetime | None = None,
) -> Any:
    from cloudevents.http import CloudEvent

    published = publish_time or utc_now()
    envelope = push_envelope(project, topic, subscription, data, attributes, message_id, published)
    return CloudEvent(
        {
            "id": message_id,
            "type": PUBSUB_EVENT_TYPE,
            "source": f"//pubsub.googleapis.com/projects/{project}/topics/{topic}",
            "specversion": "1.0",
            "time": envelope["message"]["publishTime"],
        },
        envelope,
    )


def decode(cloud_event: CloudEventLike) -> Delivery:
    """Turn a CloudEvent into a Delivery, or raise InvalidMessageError (never a retryable error).

    Every field is checked for its wire type before use: a hostile envelope (data of the wrong JSON type,
    attributes that are not an object of strings, a numeric or year-0001 publishTime, ids that are not
    valid text) is a malformed message, not a reason to retry.
    """
    try:
        event_type = cloud_event["type"]
        event_id = valid_text(str(cloud_event["id"]), "CloudEvent id")
        source = str(cloud_event["source"] or "")
    except (KeyError, TypeError) as exc:
        raise InvalidMessageError(f"not a CloudEvent: {exc}") from exc
    data = cloud_event.data
    if event_type == STORAGE_FINALIZED_TYPE:
        if not isinstance(data, dict):
            raise InvalidMessageError("storage event without an object resource")
        return Delivery(
            RAW_OBJECTS_TOPIC,
            event_id,
            json.dumps(data).encode(),
            {},
            _time(cloud_event),
            _plausible_event_time(carried_event_time({}, data)),
        )
    if event_type != PUBSUB_EVENT_TYPE:
        raise InvalidMessageError(f"unsupported CloudEvent type {event_type!r}")
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise InvalidMessageError(f"CloudEvent data is not JSON: {type(exc).__name__}") from exc
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise InvalidMessageError("Pub/Sub CloudEvent without a message")
    attributes = _attributes(message.get("attributes"))
    encoded = message.get("data") or ""
    if not isinstance(encoded, str):
        raise InvalidMessageError(f"message data is a {type(encoded).__name__}, not a base64 string")
    try:
        payload = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise InvalidMessageError(f"message data is not base64: {exc}") from exc
    topic = _topic(source, attributes)
    publish_time_text = message.get("publishTime")
    publish_time = _publish_time(publish_time_text) if publish_time_text is not None else _time(cloud_event)
    message_id = message.get("messageId") or event_id
    if not isinstance(message_id, str | int):
        raise InvalidMessageError(f"messageId is a {type(message_id).__name__}, not a string")
    resource = storage_object_resource(payload) if topic == RAW_OBJECTS_TOPIC else None
    return Delivery(
        topic,
        valid_text(str(message_id), "messageId"),
        payload,
        attributes,
        publish_time,
        _plausible_event_time(carried_event_time(attributes, resource)),
    )


def _plausible_event_time(value: datetime | None) -> datetime | None:
    try:
        return None if value is None else plausible_instant(value)
    except ValueError as exc:
        raise InvalidMessageError(f"implausible event time: {exc}") from exc


def valid_text(value: str, what: str) -> str:
    """``value`` if it is text UTF-8 can carry (no lone surrogates), else InvalidMessageError."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidMessageError(f"{what} is not valid text ({exc.reason})") from exc
    return value


def printable_text(value: str) -> str:
    """Any text made storable: lone surrogates become their escape (for recording a hostile id)."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _attributes(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidMessageError("message attributes are not an object of strings")
    return {valid_text(str(k), "attribute name"): valid_text(v, "attribute value") for k, v in value.items()}


def _publish_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidMessageError(f"publishTime is a {type(value).__name__}, not an RFC 3339 string")
    try:
        return plausible_instant(parse_utc(value))
    except ValueError as exc:
        raise InvalidMessageError(f"bad publishTime {value!r}: {exc}") from exc


def _topic(source: str, attributes: dict[str, str]) -> str:
    if TOPIC_ATTRIBUTE in attributes:
        return attributes[TOPIC_ATTRIBUTE]
    if "/topics/" in source:
        return source.rsplit("/topics/", 1)[1]
    # Cloud Storage notifications carry these attributes and no topic attribute of ours.
    if attributes.get("eventType") and attributes.get("bucketId"):
        return RAW_OBJECTS_TOPIC
    raise InvalidMessageError("cannot tell which topic the message came from")


def _time(cloud_event: CloudEventLike) -> datetime:
    try:
        text = cloud_event["time"]
    except (KeyError, TypeError):
        text = None
    return _publish_time(text) if text else utc_now()
