"""The runtime acknowledges what can never succeed, re-raises what might, and records every invocation."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from cloudevents.http import CloudEvent

from shared.bootstrap import Dependencies
from shared.errors import RefusedError
from shared.events import FeaturesReady, LinesLoaded
from shared.messages import PUBSUB_EVENT_TYPE
from shared.runtime import handle_cloud_event
from shared.step import StepContext, StepResult
from tests.conftest import cloud_event_for

DAY = date(2026, 1, 14)


def lines_loaded() -> LinesLoaded:
    return LinesLoaded(
        game_date=DAY,
        run_id="run-1",
        produced_by="ingest",
        produced_at=datetime(2026, 1, 14, 15, 0, tzinfo=UTC),
        source_object="lines/2026-01-14_open.csv",
        rows_loaded=10,
        rows_rejected=0,
    )


def runs(deps: Dependencies) -> list[dict[str, Any]]:
    return deps.warehouse.query(
        "SELECT * FROM nba_orchestration.pipeline_runs_latest ORDER BY function_name, event_id"
    )


def raw_event(data: str, attributes: dict[str, str] | None = None) -> CloudEvent:
    envelope = {
        "message": {
            "data": data,
            "attributes": attributes or {"courtside_topic": "lines-loaded"},
            "messageId": "bad-1",
            "publishTime": "2026-01-14T15:00:00Z",
        }
    }
    return CloudEvent({"id": "bad-1", "type": PUBSUB_EVENT_TYPE, "source": "//pubsub/x"}, envelope)


def never_called(event: Any, context: StepContext) -> StepResult:
    raise AssertionError("the handler must not see an invalid message")


@pytest.mark.parametrize(
    "cloud_event",
    [
        raw_event(base64.b64encode(b"{not json").decode()),
        raw_event("%%%not-base64%%%"),
        raw_event(base64.b64encode(b'{"game_date": "2026-13-45"}').decode()),
        raw_event(base64.b64encode(b"{}").decode(), {"courtside_topic": "no-such-topic"}),
        raw_event(
            base64.b64encode(b"{}").decode(), {"courtside_topic": "alerts"}
        ),  # not feature_store's topic
    ],
)
def test_malformed_messages_are_acknowledged_and_recorded_as_rejected(
    deps: Dependencies, cloud_event: CloudEvent
) -> None:
    outcome = handle_cloud_event("feature_store", cloud_event, deps, handler=never_called)
    assert outcome.status == "rejected"
    [run] = runs(deps)
    assert run["status"] == "rejected"
    assert run["function_name"] == "feature_store"
    assert run["event_id"] == "bad-1"
    assert run["error"].startswith("InvalidMessageError")


def test_an_event_with_extra_or_missing_fields_is_rejected_with_the_field_named(deps: Dependencies) -> None:
    payload = lines_loaded().model_dump(mode="json")
    del payload["rows_loaded"]
    payload["surprise"] = 1
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    outcome = handle_cloud_event("feature_store", raw_event(data), deps, handler=never_called)
    assert outcome.status == "rejected"
    assert "rows_loaded" in outcome.detail
    assert "surprise" in outcome.detail


def test_a_refusal_inside_the_service_is_permanent(deps: Dependencies) -> None:
    def refuse(event: Any, context: StepContext) -> StepResult:
        raise RefusedError("model feature_version v0 != v1")

    outcome = handle_cloud_event(
        "feature_store",
        cloud_event_for("feature_store", "lines-loaded", lines_loaded()),
        deps,
        handler=refuse,
    )
    assert outcome.status == "rejected"
    assert runs(deps)[0]["error"] == "RefusedError: model feature_version v0 != v1"


def test_transient_errors_are_recorded_and_raised_so_pubsub_retries(deps: Dependencies) -> None:
    def warehouse_down(event: Any, context: StepContext) -> StepResult:
        raise ConnectionError("warehouse unreachable")

    event = cloud_event_for("feature_store", "lines-loaded", lines_loaded())
    with pytest.raises(ConnectionError):
        handle_cloud_event("feature_store", event, deps, handler=warehouse_down)
    with pytest.raises(ConnectionError):
        handle_cloud_event("feature_store", event, deps, handler=warehouse_down)
    [run] = runs(deps)
    assert run["status"] == "failed"
    assert run["delivery_attempt"] == 2
    assert run["game_date"] == DAY


def test_success_records_rows_and_published_topics(deps: Dependencies) -> None:
    def build(event: Any, context: StepContext) -> StepResult:
        context.publish(
            "features-ready",
            FeaturesReady(
                **context.event_fields(event.game_date),
                feature_version="v1",
                rows_written=3,
                production_ready_rows=2,
            ),
        )
        return StepResult(event.game_date, rows_read=7, rows_written=3, detail="3 feature rows")

    outcome = handle_cloud_event(
        "feature_store", cloud_event_for("feature_store", "lines-loaded", lines_loaded()), deps, handler=build
    )
    assert outcome.status == "success"
    [run] = runs(deps)
    assert (run["rows_read"], run["rows_written"], run["published_topics"]) == (7, 3, "features-ready")
    assert run["run_id"] == "run-1"  # the chain's run id propagates
    [(topic, published)] = deps.bus.published  # type: ignore[attr-defined]
    assert topic == "features-ready"
    assert published.run_id == "run-1"
    assert published.produced_by == "feature_store"


def test_publishing_an_undeclared_topic_is_a_programming_error(deps: Dependencies) -> None:
    def rogue(event: Any, context: StepContext) -> StepResult:
        context.publish("alerts", event)
        raise AssertionError("unreachable")

    with pytest.raises(RuntimeError, match="not a declared publisher"):
        handle_cloud_event(
            "feature_store",
            cloud_event_for("feature_store", "lines-loaded", lines_loaded()),
            deps,
            handler=rogue,
        )


def test_in_process_bus_retries_then_dead_letters(deps: Dependencies) -> None:
    calls: list[str] = []

    def flaky(function: str, cloud_event: Any) -> None:
        calls.append(function)
        raise ConnectionError("down")

    bus = deps.bus
    bus.connect(flaky)  # type: ignore[attr-defined]
    bus.publish("lines-loaded", lines_loaded())
    bus.drain()  # type: ignore[attr-defined]
    assert calls == ["feature_store"] * 5
    [dead] = bus.dead_letters  # type: ignore[attr-defined]
    assert dead.subscription == "feature-store-on-lines-loaded"


def test_in_process_bus_refuses_the_wrong_contract_for_a_topic(deps: Dependencies) -> None:
    with pytest.raises(TypeError, match="carries LinesLoaded"):
        deps.bus.publish(
            "lines-loaded",
            FeaturesReady(
                **lines_loaded().model_dump(include={"game_date", "run_id", "produced_by", "produced_at"}),
                feature_version="v1",
                rows_written=0,
                production_ready_rows=0,
            ),
        )
