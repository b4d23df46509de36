"""Alerts: Block Kit payload, dedupe, cooldown, Slack failure => redelivery, the webhook URL kept secret."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.adapters.slack_alert_sink import SlackDeliveryError, SlackWebhookSink
from shared.bootstrap import Dependencies
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.events import AlertRaised
from shared.runtime import Outcome, handle_cloud_event
from shared.services.alerts import slack_payload
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for

D = date(2026, 3, 1)
SECRET_URL = "http://127.0.0.1:9/services/T000/B000/s3cr3t-w3bh00k-t0k3n"


class RecordingSink:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail = fail

    def send(self, payload):
        if self.fail:
            raise SlackDeliveryError("Slack webhook answered HTTP 503: unavailable")
        self.sent.append(dict(payload))


def _alert(game_date: date = D, level: str = "WARNING") -> AlertRaised:
    return AlertRaised(
        game_date=game_date,
        run_id="run-1",
        produced_by="diagnostics",
        produced_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        level=level,  # type: ignore[arg-type]
        kind="performance",
        system_id=fx.SYSTEM,
        dedupe_key=f"performance|{fx.SYSTEM}|MODEL_DRIFT|{level}",
        title=f"{fx.SYSTEM}: {level} (MODEL_DRIFT)",
        summary="model MAE 5.90 vs baseline 4.80 (+22.9%)",
        facts={"Drift score": "0.62", "Hit rate 7d": "44.0% (n=150)"},
        recommendations=("retrain the model on recent games",),
    )


def _deliver(deps, event: AlertRaised, message_id: str = "msg-1") -> Outcome:
    return handle_cloud_event("alerts", cloud_event_for("alerts", "alerts", event, message_id), deps)


def _log(deps: Dependencies) -> list[dict[str, Any]]:
    return deps.warehouse.query(
        "SELECT dedupe_key, game_date, status, last_sent_on FROM nba_orchestration.alert_log "
        "ORDER BY game_date"
    )


def test_payload_is_block_kit_with_title_facts_and_recommendations():
    payload = slack_payload(_alert())
    blocks = payload["blocks"]
    assert payload["text"] == f":warning: WARNING: {fx.SYSTEM}: WARNING (MODEL_DRIFT)"
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["type"] == "plain_text"
    assert blocks[1]["text"]["text"] == "model MAE 5.90 vs baseline 4.80 (+22.9%)"
    assert [f["text"] for f in blocks[2]["fields"]] == ["*Drift score*\n0.62", "*Hit rate 7d*\n44.0% (n=150)"]
    assert "• retrain the model on recent games" in blocks[3]["text"]["text"]
    assert blocks[-1]["type"] == "context"
    assert f"performance|{fx.SYSTEM}|MODEL_DRIFT|WARNING" in blocks[-1]["elements"][0]["text"]


def test_the_same_alert_is_sent_once(deps_with):
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    first = _deliver(deps, _alert(), "m1")
    again = _deliver(deps, _alert(), "m2")  # raised again for the same date (e.g. diagnostics redelivered)
    assert (first.status, again.status) == ("success", "skipped")
    assert len(sink.sent) == 1
    assert [(r["status"], r["game_date"]) for r in _log(deps)] == [("sent", D)]


def _info_alert(game_date: date = D) -> AlertRaised:
    return _alert(game_date).model_copy(
        update={
            "level": "INFO",
            "kind": "sharpness_status",
            "dedupe_key": f"sharpness_status|{fx.SYSTEM}|NORMAL->SHARP|INFO",
            "title": "Rolling sharpness status changed",
        }
    )


def test_cooldown_holds_back_info_repeats_then_lets_one_through(deps_with):
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    for offset in range(4):
        _deliver(deps, _info_alert(D + timedelta(days=offset)), f"m{offset}")
    # Sent on D; D+1 and D+2 are inside the 3-day cooldown; D+3 is 3 days later: sent again.
    assert len(sink.sent) == 2
    assert [(r["game_date"], r["status"], r["last_sent_on"]) for r in _log(deps)] == [
        (D, "sent", D),
        (D + timedelta(days=1), "suppressed", D),
        (D + timedelta(days=2), "suppressed", D),
        (D + timedelta(days=3), "sent", D + timedelta(days=3)),
    ]


def test_a_persistent_warning_is_one_incident_and_one_message(deps_with):
    """Issue 11 finding 8: a persistent state used to be re-sent after every 3-day cooldown (54 CRITICAL
    messages in one scenario). It now opens one incident, told once."""
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    for offset in range(30):
        _deliver(deps, _alert(D + timedelta(days=offset)), f"m{offset}")
    assert len(sink.sent) == 1
    assert "incident opened" in sink.sent[0]["text"]
    incidents = deps.warehouse.query(
        "SELECT scope, status, opened_on, last_seen_on, messages FROM nba_orchestration.alert_incidents"
    )
    assert incidents == [
        {
            "scope": f"performance|{fx.SYSTEM}",
            "status": "open",
            "opened_on": D,
            "last_seen_on": D + timedelta(days=29),
            "messages": 1,
        }
    ]


def test_escalation_new_cause_and_resolution_each_send_one_message(deps_with):
    from shared.services.incidents import resolutions_due

    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    sharp = _alert(D + timedelta(days=3), "CRITICAL").model_copy(
        update={"dedupe_key": f"performance|{fx.SYSTEM}|VEGAS_SHARP|CRITICAL"}
    )
    days = [_alert(D), _alert(D + timedelta(days=1), "CRITICAL"), _alert(D + timedelta(days=2)), sharp]
    for offset, event in enumerate(days):
        _deliver(deps, event, f"m{offset}")
    assert [p["text"].split(":", 2)[2].split(":")[0].strip() for p in sink.sent] == [
        "WARNING · incident opened",
        "CRITICAL · incident escalated",
        "CRITICAL · incident cause changed",
    ]
    quiet_day = D + timedelta(days=3 + DEFAULT_THRESHOLDS.incidents.resolve_quiet_days)
    assert (
        resolutions_due(deps.warehouse, quiet_day - timedelta(days=1), set(), ("performance",), {fx.SYSTEM})
        == []
    )
    [resolution] = resolutions_due(deps.warehouse, quiet_day, set(), ("performance",), {fx.SYSTEM})
    event = _alert(quiet_day).model_copy(update={**resolution, "facts": resolution["facts"]})
    _deliver(deps, event, "m-resolved")
    assert len(sink.sent) == 4 and "incident resolved" in sink.sent[-1]["text"]
    assert deps.warehouse.query("SELECT status, messages FROM nba_orchestration.alert_incidents") == [
        {"status": "resolved", "messages": 4}
    ]


def test_an_escalation_is_a_new_alert(deps_with):
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    _deliver(deps, _alert(D, "WARNING"), "m1")
    _deliver(deps, _alert(D + timedelta(days=1), "CRITICAL"), "m2")
    assert [p["text"].split(":")[1].strip() for p in sink.sent] == ["warning", "rotating_light"]


def test_slack_failure_raises_for_redelivery_and_is_not_marked_sent(deps_with):
    working = RecordingSink(fail=True)  # Slack is down, then recovers
    deps = deps_with(alert_sink=working)
    with pytest.raises(SlackDeliveryError):
        _deliver(deps, _alert())
    assert [r["status"] for r in _log(deps)] == ["send_failed"]
    run = deps.warehouse.query(
        "SELECT status FROM nba_orchestration.pipeline_runs_latest WHERE function_name = 'alerts'"
    )
    assert [r["status"] for r in run] == ["failed"]
    working.fail = False
    assert _deliver(deps, _alert()).status == "success"  # the redelivery goes out
    assert len(working.sent) == 1


def test_redelivered_event_leaves_every_table_unchanged(deps_with):
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    event = cloud_event_for("alerts", "alerts", _alert())
    handle_cloud_event("alerts", event, deps)
    first = fx.table_contents(deps)
    handle_cloud_event("alerts", event, deps)
    assert fx.table_contents(deps) == first
    assert len(sink.sent) == 1


class _Response:
    def __init__(self, status_code: int, body: str) -> None:
        self.status_code = status_code
        self.body = body


class _FakeClient:
    def __init__(self, response: _Response | None = None, error: Exception | None = None) -> None:
        self.response = response
        self.error = error
        self.bodies: list[dict[str, Any]] = []

    def send_dict(self, body):
        self.bodies.append(body)
        if self.error:
            raise self.error
        return self.response


def test_webhook_sink_sends_the_payload_and_accepts_2xx():
    client = _FakeClient(_Response(200, "ok"))
    SlackWebhookSink(SECRET_URL, client=client).send({"text": "hi"})
    assert client.bodies == [{"text": "hi"}]


def test_webhook_sink_raises_on_non_2xx_without_the_url():
    client = _FakeClient(_Response(404, f"no_service at {SECRET_URL}"))
    with pytest.raises(SlackDeliveryError) as caught:
        SlackWebhookSink(SECRET_URL, client=client).send({"text": "hi"})
    assert "404" in str(caught.value)
    assert SECRET_URL not in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_webhook_url_never_appears_in_logs_reprs_or_errors(deps_with, caplog):
    caplog.set_level(logging.DEBUG)
    sink = SlackWebhookSink(SECRET_URL, timeout_seconds=2)  # the real slack-sdk client; nothing listens on :9
    assert "s3cr3t" not in repr(sink)
    deps = deps_with(alert_sink=sink)
    with pytest.raises(SlackDeliveryError) as caught:
        _deliver(deps, _alert())
    assert "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "s3cr3t" not in caplog.text
    assert caplog.records  # the runtime did log the failure, just not the URL
    runs = deps.warehouse.query(
        "SELECT error FROM nba_orchestration.pipeline_runs_latest WHERE function_name = 'alerts'"
    )
    assert runs and "s3cr3t" not in (runs[0]["error"] or "")


class _AlertLogFailsOnce:
    """The embedded warehouse, except that the first write confirming an alert as sent fails (after the
    sink accepted it): the alert log write that used to come after the send."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def replace_rows(self, table, rows, key_columns):
        if (
            table == "nba_orchestration.alert_log"
            and not self.failed
            and any(r["status"] == "sent" for r in rows)
        ):
            self.failed = True
            raise ConnectionError("BigQuery insert timed out")
        return self._inner.replace_rows(table, rows, key_columns)


