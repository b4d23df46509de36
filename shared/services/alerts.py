"""Alerts: deliver an AlertRaised to the alert sink (Slack, or the log): incidents, not repeats.

A WARNING/CRITICAL alert, or a resolution, belongs to its scope's incident (``alert_incidents``; rules in
``shared.domain.incidents``): it is sent only when it opens, escalates, changes the root cause of or resolves
the incident, at most ``thresholds.incidents.max_messages`` times per incident. Diagnostics publishes the
resolutions (``shared.services.incidents.resolutions_due``). INFO alerts keep the cooldown.

The alert log (``nba_orchestration.alert_log``, key (dedupe_key, game_date)) is the memory of every alert
handled (a redelivery is a duplicate); an INFO alert whose dedupe key was sent within the cooldown
(``thresholds.alerts.cooldown_days``, judged on game dates so a replay behaves like the live season) is
recorded as ``suppressed`` and not sent, as is an incident's alert that tells nothing new.

Claim before send, so a retry never sends twice. An INFO alert's claim is its alert log row, written as
``sending``; then the sink is called; then the row becomes ``sent``. An incident's alert claims on its
incident instead: the incident's new state is saved first, marked ``claimed_key``/``claimed_on`` with the
alert's dedupe key and date, then the sink is called, then the alert log row is written ``sent`` (one job
less: with the one read of the history and the scope's incidents, every path costs at most 4 jobs with the
run record; tests/service/test_alerts_jobs.py). When the sink raises, the claim is undone (the incident's row
put back as it was read, or deleted if this alert opened it: the retry decides on the incident as it was),
the row becomes ``send_failed`` and the error propagates so Pub/Sub redelivers and the retry sends (the
undo is a fifth job, on that failure path only). A redelivery that finds its claim (``sending``, or its
incident claimed by it with no confirmation) cannot know whether the earlier attempt reached Slack (it failed
between the send and the confirmation): it sends nothing and marks the row ``unconfirmed`` (logged as a
warning); it counts as sent for the cooldown, and the incident keeps the message it claimed. If undoing a
claim itself fails, the retry finds the claim and records ``unconfirmed``: never sent twice, at worst unsent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from shared.domain.alert_rules import should_send
from shared.domain.incidents import AlertKey, Transition, decide
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.events import AlertRaised
from shared.ports import AlertSink, Row, Warehouse
from shared.run_log import bounded
from shared.services.incidents import incidents_of, restore_incident, save_incident, scope_incidents_read
from shared.sql.combined import SqlRead, read_combined
from shared.step import StepContext, StepResult

ALERT_LOG = "nba_orchestration.alert_log"
ALERT_LOG_KEY = ("dedupe_key", "game_date")
SENDING = "sending"  # claimed, the send in progress (or its outcome unknown)
SEND_FAILED = "send_failed"  # the sink refused it: the redelivery sends again
UNCONFIRMED = "unconfirmed"  # a redelivery found it claimed but not confirmed: never re-sent

log = logging.getLogger("courtside.alerts")

_LEVEL_EMOJI = {
    "CRITICAL": ":rotating_light:",
    "WARNING": ":warning:",
    "INFO": ":information_source:",
    "OK": ":white_check_mark:",
}


@dataclass(frozen=True)
class AlertDelivery:
    status: str  # sent | suppressed | duplicate | unconfirmed
    detail: str


def handle(event: AlertRaised, context: StepContext) -> StepResult:
    delivery = deliver_alert(
        context.deps.warehouse,
        context.deps.alert_sink,
        event,
        recorded_at=context.publish_time,
        event_id=context.event_id,
        run_id=context.run_id,
    )
    if delivery.status == "sent":
        return StepResult(event.game_date, 1, 1, delivery.detail)
    return StepResult(
        event.game_date, 1, 1 if delivery.status == "suppressed" else 0, delivery.detail, status="skipped"
    )


def deliver_alert(
    warehouse: Warehouse,
    sink: AlertSink,
    event: AlertRaised,
    recorded_at: datetime,
    event_id: str | None = None,
    run_id: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> AlertDelivery:
    """Send ``event`` unless its dedupe key was already handled for this date; a WARNING/CRITICAL alert or a
    resolution goes through its scope's incident (``shared.domain.incidents``), anything else the cooldown."""
    key = _incident_key(event)
    history, incident_rows = _history_and_incidents(warehouse, event, key, thresholds)
    last_sent_on: date | None = history[0]["last_sent_on"] if history else None
    status_for_date = history[0]["status_for_date"] if history else None
    row = _log_row(event, recorded_at, event_id, run_id)
    open_rows = [r for r in incident_rows if r["status"] == "open"]
    previous = open_rows[-1] if open_rows else None  # the incident row as it is before this alert
    decision = None
    if key is not None:
        open_incident = incidents_of([previous])[0] if previous else None
        decision = decide(open_incident, key, event.game_date, thresholds.incidents)
    claimed = any(i.claimed_by(event.dedupe_key, event.game_date) for i in incidents_of(incident_rows))
    if status_for_date == SENDING or (claimed and status_for_date in (None, SEND_FAILED)):
        # An earlier attempt claimed this alert (in the alert log, or on its incident) and failed before
        # confirming it: it may have reached Slack.
        log.warning(
            "alert %s for %s may have been sent already: not re-sent", event.dedupe_key, event.game_date
        )
        if not claimed:  # claimed in the alert log by an earlier version, which saved the incident after
            save_incident(warehouse, decision, recorded_at)
        row.update(status=UNCONFIRMED, last_sent_on=event.game_date)
        warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
        return AlertDelivery(
            "unconfirmed", f"alert {event.dedupe_key} may have been sent already: not re-sent"
        )
    if status_for_date is not None and status_for_date != SEND_FAILED:
        return AlertDelivery("duplicate", f"alert {event.dedupe_key} already handled for {event.game_date}")
    if decision is not None and not decision.send:
        save_incident(warehouse, decision, recorded_at)
        row.update(status="suppressed", last_sent_on=last_sent_on)
        warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
        return AlertDelivery(
            "suppressed", f"alert {event.dedupe_key}: incident {decision.transition}, not re-sent"
        )
    if decision is None and not should_send(last_sent_on, event.game_date, thresholds.alerts.cooldown_days):
        row.update(status="suppressed", last_sent_on=last_sent_on)
        warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
        return AlertDelivery(
            "suppressed",
            f"alert {event.dedupe_key} suppressed: last sent {last_sent_on}, "
            f"cooldown {thresholds.alerts.cooldown_days} days",
        )
    if decision is None:
        row.update(status=SENDING, last_sent_on=event.game_date)
        warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)  # the claim: written before anything is sent
        undo_claim = None
    else:
        assert decision.incident is not None  # a decision to send always keeps its incident
        incident = replace(decision.incident, claimed_key=event.dedupe_key, claimed_on=event.game_date)
        save_incident(warehouse, replace(decision, incident=incident), recorded_at)  # the claim
        row.update(last_sent_on=event.game_date)
        undo_claim = incident
    try:
        sink.send(slack_payload(event, decision.transition if decision else None))
    except Exception:
        if undo_claim is not None:  # first: the retry decides on the incident as it was before this alert
            restore_incident(warehouse, undo_claim, previous)
        row.update(status=SEND_FAILED, last_sent_on=last_sent_on)
        warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
        raise  # Pub/Sub redelivers and the retry sends
    row.update(status="sent")
    warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)  # the confirmation
    told = f" (incident {decision.transition})" if decision else ""
    return AlertDelivery("sent", f"alert {event.dedupe_key} sent ({event.level}){told}")


