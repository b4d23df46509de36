"""The alerts function within the cost model's 4 BigQuery jobs per invocation on every normal path (issue 13):
sent, suppressed by the cooldown, suppressed by the incident, duplicate, unconfirmed redelivery; an INFO
alert, an incident's alert (WARNING/CRITICAL) and a resolution alike. The jobs are the ones the embedded
warehouse counts for the function (the BigQuery adapter inserts exactly those: test_bigquery_job_count.py).

Also the incident claim (shared/services/alerts.py): an incident's alert claims its message by saving the
incident's new state before the send, so a crash after that claim never re-sends, and a failed send leaves the
incident as it was, so the retry sends exactly once and the incident counts that message once.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from courtside.date_cost import STATEMENTS_PER_INVOCATION, counts_of
from shared.adapters.slack_alert_sink import SlackDeliveryError
from shared.bootstrap import Dependencies
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.events import AlertRaised
from shared.runtime import Outcome, handle_cloud_event
from shared.services.incidents import ALERT_INCIDENTS, resolutions_due
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for
from tests.service.test_alerts_service import RecordingSink, _alert, _info_alert, _log

D = date(2026, 3, 1)


def _jobs(deps: Dependencies, event: AlertRaised, message_id: str) -> tuple[Outcome, int]:
    """The delivery's outcome and the warehouse statements the alerts function ran for it."""
    counts = counts_of(deps)
    counts.reset()
    outcome = handle_cloud_event("alerts", cloud_event_for("alerts", "alerts", event, message_id), deps)
    jobs = sum(n for (function, _), n in counts.snapshot().items() if function == "alerts")
    return outcome, jobs


def _incidents(deps: Dependencies) -> list[dict[str, Any]]:
    return deps.warehouse.query(
        f"SELECT incident_id, status, peak_level, messages, claimed_key, claimed_on FROM {ALERT_INCIDENTS} "
        "ORDER BY opened_on"
    )


def _resolution(deps: Dependencies, quiet_day: date) -> AlertRaised:
    [fields] = resolutions_due(deps.warehouse, quiet_day, set(), ("performance",), {fx.SYSTEM})
    return _alert(quiet_day).model_copy(update=fields)


class _CrashesAfterTheSend:
    """The embedded warehouse, except that the first write after the sink accepted a message fails (the
    function dies between the send and its confirmation)."""

    def __init__(self, inner: Any, sink: RecordingSink) -> None:
        self._inner = inner
        self._sink = sink
        self._sent_before: int | None = None  # armed: the messages sent before the delivery that crashes
        self.crashed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def arm(self) -> None:
        self._sent_before = len(self._sink.sent)

    def replace_rows(self, table, rows, key_columns, delete_scope=None):
        armed = self._sent_before is not None and not self.crashed
        if armed and len(self._sink.sent) > (self._sent_before or 0):
            self.crashed = True
            raise ConnectionError("the instance was shut down")
        return self._inner.replace_rows(table, rows, key_columns, delete_scope)


def test_every_normal_path_is_within_four_jobs(deps_with):
    """Reproduction: an incident's alert cost 6 jobs when sent and 5 when suppressed (a read of the history,
    one of the open incident, the claim, the incident, the confirmation, the run record)."""
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    paths = {
        "info sent": _jobs(deps, _info_alert(D), "i1"),
        "info suppressed (cooldown)": _jobs(deps, _info_alert(D + timedelta(days=1)), "i2"),
        "info duplicate": _jobs(deps, _info_alert(D), "i1"),
        "incident opened, sent": _jobs(deps, _alert(D), "w1"),
        "incident duplicate": _jobs(deps, _alert(D), "w1"),
        "incident escalated, sent": _jobs(deps, _alert(D + timedelta(days=1), "CRITICAL"), "c1"),
        "incident ongoing, suppressed": _jobs(deps, _alert(D + timedelta(days=2)), "w2"),
    }
    quiet_day = D + timedelta(days=2 + DEFAULT_THRESHOLDS.incidents.resolve_quiet_days)
    paths["resolution, sent"] = _jobs(deps, _resolution(deps, quiet_day), "r1")
    paths["resolution, nothing open"] = _jobs(deps, _resolution_again(quiet_day), "r2")
    statuses = {name: outcome.status for name, (outcome, _) in paths.items()}
    assert statuses == {
        "info sent": "success",
        "info suppressed (cooldown)": "skipped",
        "info duplicate": "skipped",
        "incident opened, sent": "success",
        "incident duplicate": "skipped",
        "incident escalated, sent": "success",
        "incident ongoing, suppressed": "skipped",
        "resolution, sent": "success",
        "resolution, nothing open": "skipped",
    }
    assert len(sink.sent) == 4
    over = {name: jobs for name, (_, jobs) in paths.items() if jobs > STATEMENTS_PER_INVOCATION}
    assert over == {}, f"paths over {STATEMENTS_PER_INVOCATION} jobs: {over}"


