"""Incidents as pure rules on hand-made day sequences: one message per opening, escalation, new cause and
resolution; nothing while it stays the same; never more than the cap."""

from __future__ import annotations

from datetime import date, timedelta

from shared.domain.incidents import AlertKey, Incident, Transition, decide, incident_scope, is_quiet
from shared.domain.thresholds import DEFAULT_THRESHOLDS

D = date(2026, 1, 10)
POLICY = DEFAULT_THRESHOLDS.incidents


def key(cause: str, level: str, kind: str = "performance", system: str = "m1") -> AlertKey:
    return AlertKey(kind, system, cause, level)


def run(days: list[AlertKey]) -> tuple[list[Transition], Incident | None]:
    """Feed one alert per day; returns the transitions that sent a message, and the final incident."""
    incident: Incident | None = None
    sent: list[Transition] = []
    for offset, alert in enumerate(days):
        decision = decide(incident, alert, D + timedelta(days=offset))
        if decision.send:
            sent.append(decision.transition)
        incident = decision.incident
    return sent, incident


def test_a_persistent_condition_sends_one_message_for_the_whole_season() -> None:
    sent, incident = run([key("VEGAS_SHARP", "CRITICAL")] * 150)
    assert sent == [Transition.OPENED]
    assert (
        incident is not None and incident.messages == 1 and incident.last_seen_on == D + timedelta(days=149)
    )


def test_escalation_and_a_new_cause_each_send_one_message_and_de_escalation_none() -> None:
    days = [
        key("MODEL_DRIFT", "WARNING"),
        key("MODEL_DRIFT", "WARNING"),
        key("MODEL_DRIFT", "CRITICAL"),  # escalated
        key("MODEL_DRIFT", "WARNING"),  # milder: nothing
        key("MODEL_DRIFT", "CRITICAL"),  # back to the peak already told: nothing
        key("VEGAS_SHARP", "CRITICAL"),  # the cause changed
    ]
    sent, incident = run(days)
    assert sent == [Transition.OPENED, Transition.ESCALATED, Transition.CAUSE_CHANGED]
    assert incident is not None and incident.cause == "VEGAS_SHARP" and incident.peak_level == "CRITICAL"


def test_a_flapping_cause_is_told_once_per_cause_and_capped() -> None:
    causes = ["MODEL_DRIFT", "VEGAS_SHARP", "NORMAL_VARIANCE", "MODEL_DRIFT", "VEGAS_SHARP", "X", "Y", "Z"]
    sent, incident = run([key(c, "WARNING") for c in causes] * 10)
    assert len(sent) == POLICY.max_messages - 1  # one is kept for the resolution
    assert incident is not None
    resolution = decide(incident, key("Z", "RESOLVED"), D + timedelta(days=100))
    assert resolution.send and resolution.transition == Transition.RESOLVED
    assert resolution.incident is not None and resolution.incident.messages == POLICY.max_messages


def test_resolution_sends_one_message_and_a_recurrence_opens_a_new_incident() -> None:
    _, incident = run([key("VEGAS_SHARP", "WARNING")] * 3)
    assert incident is not None
    last_seen = incident.last_seen_on
    assert not is_quiet(incident, last_seen + timedelta(days=POLICY.resolve_quiet_days - 1))
    assert is_quiet(incident, last_seen + timedelta(days=POLICY.resolve_quiet_days))
    resolved = decide(incident, key("VEGAS_SHARP", "RESOLVED"), last_seen + timedelta(days=3))
    assert (resolved.transition, resolved.send) == (Transition.RESOLVED, True)
    assert resolved.incident is not None and resolved.incident.status == "resolved"
    again = decide(None, key("VEGAS_SHARP", "WARNING"), last_seen + timedelta(days=10))
    assert (again.transition, again.send) == (Transition.OPENED, True)
    assert decide(None, key("VEGAS_SHARP", "RESOLVED"), D).send is False  # nothing open to resolve


def test_scopes_are_per_system_and_the_watchdog_keeps_its_causes_apart() -> None:
    assert AlertKey.parse("performance|m1|VEGAS_SHARP|WARNING").scope == "performance|m1"
    assert incident_scope("performance", "m1", "MODEL_DRIFT") == incident_scope("performance", "m1", "X")
    assert incident_scope("watchdog", "all-systems", "GRADES_MISSING") != incident_scope(
        "watchdog", "all-systems", "PREDICTIONS_MISSING"
    )
    assert AlertKey.parse("sharpness_status|m1|a->b|INFO").is_incident is False
