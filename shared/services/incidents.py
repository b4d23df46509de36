"""The incident memory (``nba_orchestration.alert_incidents``; rules in ``shared.domain.incidents``).

The alerts function writes it; diagnostics (and its morning watchdog) read it to publish resolutions.
Kept apart from ``shared.services.alerts`` so that diagnostics never imports the alert sink's user.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from shared.domain.incidents import Decision, Incident, is_quiet, resolution_alert
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.ports import Row, Warehouse
from shared.sql import load_sql
from shared.sql.combined import SqlRead

ALERT_INCIDENTS = "nba_orchestration.alert_incidents"


def open_incident(warehouse: Warehouse, scope: str) -> Incident | None:
    rows = open_incidents(warehouse, scope)
    return rows[-1] if rows else None


def open_incidents(warehouse: Warehouse, scope: str | None = None) -> list[Incident]:
    """Open incidents (of ``scope``, or all), oldest first."""
    return incidents_of(open_incidents_read(scope).run(warehouse))


def open_incidents_read(scope: str | None = None) -> SqlRead:
    return SqlRead("alerts/open_incidents", {"scope": scope})


def scope_incidents_read(scope: str, dedupe_key: str, game_date: date) -> SqlRead:
    """The scope's open incident, and the one the alert (``dedupe_key``, ``game_date``) claimed, with every
    column (``restore_incident`` writes a row back as it was)."""
    return SqlRead(
        "alerts/scope_incidents", {"scope": scope, "dedupe_key": dedupe_key, "game_date": game_date}
    )


def incidents_of(rows: Sequence[Row]) -> list[Incident]:
    return [
        Incident(
            incident_id=str(r["incident_id"]),
            scope=str(r["scope"]),
            opened_on=r["opened_on"],
            last_seen_on=r["last_seen_on"],
            peak_level=str(r["peak_level"]),
            cause=str(r["cause"]),
            causes_told=tuple(str(r["causes_told"]).split(",")),
            messages=int(r["messages"]),
            status=str(r["status"]),
            resolved_on=r["resolved_on"],
            claimed_key=r["claimed_key"],
            claimed_on=r["claimed_on"],
        )
        for r in rows
    ]


def resolutions_due(
    warehouse: Warehouse,
    today: date,
    still_raised: Collection[str],
    kinds: Collection[str],
    systems: Collection[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    incidents: Sequence[Incident] | None = None,
) -> list[dict[str, Any]]:
    """AlertRaised fields of the resolutions due on ``today``: open incidents of ``kinds`` and ``systems``
    whose scope is not in ``still_raised`` and has been quiet ``resolve_quiet_days``. ``incidents``: every
    open incident, when the caller has read them already (``open_incidents_read()``, one job less)."""
    due = []
    for incident in open_incidents(warehouse) if incidents is None else incidents:
        kind, system = incident.scope.split("|")[:2]
        if kind not in kinds or system not in systems or incident.scope in still_raised:
            continue
        if is_quiet(incident, today, thresholds.incidents):
            due.append(resolution_alert(incident, today))
    return due


def save_incident(warehouse: Warehouse, decision: Decision | None, updated_at: datetime) -> None:
    if decision is None or decision.incident is None:
        return
    i = decision.incident
    warehouse.replace_rows(ALERT_INCIDENTS, [incident_row(i, updated_at)], ("incident_id",))


def restore_incident(warehouse: Warehouse, saved: Incident, previous: Row | None) -> None:
    """Put ``saved``'s row back as ``previous`` (a row of ``scope_incidents_read``), or remove it when there
    was none (``saved`` opened it): one job."""
    if previous is not None:
        warehouse.replace_rows(ALERT_INCIDENTS, [dict(previous)], ("incident_id",))
    else:
        warehouse.execute(
            load_sql("alerts/delete_incident"),
            {"incident_id": saved.incident_id, "opened_on": saved.opened_on},
        )


def incident_row(i: Incident, updated_at: datetime) -> dict[str, Any]:
    return {
        "incident_id": i.incident_id,
        "scope": i.scope,
        "status": i.status,
        "opened_on": i.opened_on,
        "last_seen_on": i.last_seen_on,
        "resolved_on": i.resolved_on,
        "peak_level": i.peak_level,
        "cause": i.cause,
        "causes_told": ",".join(i.causes_told),
        "messages": i.messages,
        "updated_at": updated_at,
        "claimed_key": i.claimed_key,
        "claimed_on": i.claimed_on,
    }
