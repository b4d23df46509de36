"""Hostile deliveries for every function: each one is a permanent problem that must be rejected and recorded.

``hostile_deliveries(seed, count)`` yields (function, CloudEvent, raw files to land first, what it is)
from a fixed seed. Every case is wrong whatever a sane contract says: a malformed envelope, a payload that
is not the topic's event, a field of the wrong type or out of any plausible range, ids that are not text,
object names no store accepts, raw files that cannot be read. Events that are merely unusual but valid
(an unknown date with no data) are deliberately absent: their outcome is the service's business.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cloudevents.http import CloudEvent

from shared.messages import PUBSUB_EVENT_TYPE, STORAGE_FINALIZED_TYPE, TOPIC_ATTRIBUTE
from tests.deploy.sample_events import SAMPLE_EVENTS

RAW_BUCKET = "courtside-local-courtside-raw"
SURROGATE = "id-\ud800-x"
DEEP = 50_000  # far past any recursion limit


def deep_json(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


@dataclass(frozen=True)
class Hostile:
    function: str
    cloud_event: CloudEvent
    raw_files: dict[str, bytes]  # landed in the raw bucket before the delivery
    case: str  # which kind of hostility, for the failure message


# Per field of the contracts, values no sane contract accepts for it.
_BAD_DATES: list[Any] = ["0001-01-01", "9999-12-31", "2026-13-01", "", "today", 0, [], {}, None, SURROGATE]
_BAD_TIMES: list[Any] = ["0001-01-01T00:00:00Z", "2026-01-14T15:00:00", "soon", "", [], None, SURROGATE]
_BAD_TEXT: list[Any] = [None, 5, [], {}, SURROGATE, "x" * 300, ""]
_BAD_COUNTS: list[Any] = [-1, "many", None, 1.5, [], {}, "1e999"]
_BAD_FIELD_VALUES: dict[str, list[Any]] = {
    "game_date": _BAD_DATES,
    "produced_at": _BAD_TIMES,
    "latest_snapshot_at": ["0001-01-01T00:00:00Z", "2026-01-14T15:00:00", "soon", []],
    "run_id": _BAD_TEXT,
    "produced_by": _BAD_TEXT,
    "source_object": [None, 5, [], {}, SURROGATE],
    "feature_version": [None, 5, [], {}, SURROGATE],
    "rows_loaded": _BAD_COUNTS,
    "rows_rejected": _BAD_COUNTS,
    "rows_written": _BAD_COUNTS,
    "production_ready_rows": _BAD_COUNTS,
    "gradable": _BAD_COUNTS,
    "graded": _BAD_COUNTS,
    "voided": _BAD_COUNTS,
    "pending": _BAD_COUNTS,
    "systems": ["catboost", 5, {}, [SURROGATE], [[]]],
    "level": ["PANIC", 5, None, [], SURROGATE],
    "kind": [None, 5, [], SURROGATE],
    "system_id": [None, 5, [], SURROGATE],
    "dedupe_key": [None, 5, [], SURROGATE],
    "title": [None, 5, [], SURROGATE],
    "summary": [None, 5, [], SURROGATE],
    "facts": [[], "x", 5, {"k": SURROGATE}, {"k": []}],
    "recommendations": ["x", 5, {}, [SURROGATE]],
    # the scheduled triggers of the training and reconciler functions (retrain-, reconcile-requested)
    "schedule": [None, 5, [], {}, SURROGATE],
    "relative_day": ["tomorrow", "", None, 5, [], SURROGATE],
    # raw-objects: a storage object whose name no store accepts
    "bucket": [None, 5, [], "", SURROGATE],
    "name": [
        None,
        5,
        [],
        "",
        SURROGATE,
        "lines/a\x00b.csv",
        "../../etc/passwd",
        "lines/../../../x.csv",
        "/etc/passwd",
        "lines/" + "a" * 2000 + ".csv",
        "lines/a\nb.csv",
        "lines/a\rb.csv",
    ],
}

_HOSTILE_RAW_FILES: list[tuple[str, bytes]] = [
    ("deep-ndjson", ('{"game_id": ' + deep_json() + "}\n").encode()),
    ("deep-ndjson-first", (deep_json() + "\n").encode()),
    ("binary", bytes(range(256)) * 8),
    ("not-utf8", b"game_id,player_id\n\xff\xfe\xfa,1\n"),
    ("empty", b""),
    ("header-only", b"game_id,player_id,points\n"),
    ("unknown-kind", b"colour,flavour\nred,sweet\n"),
    ("parquet-magic-garbage", b"PAR1" + b"\x00" * 64),
    ("ndjson-not-objects", b'[1]\n2\n"x"\n'),
    ("huge-field-csv", b"game_id,player_id\n" + b"x" * 200_000 + b",1\n"),
    ("nul-csv", b"game_id,player_id\n\x00\x00,1\n"),
]


def _sample(function: str) -> tuple[str, dict[str, Any]]:
    topic, payload = SAMPLE_EVENTS[function]
    return topic, json.loads(json.dumps(payload))


def _pubsub(
    topic: str,
    data: Any,
    *,
    message_id: Any,
    attributes: Any = None,
    publish_time: Any = "2026-01-14T15:00:00Z",
    message_extra: dict[str, Any] | None = None,
    envelope: Any = None,
    ce_id: Any = None,
    ce_type: str = PUBSUB_EVENT_TYPE,
) -> CloudEvent:
    if envelope is None:
        message: dict[str, Any] = {
            "data": data,
            "attributes": {TOPIC_ATTRIBUTE: topic} if attributes is None else attributes,
            "messageId": message_id,
            "publishTime": publish_time,
            **(message_extra or {}),
        }
        envelope = {"message": message, "subscription": "projects/p/subscriptions/fuzz"}
    attributes_ce = {
        "id": message_id if ce_id is None else ce_id,
        "type": ce_type,
        "source": f"//pubsub.googleapis.com/projects/p/topics/{topic}",
        "specversion": "1.0",
    }
    return CloudEvent(attributes_ce, envelope)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _payload_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=True).encode("utf-8")


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.functions = sorted(SAMPLE_EVENTS)
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return f"fuzz-{self.count}"

    def one(self) -> Hostile:
        function = self.rng.choice(self.functions)
        makers: list[Callable[[str], Hostile]] = [
            self.bad_field,
            self.bad_field,
            self.bad_field,
            self.missing_or_extra_field,
            self.bad_payload,
            self.bad_envelope,
            self.bad_ids,
        ]
        if function == "ingest":
            makers += [self.hostile_raw_file, self.storage_event]
        return self.rng.choice(makers)(function)

    # -- payload: one field of the contract made hostile --------------------------------------------
    def bad_field(self, function: str) -> Hostile:
        topic, payload = _sample(function)
        field = self.rng.choice(sorted(payload))
        value = self.rng.choice(_BAD_FIELD_VALUES[field] + [json.loads(deep_json(400))])
        payload[field] = value
        data = _payload_bytes(payload)
        return Hostile(function, _pubsub(topic, _b64(data), message_id=self.next_id()), {}, f"field {field}")

    def missing_or_extra_field(self, function: str) -> Hostile:
        topic, payload = _sample(function)
        if function == "ingest" or self.rng.random() < 0.5:
            required = [f for f in sorted(payload) if f in {"bucket", "name", "game_date", "run_id"}]
            del payload[self.rng.choice(required or sorted(payload))]
            case = "missing field"
        else:
            payload[self.rng.choice(["surprise", "GAME_DATE", "", SURROGATE[:2] + "x"])] = 1
            case = "extra field"
        return Hostile(
            function, _pubsub(topic, _b64(_payload_bytes(payload)), message_id=self.next_id()), {}, case
        )

    def bad_payload(self, function: str) -> Hostile:
        topic, _ = _sample(function)
        raw = self.rng.choice(
            [
                b"",
                b"{not json",
                b"[]",
                b"[1, 2]",
                b"42",
                b'"text"',
                b"null",
                b"true",
                deep_json().encode(),
                ('{"game_date": ' + deep_json() + "}").encode(),
                b"\xff\xfe\x00garbage",
                bytes(self.rng.randrange(256) for _ in range(64)),
            ]
        )
        return Hostile(function, _pubsub(topic, _b64(raw), message_id=self.next_id()), {}, "payload")

    # -- the Pub/Sub envelope -----------------------------------------------------------------------
    def bad_envelope(self, function: str) -> Hostile:
        topic, payload = _sample(function)
        # A valid payload: the envelope alone must get the delivery rejected (case 9 excepted).
        good = _b64(_payload_bytes(payload))
        year_one = _b64(
            _payload_bytes({**payload, "game_date": "0001-01-01"} if "game_date" in payload else {})
        )
        message_id = self.next_id()
        choice = self.rng.randrange(12)
        case = f"envelope {choice}"
        if choice == 0:  # data of the wrong JSON type
            event = _pubsub(topic, None, message_id=message_id, envelope=self.rng.choice([[], 5, "x", True]))
        elif choice == 1:
            event = _pubsub(
                topic, None, message_id=message_id, envelope={"message": self.rng.choice([[], 5, "x"])}
            )
        elif choice == 2:  # message.data not a base64 string
            event = _pubsub(topic, self.rng.choice([5, [], {}, "%%%", True]), message_id=message_id)
        elif choice == 3:  # numeric, year-0001 or garbage publishTime
            when = self.rng.choice(
                [0, 1.5e9, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "yesterday", [], {}]
            )
            event = _pubsub(topic, good, message_id=message_id, publish_time=when)
        elif choice == 4:  # attributes not an object
            event = _pubsub(
                topic, good, message_id=message_id, attributes=self.rng.choice([[], "x", 5, True])
            )
        elif choice == 5:  # attributes with hostile values or keys
            hostile_value: Any = self.rng.choice([[1], {"a": 1}, SURROGATE, None])
            attributes = {TOPIC_ATTRIBUTE: topic, "k": hostile_value}
            event = _pubsub(topic, good, message_id=message_id, attributes=attributes)
        elif choice == 6:  # a topic attribute that is not a string or not ours
            attributes = {TOPIC_ATTRIBUTE: self.rng.choice([5, [], SURROGATE, "../x", "alerts\x00"])}
            event = _pubsub(topic, good, message_id=message_id, attributes=attributes)
        elif choice == 7:  # deeply nested envelope
            deep = json.loads(deep_json(800))
            event = _pubsub(topic, None, message_id=message_id, envelope={"message": {"data": deep}})
        elif choice == 8:  # wrong CloudEvent type
            event = _pubsub(topic, good, message_id=message_id, ce_type=self.rng.choice(["x", "", SURROGATE]))
        elif choice == 9:  # a valid envelope carrying a year-0001 game date
            event = _pubsub(topic, year_one, message_id=message_id)
        elif choice == 10:  # a payload that is a JSON object, but deeply nested inside
            nested = _b64(('{"run_id": ' + deep_json(2000) + "}").encode())
            event = _pubsub(topic, nested, message_id=message_id)
        else:  # an envelope with extra junk and a publishTime of the wrong type
            event = _pubsub(
                topic, good, message_id=message_id, publish_time={"seconds": 5}, message_extra={"x": 1}
            )
        return Hostile(function, event, {}, case)

    def bad_ids(self, function: str) -> Hostile:
        topic, payload = _sample(function)
        bad_payload = _b64(_payload_bytes({**payload, "run_id": None}))
        message_id = self.rng.choice([SURROGATE, SURROGATE * 3, "\udfff", f"{self.next_id()}\ud83d"])
        ce_id = self.rng.choice([None, SURROGATE, 5, "x" * 5000])
        return Hostile(function, _pubsub(topic, bad_payload, message_id=message_id, ce_id=ce_id), {}, "ids")

    # -- ingest: hostile raw files and storage events -----------------------------------------------
    def hostile_raw_file(self, function: str) -> Hostile:
        kind, content = self.rng.choice(_HOSTILE_RAW_FILES)
        name = f"fuzz/{self.next_id()}-{kind}" + self.rng.choice([".csv", ".ndjson", ".parquet", ""])
        payload = {"bucket": RAW_BUCKET, "name": name}
        event = _pubsub("raw-objects", _b64(_payload_bytes(payload)), message_id=self.next_id())
        return Hostile(function, event, {name: content}, f"raw file {kind}")

    def storage_event(self, function: str) -> Hostile:
        data: Any = self.rng.choice(
            [
                None,
                [],
                "x",
                {"bucket": RAW_BUCKET},
                {"bucket": RAW_BUCKET, "name": self.rng.choice(_BAD_FIELD_VALUES["name"])},
                {"bucket": RAW_BUCKET, "name": "lines/never-landed.csv"},
            ]
        )
        event = CloudEvent(
            {
                "id": self.next_id(),
                "type": STORAGE_FINALIZED_TYPE,
                "source": "//storage",
                "specversion": "1.0",
            },
            data,
        )
        return Hostile(function, event, {}, "storage event")


def hostile_deliveries(seed: int, count: int) -> Iterator[Hostile]:
    generator = _Generator(seed)
    for _ in range(count):
        yield generator.one()
