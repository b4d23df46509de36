"""The dead man's switch: silence is an alert.

Diagnostics normally runs when grading completes, so when nothing is graded (no champion, prediction broken
for days) it would never run and nothing would say so. The morning watchdog runs on its own schedule, whatever
happened upstream, and judges, as of the moment it runs (``now``):
  predictions   a date with games whose first tip-off has passed and that has no prediction;
  grades        a date with games and predictions whose grades were due (``grades_due_hour_et`` US Eastern
                the next day) and that has nothing graded;
  silence       a watched function whose last successful run is more than ``function_silence_hours`` ago
                while games were scheduled in that time.
One overdue date is WARNING, ``critical_overdue_dates`` of them CRITICAL; silence is WARNING, CRITICAL after
``function_silence_critical_hours``. Dates before the season's first prediction are owed nothing (the models
need history first), as in ``diagnostic_signals.season_completeness``. The pre-game deadline is the
reconciler's (``reconciliation.pregame_deadline_passed``): what it can no longer re-drive, this reports.
No I/O and no clock: ``now`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import eastern_datetime
from shared.domain.alert_rules import alert_dedupe_key
from shared.domain.diagnosis import AlertLevel
from shared.domain.reconciliation import pregame_deadline_passed
from shared.domain.thresholds import DEFAULT_THRESHOLDS, WatchdogPolicy

WATCHDOG = "watchdog"  # the alert kind
DEPLOYMENT = "all-systems"  # the watchdog's alerts concern the deployment, not a model
PREDICTIONS_MISSING = "PREDICTIONS_MISSING"
GRADES_MISSING = "GRADES_MISSING"
FUNCTION_SILENT = "FUNCTION_SILENT"


@dataclass(frozen=True)
class DateProgress:
    """What one date with (non-postponed) games has so far."""

    game_date: date
    games: int
    first_tipoff: datetime  # aware
    predictions: int
    graded: int


@dataclass(frozen=True)
class Overdue:
    game_date: date
    cause: str  # PREDICTIONS_MISSING | GRADES_MISSING
    due_at: datetime


@dataclass(frozen=True)
class SilentFunction:
    function: str
    last_success: datetime | None  # None: never succeeded (since the watch began)
    silent_hours: float


@dataclass(frozen=True)
class WatchdogFinding:
    """One alert condition: a cause, its level and the evidence behind it."""

    cause: str
    level: AlertLevel
    evidence: tuple[str, ...]
    latest_date: date  # the most recent game date concerned (the alert's game date)


def grades_due_at(game_date: date, policy: WatchdogPolicy = DEFAULT_THRESHOLDS.watchdog) -> datetime:
    return eastern_datetime(game_date + timedelta(days=1), policy.grades_due_hour_et)


def overdue_dates(
    progress: Iterable[DateProgress],
    now: datetime,
    first_prediction_date: date | None,
    policy: WatchdogPolicy = DEFAULT_THRESHOLDS.watchdog,
) -> list[Overdue]:
    """Every owed date whose predictions or grades are past due at ``now``, oldest first."""
    if first_prediction_date is None:
        return []
    found: list[Overdue] = []
    for day in sorted(progress, key=lambda p: p.game_date):
        if day.games <= 0 or day.game_date < first_prediction_date:
            continue
        if day.predictions == 0:
            if pregame_deadline_passed(day.first_tipoff, now):
                found.append(Overdue(day.game_date, PREDICTIONS_MISSING, day.first_tipoff))
        elif day.graded == 0 and grades_due_at(day.game_date, policy) <= now:
            found.append(Overdue(day.game_date, GRADES_MISSING, grades_due_at(day.game_date, policy)))
    return found


def silent_functions(
    last_success: Mapping[str, datetime | None],
    tipoffs: Sequence[datetime],
    now: datetime,
    watch_started: datetime,
    policy: WatchdogPolicy = DEFAULT_THRESHOLDS.watchdog,
) -> list[SilentFunction]:
    """Watched functions with no successful run for ``function_silence_hours`` while games were played.

    A function that never succeeded is measured from ``watch_started`` (the first prediction), so a fresh
    deployment is not silent before it had anything to do.
    """
    silent: list[SilentFunction] = []
    for function in policy.watched_functions:
        last = last_success.get(function)
        since = last if last is not None else watch_started
        hours = (now - since).total_seconds() / 3600
        if hours < policy.function_silence_hours:
            continue
        if not any(since < tip <= now for tip in tipoffs):
            continue  # nothing happened that it should have handled
        silent.append(SilentFunction(function, last, hours))
    return silent


def watchdog_findings(
    overdue: Sequence[Overdue],
    silent: Sequence[SilentFunction],
    today: date,
    policy: WatchdogPolicy = DEFAULT_THRESHOLDS.watchdog,
) -> list[WatchdogFinding]:
    """One finding per cause: predictions missing, grades missing, functions silent."""
    findings: list[WatchdogFinding] = []
    for cause, what in ((PREDICTIONS_MISSING, "no predictions"), (GRADES_MISSING, "nothing graded")):
        dates = [o for o in overdue if o.cause == cause]
        if not dates:
            continue
        level = AlertLevel.CRITICAL if len(dates) >= policy.critical_overdue_dates else AlertLevel.WARNING
        evidence = tuple(f"{o.game_date}: {what} (due {o.due_at.isoformat()})" for o in dates[-5:])
        if len(dates) > 5:
            evidence = (f"{len(dates)} dates overdue since {dates[0].game_date}", *evidence)
        findings.append(WatchdogFinding(cause, level, evidence, dates[-1].game_date))
    if silent:
        worst = max(s.silent_hours for s in silent)
        level = AlertLevel.CRITICAL if worst >= policy.function_silence_critical_hours else AlertLevel.WARNING
        evidence = tuple(
            f"{s.function}: no successful run for {s.silent_hours:.0f} h "
            f"(last {s.last_success.isoformat() if s.last_success else 'never'})"
            for s in silent
        )
        findings.append(WatchdogFinding(FUNCTION_SILENT, level, evidence, today))
    return findings


def watchdog_alert(finding: WatchdogFinding) -> dict[str, Any]:
    """AlertRaised fields (without the event envelope) of one finding."""
    titles = {
        PREDICTIONS_MISSING: "games without predictions",
        GRADES_MISSING: "games without grades",
        FUNCTION_SILENT: "a pipeline function is silent",
    }
    return {
        "level": str(finding.level),
        "kind": WATCHDOG,
        "system_id": DEPLOYMENT,
        "dedupe_key": alert_dedupe_key(WATCHDOG, DEPLOYMENT, finding.cause, str(finding.level)),
        "title": f"Watchdog: {titles[finding.cause]} ({finding.level}), latest {finding.latest_date}",
        "summary": "; ".join(finding.evidence[:4]),
        "facts": {"Cause": finding.cause, "Evidence": "\n".join(finding.evidence)[:1900]},
        "recommendations": _RECOMMENDATIONS[finding.cause],
    }


_RECOMMENDATIONS: dict[str, tuple[str, ...]] = {
    PREDICTIONS_MISSING: (
        "Check the champion alias in model_registry and the prediction function's pipeline_runs",
        "Check the feature store ran for the date (courtside status)",
    ),
    GRADES_MISSING: (
        "Check box scores landed (nba_raw.boxscores) and the grading function's pipeline_runs",
        "Grade by hand once fixed: courtside grade --date DATE",
    ),
    FUNCTION_SILENT: (
        "Check the function's dead-letter archive subscription and its logs",
        "courtside status shows what ran per date and function",
    ),
}
