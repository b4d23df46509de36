"""HTTP push bus: endpoint parsing, envelopes per subscription, retries then dead-letter (local server)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from shared.adapters.http_push_bus import HttpPushBus, parse_endpoints
from shared.bootstrap import build_dependencies
from shared.events import GradingComplete
from shared.messages import TOPIC_ATTRIBUTE
from shared.settings import Settings

EVENT = GradingComplete(
    game_date=date(2026, 1, 2),
    run_id="run-9",
    produced_by="grading",
    produced_at=datetime(2026, 1, 3, 11, 0, tzinfo=UTC),
    gradable=10,
    graded=9,
    voided=1,
    pending=0,
)


class Recorder:
    def __init__(self) -> None:
        self.statuses: list[int] = []  # answers to give, in order; 204 once exhausted
        self.requests: list[tuple[str, dict[str, Any]]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            recorder.requests.append((self.path, body))
            self.send_response(recorder.statuses.pop(0) if recorder.statuses else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", recorder
    httpd.shutdown()
    httpd.server_close()


def test_parse_endpoints_accepts_functions_and_urls() -> None:
    assert parse_endpoints('{"ingest": "http://127.0.0.1:8101/"}') == {"ingest": "http://127.0.0.1:8101"}
    with pytest.raises(ValueError, match="unknown function"):
        parse_endpoints('{"nope": "http://x"}')
    with pytest.raises(ValueError, match="http"):
        parse_endpoints('{"ingest": "127.0.0.1:8101"}')
    with pytest.raises(ValueError, match="not JSON"):
        parse_endpoints("ingest=http://x")


def test_bootstrap_selects_the_push_bus_from_the_environment(tmp_path: Any) -> None:
    env = {"COURTSIDE_HOME": str(tmp_path), "COURTSIDE_PUSH_ENDPOINTS": '{"alerts": "http://127.0.0.1:1"}'}
    deps = build_dependencies(Settings.from_env(env))
    assert isinstance(deps.bus, HttpPushBus)


def test_publish_posts_one_envelope_per_subscription(server: tuple[str, Recorder]) -> None:
    url, recorder = server
    bus = HttpPushBus("p1", {"sharpness": url, "diagnostics": url + "/d"})
    message_id = bus.publish("grading-complete", EVENT)
    assert bus.flush(10)
    assert sorted(path for path, _ in recorder.requests) == [
        "/d/projects/p1/topics/grading-complete",
        "/projects/p1/topics/grading-complete",
    ]
    subscriptions = sorted(body["subscription"] for _, body in recorder.requests)
    assert subscriptions == [
        "projects/p1/subscriptions/diagnostics-on-grading-complete",
        "projects/p1/subscriptions/sharpness-on-grading-complete",
    ]
    for _, body in recorder.requests:
        message = body["message"]
        assert message["messageId"] == message_id
        assert message["attributes"] == {TOPIC_ATTRIBUTE: "grading-complete", "game_date": "2026-01-02"}
        assert GradingComplete.model_validate_json(base64.b64decode(message["data"])) == EVENT
    assert bus.dead_letters == []


def test_error_answers_are_retried_then_dead_lettered(server: tuple[str, Recorder]) -> None:
    url, recorder = server
    recorder.statuses = [500] * 3
    bus = HttpPushBus("p1", {"alerts": url}, max_attempts=3, backoff_seconds=0.0)
    alert_event = EVENT  # wrong type for the alerts topic: refused before any request
    with pytest.raises(TypeError):
        bus.publish("alerts", alert_event)
    bus_ok = HttpPushBus("p1", {"sharpness": url, "diagnostics": url}, max_attempts=3, backoff_seconds=0.0)
    recorder.statuses = [500, 503, 204, 500, 500, 500]
    bus_ok.publish("grading-complete", EVENT)
    assert bus_ok.flush(10)
    # Deliveries run one after another: the first subscription succeeds on its third try,
    # the second fails three times and is dead-lettered.
    assert len(recorder.requests) == 6
    assert [d.subscription for d in bus_ok.dead_letters] == ["diagnostics-on-grading-complete"]
    assert bus_ok.dead_letters[0].error == "HTTP 500"


def test_publish_refuses_when_a_subscriber_has_no_endpoint() -> None:
    bus = HttpPushBus("p1", {"sharpness": "http://127.0.0.1:1"})
    with pytest.raises(LookupError, match="diagnostics"):
        bus.publish("grading-complete", EVENT)


def test_push_bus_refuses_the_wrong_contract_before_sending(server: tuple[str, Recorder]) -> None:
    url, recorder = server
    bus = HttpPushBus("courtside-local", {"sharpness": url, "diagnostics": url})
    with pytest.raises(TypeError, match="features-ready carries FeaturesReady, not GradingComplete"):
        bus.publish("features-ready", EVENT)
    assert recorder.requests == []