def test_a_failed_log_write_after_the_send_never_sends_twice(deps_with):
    sink = RecordingSink()
    inner = deps_with().warehouse
    warehouse = _AlertLogFailsOnce(inner)
    deps = deps_with(alert_sink=sink, warehouse=warehouse)
    event = cloud_event_for("alerts", "alerts", _alert())
    with pytest.raises(ConnectionError):
        handle_cloud_event("alerts", event, deps)
    assert len(sink.sent) == 1
    redelivered = handle_cloud_event("alerts", event, deps)  # Pub/Sub retries the same message
    assert len(sink.sent) == 1, "the retry sent the alert a second time"
    assert redelivered.status == "skipped"
    # The alert counts as sent for the cooldown: raised again the next day, it is held back.
    _deliver(deps, _alert(D + timedelta(days=1)), "m2")
    assert len(sink.sent) == 1
    assert [r["status"] for r in _log(deps)] == ["unconfirmed", "suppressed"]


@pytest.mark.parametrize(
    "echo",
    [
        "/services/T000/B000/s3cr3t-w3bh00k-t0k3n",  # the path alone, as an HTTP library echoes it
        "services/T000/B000/s3cr3t-w3bh00k-t0k3n",
        "%2Fservices%2FT000%2FB000%2Fs3cr3t-w3bh00k-t0k3n",  # percent-encoded
        "%2fservices%2fT000%2fB000%2fs3cr3t-w3bh00k-t0k3n",
        "token s3cr3t-w3bh00k-t0k3n rejected",  # one segment
    ],
)
def test_no_part_of_the_webhook_is_raised(echo):
    client = _FakeClient(error=RuntimeError(f"request failed: {echo}"))
    with pytest.raises(SlackDeliveryError) as caught:
        SlackWebhookSink(SECRET_URL, client=client).send({"text": "hi"})
    text = str(caught.value)
    assert "s3cr3t" not in text and "B000" not in text and "T000" not in text
    client = _FakeClient(_Response(400, f"invalid_token for {echo}"))
    with pytest.raises(SlackDeliveryError) as caught:
        SlackWebhookSink(SECRET_URL, client=client).send({"text": "hi"})
    assert "s3cr3t" not in str(caught.value) and "B000" not in str(caught.value)
