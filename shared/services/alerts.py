"""Alerts: deliver an AlertRaised to the alert sink (Slack, or the log) at most once per cooldown.

The alert log (``nba_orchestration.alert_log``, key (dedupe_key, game_date)) is the memory: an alert whose
dedupe key was sent within the cooldown (``thresholds.alerts.cooldown_days``, judged on game dates so a replay
behaves like the live season) is recorded as ``suppressed`` and not sent. A ``sent`` row is written only after
the sink accepted the message; when the sink raises, nothing is recorded and the error propagates so Pub/Sub
redelivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.domain.alert_rules import should_send
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.events import AlertRaised
from shared.ports import AlertSink, Warehouse
from shared.sql import load_sql
from shared.step import StepContext, StepResult

ALERT_LOG = "nba_orchestration.alert_log"
ALERT_LOG_KEY = ("dedupe_key", "game_date")

_LEVEL_EMOJI = {"CRITICAL": ":rotating_light:", "WARNING": ":warning:", "INFO": ":information_source:"}


@dataclass(frozen=True)
class AlertDelivery:
    status: str  # sent | suppressed | duplicate
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
    """Send ``event`` unless its dedupe key was already handled for this date or sent within the cooldown."""
    history = warehouse.query(
        load_sql("alerts/alert_history"),
        {
            "dedupe_key": event.dedupe_key,
            "game_date": event.game_date,
            "cooldown_days": thresholds.alerts.cooldown_days,
        },
    )
    last_sent_on: date | None = history[0]["last_sent_on"] if history else None
    if history and int(history[0]["rows_for_date"] or 0) > 0:
        return AlertDelivery("duplicate", f"alert {event.dedupe_key} already handled for {event.game_date}")
    row = _log_row(event, recorded_at, event_id, run_id)
    if not should_send(last_sent_on, event.game_date, thresholds.alerts.cooldown_days):
        row.update(status="suppressed", last_sent_on=last_sent_on)
        warehouse.insert_missing_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
        return AlertDelivery(
            "suppressed",
            f"alert {event.dedupe_key} suppressed: last sent {last_sent_on}, "
            f"cooldown {thresholds.alerts.cooldown_days} days",
        )
    sink.send(slack_payload(event))  # raises on failure: nothing recorded, Pub/Sub redelivers
    row.update(status="sent", last_sent_on=event.game_date)
    warehouse.replace_rows(ALERT_LOG, [row], ALERT_LOG_KEY)
    return AlertDelivery("sent", f"alert {event.dedupe_key} sent ({event.level})")


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
        "event_id": event_id,
        "run_id": run_id,
        "recorded_at": recorded_at,
    }


def _plain(text: str, limit: int) -> str:
    # Block Kit rejects over-long texts; truncate rather than lose the whole alert.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(event: AlertRaised) -> dict[str, Any]:
    """Slack Block Kit message for one alert: header, summary, facts, recommendations, context."""
    emoji = _LEVEL_EMOJI.get(event.level, "")
    headline = f"{emoji} {event.level}: {event.title}".strip()
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
