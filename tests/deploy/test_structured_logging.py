"""A function under the functions-framework with LOG_EXECUTION_ID=true (as deployed) logs one JSON
object per line with Cloud Logging's severity and labels, and its INFO run summary survives the
framework setting the root logger to WARNING.

The function runs in a child interpreter: the framework reconfigures the root logger of whatever
process loads it, which must not leak into the other tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shared.logging_setup import LABELS_FIELD
from tests.deploy.sample_events import SAMPLE_DATE, SAMPLE_EVENTS, SAMPLE_SCHEDULE_CSV

REPO_ROOT = Path(__file__).resolve().parents[2]

# Posts three deliveries to one function app: a valid event, a malformed one, and a valid one whose
# handler fails as a transient error would (the warehouse unreachable).
DRIVER = """
import base64, json, sys
from functions_framework import create_app

function, topic, payload = sys.argv[1], sys.argv[2], sys.argv[3]
client = create_app(function, sys.argv[4], "cloudevent").test_client()

def post(data, message_id):
    envelope = {"message": {"data": base64.b64encode(data).decode(), "attributes": {"courtside_topic": topic},
                "messageId": message_id, "publishTime": "2026-01-14T15:00:00Z"}}
    headers = {"ce-id": message_id, "ce-specversion": "1.0",
               "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
               "ce-source": "//pubsub.googleapis.com/projects/courtside-local/topics/" + topic,
               "Content-Type": "application/json", "Function-Execution-Id": "exec-" + message_id}
    return client.post("/", data=json.dumps(envelope), headers=headers).status_code

codes = [post(payload.encode(), "good-1"), post(b'{"game_date": "nope"', "bad-1")]

def unreachable(event, context):
    raise ConnectionError("warehouse unreachable")

import shared.runtime
shared.runtime.load_handler = lambda name: unreachable
codes.append(post(payload.encode(), "fail-1"))
print("CODES " + json.dumps(codes), file=sys.__stderr__)
"""


@pytest.fixture(scope="module")
def grading_logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("logging-home")
    raw = home / "blobs" / "courtside-local-courtside-raw" / "schedule"
    raw.mkdir(parents=True)
    (raw / "sample.csv").write_text(SAMPLE_SCHEDULE_CSV, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COURTSIDE_", "PUBSUB_", "STORAGE_", "BIGQUERY_")) and key != "K_SERVICE"
    }
    env.update(COURTSIDE_HOME=str(home), LOG_EXECUTION_ID="true", PYTHONPATH=str(REPO_ROOT))
    topic, payload = SAMPLE_EVENTS["grading"]
    source = str(REPO_ROOT / "functions" / "grading" / "main.py")
    completed = subprocess.run(
        [sys.executable, "-c", DRIVER, "grading", topic, json.dumps(payload), source],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    codes_line = [line for line in completed.stderr.splitlines() if line.startswith("CODES ")]
    assert codes_line, completed.stderr
    return {
        "codes": json.loads(codes_line[-1].removeprefix("CODES ")),
        "stdout": completed.stdout,
        "stderr": "\n".join(line for line in completed.stderr.splitlines() if not line.startswith("CODES ")),
    }


def entries(text: str) -> list[dict[str, Any]]:
    """Every non-empty line must be one JSON object: that is what Cloud Logging parses."""
    parsed = []
    for line in text.splitlines():
        if line.strip():
            entry = json.loads(line)
            assert isinstance(entry, dict), line
            parsed.append(entry)
    return parsed


def test_the_deliveries_were_answered_as_pubsub_expects(grading_logs: dict[str, Any]) -> None:
    assert grading_logs["codes"] == [200, 200, 500]


def test_every_line_is_a_json_entry_with_severity_and_message(grading_logs: dict[str, Any]) -> None:
    everything = entries(grading_logs["stdout"]) + entries(grading_logs["stderr"])
    assert everything
    for entry in everything:
        assert entry["severity"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        assert isinstance(entry["message"], str)
        assert entry[LABELS_FIELD]["function"] == "grading"


def test_the_info_run_summary_is_on_stdout_with_its_labels(grading_logs: dict[str, Any]) -> None:
    summaries = [
        e
        for e in entries(grading_logs["stdout"])
        if e["severity"] == "INFO" and e["message"].startswith("grading ")
    ]
    [summary] = [e for e in summaries if e[LABELS_FIELD].get("event_id") == "good-1"]
    labels = summary[LABELS_FIELD]
    assert labels["status"] in {"success", "skipped"}
    assert labels["game_date"] == SAMPLE_DATE
    assert labels["run_id"] == "sample-run"
    assert labels["execution_id"] == "exec-good-1"


def test_a_rejected_event_is_a_warning_labelled_rejected(grading_logs: dict[str, Any]) -> None:
    [rejected] = [e for e in entries(grading_logs["stderr"]) if e[LABELS_FIELD].get("event_id") == "bad-1"]
    assert rejected["severity"] == "WARNING"
    assert rejected[LABELS_FIELD]["status"] == "rejected"
    assert "invalid boxscores-loaded message" in rejected["message"]
    assert rejected[LABELS_FIELD]["execution_id"] == "exec-bad-1"


def test_a_failure_is_an_error_with_its_traceback_in_the_message(grading_logs: dict[str, Any]) -> None:
    errors = [e for e in entries(grading_logs["stderr"]) if e["severity"] == "ERROR"]
    [runtime_error] = [e for e in errors if e[LABELS_FIELD].get("status") == "failed"]
    assert runtime_error[LABELS_FIELD]["event_id"] == "fail-1"
    assert runtime_error[LABELS_FIELD]["run_id"] == "sample-run"
    assert runtime_error[LABELS_FIELD]["execution_id"] == "exec-fail-1"
    assert "Traceback (most recent call last)" in runtime_error["message"]
    assert "ConnectionError: warehouse unreachable" in runtime_error["message"]
