"""The morning watchdog (dead man's switch): diagnostics run on its own schedule, whatever happened upstream.

It reads what every owed date of the season has (``diagnostics/watchdog_progress``) and when each function
last succeeded (``shared/run_log.py``), asks the pure rules of ``shared.domain.watchdog`` what is overdue
as of the scheduler's publish time, and publishes one alert per cause. The alerts function keeps the memory.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from shared import run_log
from shared.clock import as_utc, today_et
from shared.domain.incidents import AlertKey
from shared.domain.season import season_start
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.watchdog import (
    DEPLOYMENT,
    WATCHDOG,
    DateProgress,
    WatchdogFinding,
    overdue_dates,
    silent_functions,
    watchdog_alert,
    watchdog_findings,
)
from shared.events import AlertRaised, ScheduledRun
from shared.ports import Warehouse
from shared.services.incidents import resolutions_due
from shared.sql import load_sql
from shared.step import StepContext, StepResult

SILENCE_LOOKBACK = timedelta(days=30)


def handle_watchdog(event: ScheduledRun, context: StepContext) -> StepResult:
    now = context.publish_time
    today = event.game_date or today_et(now)
    findings = check_silence(context.deps.warehouse, now, today)
    still_raised: set[str] = set()
    for finding in findings:
        alert = watchdog_alert(finding)
        context.publish("alerts", AlertRaised(**context.event_fields(finding.latest_date), **alert))
        still_raised.add(AlertKey.parse(alert["dedupe_key"]).scope)
    for resolution in resolutions_due(
        context.deps.warehouse, today, still_raised, (WATCHDOG,), (DEPLOYMENT,)
    ):
        context.publish("alerts", AlertRaised(**context.event_fields(today), **resolution))
    if not findings:
        return StepResult(today, 0, 0, f"watchdog {today}: every owed date has its predictions and grades")
    listed = ", ".join(f"{f.cause} {f.level} (latest {f.latest_date})" for f in findings)
    return StepResult(today, len(findings), 0, f"watchdog {today}: {listed}; {len(findings)} alert(s) raised")


def check_silence(
    warehouse: Warehouse, now: datetime, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[WatchdogFinding]:
    """What is overdue or silent at ``now`` in the season of ``today`` (rules: ``shared.domain.watchdog``)."""
    policy = thresholds.watchdog
    start = season_start(today)
    first = warehouse.query(
        load_sql("diagnostics/first_prediction_date"),
        {"season_start": start, "game_date": today, **production_systems_param()},
    )
    first_prediction_date: date | None = first[0]["first_date"] if first else None
    progress = [
        DateProgress(
            game_date=r["game_date"],
            games=int(r["games"]),
            first_tipoff=as_utc(r["first_tipoff"]),
            predictions=int(r["predictions"]),
            graded=int(r["graded"]),
        )
        for r in warehouse.query(
            load_sql("diagnostics/watchdog_progress"),
            {"season_start": start, "game_date": today, **production_systems_param()},
        )
    ]
    overdue = overdue_dates(progress, now, first_prediction_date, policy)
    silent = []
    if first_prediction_date is not None:
        owed = [p for p in progress if p.game_date >= first_prediction_date]
        if owed:
            # Silence is judged over the owed season, at most the last SILENCE_LOOKBACK (older runs are not
            # read: a function with no success in that window counts as silent since its start).
            watch_started = max(owed[0].first_tipoff, now - SILENCE_LOOKBACK)
            silent = silent_functions(
                run_log.last_success_per_function(warehouse, watch_started),
                [p.first_tipoff for p in owed],
                now,
                watch_started,
                policy,
            )
    return watchdog_findings(overdue, silent, today, policy)
