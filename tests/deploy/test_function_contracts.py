"""Contract tests: every function served by functions-framework, fed real Pub/Sub CloudEvents over HTTP.

What Pub/Sub sees is the HTTP status: 2xx acknowledges, anything else is redelivered. So a valid
event and a malformed one must both answer 2xx (the malformed one recorded as rejected), and a
transient failure must answer 500 so Pub/Sub retries.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from functions_framework import create_app

import shared.bootstrap
from shared.step import StepContext, StepResult
from shared.topology import FUNCTIONS
from tests.deploy.sample_events import SAMPLE_EVENTS, SAMPLE_SCHEDULE_CSV

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("COURTSIDE_HOME", str(tmp_path))
    for name in (
        "COURTSIDE_BACKEND",
        "PUBSUB_EMULATOR_HOST",
        "STORAGE_EMULATOR_HOST",
        "BIGQUERY_EMULATOR_HOST",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(shared.bootstrap, "_DEFAULT", None)
    raw = tmp_path / "blobs" / "courtside-local-courtside-raw" / "schedule"
    raw.mkdir(parents=True)
    (raw / "sample.csv").write_text(SAMPLE_SCHEDULE_CSV, encoding="utf-8")
    yield tmp_path
    deps = shared.bootstrap._DEFAULT
    if deps is not None:
        getattr(deps.warehouse, "close", deps.warehouse.release)()


def post(function: str, topic: str, data: str, message_id: str = "contract-1") -> Any:
    source = str(REPO_ROOT / "functions" / function / "main.py")
    client = create_app(function, source, "cloudevent").test_client()  # type: ignore[no-untyped-call]
    envelope = {
        "message": {
            "data": data,
            "attributes": {"courtside_topic": topic},
            "messageId": message_id,
            "publishTime": "2026-01-14T15:00:00Z",
        },
        "subscription": f"projects/courtside-local/subscriptions/{function}-contract",
    }
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": f"//pubsub.googleapis.com/projects/courtside-local/topics/{topic}",
        "Content-Type": "application/json",
    }
    return client.post("/", data=json.dumps(envelope), headers=headers)


def runs(function: str) -> list[dict[str, Any]]:
    deps = shared.bootstrap.default_dependencies()
    return deps.warehouse.query(
        "SELECT status, event_id, error FROM nba_orchestration.pipeline_runs_latest WHERE function_name = @f",
        {"f": function},
    )


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_valid_event_is_acknowledged_and_recorded(home: Path, function: str) -> None:
    topic, payload = SAMPLE_EVENTS[function]
    response = post(function, topic, base64.b64encode(json.dumps(payload).encode()).decode())
    assert response.status_code == 200, response.get_data(as_text=True)
    [run] = runs(function)
    assert run["status"] in {"success", "skipped"}
    assert run["event_id"] == "contract-1"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_malformed_event_is_acknowledged_not_retried(home: Path, function: str) -> None:
    topic, _ = SAMPLE_EVENTS[function]
    response = post(function, topic, base64.b64encode(b'{"game_date": "not a date"').decode(), "bad-1")
    assert response.status_code == 200
    [run] = runs(function)
    assert run["status"] == "rejected"
    assert run["error"].startswith("InvalidMessageError")


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_transient_failure_answers_500_so_pubsub_redelivers(
    home: Path, function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(event: Any, context: StepContext) -> StepResult:
        raise ConnectionError("warehouse unreachable")

    monkeypatch.setattr("shared.runtime.load_handler", lambda name: unreachable)
    topic, payload = SAMPLE_EVENTS[function]
    response = post(function, topic, base64.b64encode(json.dumps(payload).encode()).decode())
    assert response.status_code == 500
    [run] = runs(function)
    assert run["status"] == "failed"
    assert "warehouse unreachable" in run["error"]
