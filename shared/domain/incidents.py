"""Incidents, not repeats: a WARNING/CRITICAL condition opens an incident and is told once.

One incident per scope (``incident_scope``: the kind and whose problem it is: a system, or the deployment;
the watchdog's causes are separate scopes, since they can hold at the same time). While it is open:
  opened          the first WARNING/CRITICAL of the scope: one message with its cause and evidence;
  escalated       a level above the highest told so far: one message;
  cause changed   a root cause not told yet in this incident: one message;
  ongoing         anything else (the same condition again, a milder level, a cause already told): no message
                  (no daily digest either: the incident is in ``alert_incidents`` for whoever looks);
  resolved        the condition has been absent ``resolve_quiet_days`` (diagnostics says so): one message.
Every incident is capped at ``max_messages`` messages, the resolution included: one message is kept for it,
so a flapping root cause cannot page more than that. Pure rules: the alerts service keeps the state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from shared.domain.alert_rules import alert_dedupe_key
from shared.domain.diagnosis import AlertLevel
from shared.domain.thresholds import DEFAULT_THRESHOLDS, IncidentPolicy

RESOLVED = "RESOLVED"  # the level part of a resolution's dedupe key
_SEPARATE_CAUSES = ("watchdog",)  # kinds whose causes are separate incidents


class Transition(StrEnum):
    OPENED = "opened"
    ESCALATED = "escalated"
    CAUSE_CHANGED = "cause_changed"
    ONGOING = "ongoing"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Incident:
    incident_id: str
    scope: str
    opened_on: date
    last_seen_on: date
    peak_level: str
    cause: str
    causes_told: tuple[str, ...]
    messages: int
    status: str = "open"  # open | resolved
    resolved_on: date | None = None
    # The alert (dedupe key, game date) that claimed the latest message (the alerts service saves the claim
    # before sending); carried along by every later decision, so its redelivery knows it was claimed.
    claimed_key: str | None = None
    claimed_on: date | None = None

    def claimed_by(self, dedupe_key: str, game_date: date) -> bool:
        return (self.claimed_key, self.claimed_on) == (dedupe_key, game_date)


@dataclass(frozen=True)
class Decision:
    transition: Transition
    send: bool
    incident: Incident | None  # the state after the decision (None: nothing to keep)


@dataclass(frozen=True)
class AlertKey:
    kind: str
    system: str
    cause: str
    level: str

    @classmethod
    def parse(cls, dedupe_key: str) -> AlertKey:
        kind, system, cause, level = dedupe_key.split("|")
        return cls(kind, system, cause, level)

    @property
    def scope(self) -> str:
        return incident_scope(self.kind, self.system, self.cause)

    @property
    def is_resolution(self) -> bool:
        return self.level == RESOLVED

    @property
    def is_incident(self) -> bool:
        return self.is_resolution or self.level in (AlertLevel.WARNING, AlertLevel.CRITICAL)


def incident_scope(kind: str, system: str, cause: str) -> str:
    return f"{kind}|{system}|{cause}" if kind in _SEPARATE_CAUSES else f"{kind}|{system}"


def decide(
    incident: Incident | None,
    key: AlertKey,
    game_date: date,
    policy: IncidentPolicy = DEFAULT_THRESHOLDS.incidents,
) -> Decision:
    """What one WARNING/CRITICAL alert (or resolution) about ``game_date`` does to the scope's incident."""
    if key.is_resolution:
        if incident is None:
            return Decision(Transition.ONGOING, False, None)  # nothing open: nothing to resolve
        resolved = replace(incident, status="resolved", resolved_on=game_date, messages=incident.messages + 1)
        return Decision(Transition.RESOLVED, True, resolved)
    if incident is None:
        opened = Incident(
            incident_id=f"{key.scope}|{game_date.isoformat()}",
            scope=key.scope,
            opened_on=game_date,
            last_seen_on=game_date,
            peak_level=key.level,
            cause=key.cause,
            causes_told=(key.cause,),
            messages=1,
        )
        return Decision(Transition.OPENED, True, opened)
    seen = replace(incident, last_seen_on=max(incident.last_seen_on, game_date), cause=key.cause)
    if AlertLevel(key.level).severity > AlertLevel(incident.peak_level).severity:
        transition = Transition.ESCALATED
        seen = replace(seen, peak_level=key.level)
    elif key.cause not in incident.causes_told:
        transition = Transition.CAUSE_CHANGED
    else:
        return Decision(Transition.ONGOING, False, seen)
    seen = replace(seen, causes_told=tuple(dict.fromkeys((*incident.causes_told, key.cause))))
    # One message is kept for the resolution.
    if incident.messages + 1 > policy.max_messages - 1:
        return Decision(transition, False, seen)
    return Decision(transition, True, replace(seen, messages=incident.messages + 1))


def resolution_alert(incident: Incident, today: date) -> dict[str, Any]:
    """AlertRaised fields (without the envelope) saying ``incident``'s condition is gone."""
    kind, system = incident.scope.split("|")[:2]
    return {
        "level": str(AlertLevel.OK),
        "kind": kind,
        "system_id": system,
        "dedupe_key": alert_dedupe_key(kind, system, incident.cause, RESOLVED),
        "title": f"{system}: resolved ({incident.cause}), open since {incident.opened_on}",
        "summary": f"{incident.scope}: not raised since {incident.last_seen_on} "
        f"(peak {incident.peak_level}; causes {', '.join(incident.causes_told)}).",
        "facts": {"Incident": incident.incident_id, "Messages": str(incident.messages + 1)},
        "recommendations": (),
    }


def is_quiet(incident: Incident, today: date, policy: IncidentPolicy = DEFAULT_THRESHOLDS.incidents) -> bool:
    """An open incident whose condition was last seen ``resolve_quiet_days`` or more before ``today``."""
    return incident.status == "open" and (today - incident.last_seen_on).days >= policy.resolve_quiet_days
