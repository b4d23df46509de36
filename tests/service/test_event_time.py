"""A replay's intended event time, carried in the message, is the decision time; a live event is unchanged.

On Google Cloud publishTime is the wall clock (and a storage notification's is the upload time), so a
paced replay carries its simulated instant in an attribute or in the object's metadata
(shared/event_time.py). A malformed carried time is rejected, never replaced by the wall clock.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from cloudevents.http import CloudEvent

from shared.bootstrap import Dependencies
from shared.event_time import EVENT_TIME_KEY
from shared.events import FeaturesReady, LinesLoaded
from shared.messages import PUBSUB_EVENT_TYPE, STORAGE_FINALIZED_TYPE, encode, pubsub_cloud_event
from shared.runtime import handle_cloud_event
from shared.step import StepContext, StepResult

DAY = date(2026, 1, 14)
PUBLISHED = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)  # the backfill's wall clock
INTENDED = datetime(2026, 1, 14, 17, 30, tzinfo=UTC)  # 12:30 ET on the game date


def lines_loaded() -> LinesLoaded:
    return LinesLoaded(
        game_date=DAY,
        run_id="run-1",
        produced_by="ingest",
        produced_at=PUBLISHED,
        source_object="lines/2026-01-14_open.csv",
        rows_loaded=10,
        rows_rejected=0,
    )


def lines_loaded_event(extra_attributes: dict[str, str]) -> Any:
    data, attributes = encode("lines-loaded", lines_loaded())
    return pubsub_cloud_event(
        "courtside-local",
        "lines-loaded",
        "lines-loaded-feature-store",
        data,
        {**attributes, **extra_attributes},
        "msg-1",
        PUBLISHED,
    )


class Recorder:
    """A feature_store handler that keeps its context and publishes what the real one publishes."""

    def __init__(self) -> None:
        self.contexts: list[StepContext] = []

    def __call__(self, event: Any, context: StepContext) -> StepResult:
        self.contexts.append(context)
        context.publish(
            "features-ready",
            FeaturesReady(
                **context.event_fields(DAY), feature_version="v1", rows_written=1, production_ready_rows=1
            ),
        )
        return StepResult(DAY, 0, 1, "recorded")


def published_attributes(deps: Dependencies) -> list[dict[str, str]]:
    """The attributes of every delivery of what the step published (prediction subscribes)."""
    delivered: list[Any] = []
    deps.bus.connect(lambda function, cloud_event: delivered.append(cloud_event))  # type: ignore[attr-defined]
    deps.bus.drain()  # type: ignore[attr-defined]
    return [dict(cloud_event.data["message"]["attributes"]) for cloud_event in delivered]


def test_a_carried_event_time_is_the_decision_time_and_travels_down_the_chain(deps: Dependencies) -> None:
    recorder = Recorder()
    cloud_event = lines_loaded_event({EVENT_TIME_KEY: "2026-01-14T17:30:00Z"})

    outcome = handle_cloud_event("feature_store", cloud_event, deps, handler=recorder)

    assert outcome.status == "success"
    [context] = recorder.contexts
    assert context.publish_time == INTENDED
    assert context.event_time == INTENDED
    [attributes] = published_attributes(deps)
    assert attributes[EVENT_TIME_KEY] == "2026-01-14T17:30:00Z"


def test_a_live_event_without_one_acts_on_its_publish_time_and_passes_nothing_on(deps: Dependencies) -> None:
    recorder = Recorder()

    handle_cloud_event("feature_store", lines_loaded_event({}), deps, handler=recorder)

    [context] = recorder.contexts
    assert context.publish_time == PUBLISHED
    assert context.event_time is None
    [attributes] = published_attributes(deps)
    assert EVENT_TIME_KEY not in attributes


def storage_notification(metadata: dict[str, str] | None) -> CloudEvent:
    """What a bucket's OBJECT_FINALIZE notification pushes: the object resource as data, publishTime the
    upload's wall clock, and Cloud Storage's own attributes (no topic attribute of ours)."""
    resource: dict[str, Any] = {"bucket": "raw", "name": "lines/2026-01-14_open.csv", "size": "10"}
    if metadata is not None:
        resource["metadata"] = metadata
    envelope = {
        "message": {
            "data": base64.b64encode(json.dumps(resource).encode()).decode(),
            "attributes": {"eventType": "OBJECT_FINALIZE", "bucketId": "raw", "objectId": resource["name"]},
            "messageId": "gcs-1",
            "publishTime": "2026-11-29T13:00:00Z",
        }
    }
    return CloudEvent({"id": "gcs-1", "type": PUBSUB_EVENT_TYPE, "source": "//pubsub/x"}, envelope)


def eventarc_storage_event(metadata: dict[str, str]) -> CloudEvent:
    resource = {"bucket": "raw", "name": "lines/2026-01-14_open.csv", "metadata": metadata}
    return CloudEvent(
        {
            "id": "gcs-2",
            "type": STORAGE_FINALIZED_TYPE,
            "source": "//storage/x",
            "time": "2026-11-29T13:00:00Z",
        },
        resource,
    )


@pytest.mark.parametrize(
    ("cloud_event", "expected"),
    [
        (storage_notification({EVENT_TIME_KEY: "2026-01-14T12:30:00-05:00"}), INTENDED),
        (eventarc_storage_event({EVENT_TIME_KEY: "2026-01-14T17:30:00Z"}), INTENDED),
        (storage_notification({"uploaded-by": "feed"}), PUBLISHED),  # a live upload: as today
        (storage_notification(None), PUBLISHED),
    ],
)
def test_a_storage_notification_carries_the_event_time_in_the_objects_metadata(
    deps: Dependencies, cloud_event: CloudEvent, expected: datetime
) -> None:
    contexts: list[StepContext] = []

    def ingest(event: Any, context: StepContext) -> StepResult:
        contexts.append(context)
        return StepResult(DAY, 0, 0, "seen", status="skipped")

    assert handle_cloud_event("ingest", cloud_event, deps, handler=ingest).status == "skipped"
    assert contexts[0].publish_time == expected


@pytest.mark.parametrize("malformed", ["yesterday", "2026-01-14T12:30:00", "", "2026-13-40T00:00:00Z"])
def test_a_malformed_event_time_is_rejected_not_replaced_by_the_wall_clock(
    deps: Dependencies, malformed: str
) -> None:
    def never_called(event: Any, context: StepContext) -> StepResult:
        raise AssertionError("a message with a malformed event time must not reach the service")

    outcome = handle_cloud_event(
        "feature_store", lines_loaded_event({EVENT_TIME_KEY: malformed}), deps, handler=never_called
    )

    assert outcome.status == "rejected"
    assert EVENT_TIME_KEY in outcome.detail
    [run] = deps.warehouse.query("SELECT status, error FROM nba_orchestration.pipeline_runs")
    assert run["status"] == "rejected"
    assert "InvalidMessageError" in run["error"]


def test_a_malformed_event_time_in_object_metadata_is_rejected(deps: Dependencies) -> None:
    def never_called(event: Any, context: StepContext) -> StepResult:
        raise AssertionError("a message with a malformed event time must not reach the service")

    outcome = handle_cloud_event(
        "ingest", storage_notification({EVENT_TIME_KEY: "soon"}), deps, handler=never_called
    )
    assert outcome.status == "rejected"