def _history_and_incidents(
    warehouse: Warehouse, event: AlertRaised, key: AlertKey | None, thresholds: Thresholds
) -> tuple[list[Row], list[Row]]:
    """The alert log's history of the alert (``alerts/alert_history``) and, for an incident's alert, its
    scope's incidents (``scope_incidents_read``): one job either way."""
    history = SqlRead(
        "alerts/alert_history",
        {
            "dedupe_key": event.dedupe_key,
            "game_date": event.game_date,
            "cooldown_days": thresholds.alerts.cooldown_days,
        },
    )
    if key is None:
        return history.run(warehouse), []
    incidents = scope_incidents_read(key.scope, event.dedupe_key, event.game_date)
    read = read_combined(warehouse, {"history": history, "incidents": incidents})
    return read["history"], read["incidents"]


def _incident_key(event: AlertRaised) -> AlertKey | None:
    """The key of a WARNING/CRITICAL alert or a resolution (it goes through its scope's incident); None for
    anything else."""
    try:
        key = AlertKey.parse(event.dedupe_key)
    except ValueError:
        return None
    return key if key.is_incident else None


def _log_row(
    event: AlertRaised, recorded_at: datetime, event_id: str | None, run_id: str | None
) -> dict[str, Any]:
    return {
        "dedupe_key": event.dedupe_key,
        "game_date": event.game_date,
        "level": event.level,
        "kind": event.kind,
        "system_id": event.system_id,
        "title": event.title,
        "event_id": bounded(event_id) if event_id is not None else None,  # from the message: bounded
        "run_id": run_id,
        "recorded_at": recorded_at,
    }


def _plain(text: str, limit: int) -> str:
    # Block Kit rejects over-long texts; truncate rather than lose the whole alert.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(event: AlertRaised, transition: Transition | None = None) -> dict[str, Any]:
    """Slack Block Kit message for one alert: header, summary, facts, recommendations, context; an incident's
    message says what happened to it (opened, escalated, cause changed, resolved)."""
    emoji = _LEVEL_EMOJI.get(event.level, "")
    told = f" · incident {transition.replace('_', ' ')}" if transition else ""
    headline = f"{emoji} {event.level}{told}: {event.title}".strip()
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _plain(headline, 150), "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _plain(event.summary or event.title, 3000)}},
    ]
    if event.facts:
        fields = [
            {"type": "mrkdwn", "text": _plain(f"*{name}*\n{value}", 2000)}
            for name, value in list(event.facts.items())[:10]  # Slack allows at most 10 fields per section
        ]
        blocks.append({"type": "section", "fields": fields})
    if event.recommendations:
        listed = "\n".join(f"• {item}" for item in event.recommendations)
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _plain(f"*Recommendations*\n{listed}", 3000)},
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _plain(
                        f"system `{event.system_id}` · game date {event.game_date.isoformat()} · "
                        f"kind `{event.kind}` · key `{event.dedupe_key}` · run `{event.run_id}`",
                        3000,
                    ),
                }
            ],
        }
    )
    return {"text": _plain(headline, 3000), "blocks": blocks}