def _resolution_again(quiet_day: date) -> AlertRaised:
    """The same resolution raised for the next date, once the incident is resolved: nothing to resolve."""
    event = _alert(quiet_day + timedelta(days=1))
    return event.model_copy(
        update={"dedupe_key": f"performance|{fx.SYSTEM}|MODEL_DRIFT|RESOLVED", "level": "OK"}
    )


@pytest.mark.parametrize("kind", ["info", "incident opened", "incident escalated", "resolution"])
def test_a_crash_after_the_send_is_unconfirmed_within_four_jobs_and_never_resent(deps_with, kind):
    sink = RecordingSink()
    inner = deps_with().warehouse
    warehouse = _CrashesAfterTheSend(inner, sink)
    deps = deps_with(alert_sink=sink, warehouse=warehouse)
    quiet_day = D + timedelta(days=1 + DEFAULT_THRESHOLDS.incidents.resolve_quiet_days)
    if kind == "info":
        event = _info_alert(D)
    elif kind == "incident opened":
        event = _alert(D)
    else:
        _jobs(deps, _alert(D), "w0")
        _jobs(deps, _alert(D + timedelta(days=1)), "w1")  # ongoing: the incident stays quiet from D+1
        if kind == "incident escalated":
            event = _alert(D + timedelta(days=2), "CRITICAL")
        else:
            event = _resolution(deps, quiet_day)
    before = len(sink.sent)
    incidents_before_crash = _incidents(deps)
    warehouse.arm()
    with pytest.raises(ConnectionError):
        handle_cloud_event("alerts", cloud_event_for("alerts", "alerts", event, "m1"), deps)
    assert len(sink.sent) == before + 1
    incidents_after_crash = _incidents(deps)
    outcome, jobs = _jobs(deps, event, "m1")  # Pub/Sub redelivers the same message
    assert len(sink.sent) == before + 1, "the redelivery sent the alert a second time"
    assert outcome.status == "skipped" and jobs <= STATEMENTS_PER_INVOCATION, (outcome, jobs)
    assert [r["status"] for r in _log(deps) if r["game_date"] == event.game_date][-1:] == ["unconfirmed"]
    # The message counts once, the incident keeps what the claim saved; a further redelivery: a duplicate.
    assert _incidents(deps) == incidents_after_crash
    if kind != "info":
        assert incidents_after_crash != incidents_before_crash
    outcome, jobs = _jobs(deps, event, "m1")
    assert (outcome.status, len(sink.sent)) == ("skipped", before + 1) and jobs <= 2


def test_a_failed_send_leaves_the_incident_as_it_was_and_the_retry_sends_once(deps_with):
    sink = RecordingSink()
    deps = deps_with(alert_sink=sink)
    _jobs(deps, _alert(D), "w0")
    before = _incidents(deps)
    sink.fail = True
    escalation = _alert(D + timedelta(days=1), "CRITICAL")
    with pytest.raises(SlackDeliveryError):
        handle_cloud_event("alerts", cloud_event_for("alerts", "alerts", escalation, "c1"), deps)
    assert _incidents(deps) == before  # the retry decides on the incident as it was
    assert [r["status"] for r in _log(deps)] == ["sent", "send_failed"]
    sink.fail = False
    outcome, jobs = _jobs(deps, escalation, "c1")
    assert outcome.status == "success" and jobs <= STATEMENTS_PER_INVOCATION
    assert len(sink.sent) == 2 and "incident escalated" in sink.sent[-1]["text"]
    [incident] = _incidents(deps)
    assert (incident["peak_level"], incident["messages"]) == ("CRITICAL", 2)
    assert [r["status"] for r in _log(deps)] == ["sent", "sent"]


def test_a_failed_send_of_an_opening_leaves_no_incident_and_the_retry_opens_it_once(deps_with):
    sink = RecordingSink(fail=True)
    deps = deps_with(alert_sink=sink)
    with pytest.raises(SlackDeliveryError):
        handle_cloud_event("alerts", cloud_event_for("alerts", "alerts", _alert(D), "w1"), deps)
    assert _incidents(deps) == []
    sink.fail = False
    assert _jobs(deps, _alert(D), "w1")[0].status == "success"
    assert len(sink.sent) == 1 and "incident opened" in sink.sent[0]["text"]
    assert [(r["status"], r["messages"]) for r in _incidents(deps)] == [("open", 1)]
