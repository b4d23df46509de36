"""Reconciliation: re-publish the event of the first missing step of every recent game date.

The reconciler function runs on its own schedule (``reconcile-requested``, shared/topology.py) and
``courtside reconcile`` publishes the same event by hand. It reads what each date of the look-back window
has (``sql/reconciliation/date_states.sql``), asks the pure rule (``shared/domain/reconciliation.py``) what
is missing first, and re-publishes the event that triggers that step. Every step is idempotent, so a
re-drive of something a slow step was about to finish is harmless; a re-drive that fails again is retried
and dead-lettered like any delivery, where it is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from shared.clock import as_utc, today_et
from shared.domain.features import FEATURE_VERSION
from shared.domain.reconciliation import DateState, Gap, Step, gaps_to_redrive
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS, ReconciliationPolicy
from shared.events import FeaturesReady, GradingComplete, LinesLoaded, ScheduledRun
from shared.ports import Row, Warehouse
from shared.services.model_registry import CHAMPION, aliased_models
from shared.sql import load_sql
from shared.step import StepContext, StepResult

RECONCILIATION_SCHEDULE = "reconciliation"

# The topic whose event re-drives each step (its trigger in shared/topology.py). Features are re-driven
# like new lines (as of the latest pre-game line, the decision time the lost lines-loaded would have
# carried) or, when a date has no line yet, like the morning build.
REDRIVE_TOPIC: dict[Step, str] = {
    Step.FEATURES: "lines-loaded",
    Step.PREDICTIONS: "features-ready",
    Step.GRADES: "grading-requested",
    Step.SHARPNESS: "grading-complete",
    Step.DIAGNOSTICS: "grading-complete",
}


@dataclass(frozen=True)
class ReconcileReport:
    start: date
    end: date
    dates_checked: int
    redriven: tuple[Gap, ...] = field(default_factory=tuple)
    not_redriven: tuple[Gap, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        text = f"{self.dates_checked} date(s) with games checked {self.start} .. {self.end}"
        if not self.redriven and not self.not_redriven:
            return text + ": nothing missing"
        parts = [f"re-drove {g.game_date} {g.step} ({g.reason})" for g in self.redriven]
        parts += [f"left {g.game_date} {g.step} ({g.reason})" for g in self.not_redriven]
        return text + ": " + "; ".join(parts)


def reconcile_window(
    event: ScheduledRun, publish_time: datetime, policy: ReconciliationPolicy
) -> tuple[date, date]:
    """An operator's pinned date alone, else the look-back window ending today (US Eastern)."""
    if event.game_date is not None:
        return event.game_date, event.game_date
    end = today_et(publish_time)
    return end - timedelta(days=policy.lookback_days - 1), end


def date_states(warehouse: Warehouse, start: date, end: date, now: datetime) -> list[DateState]:
    rows = warehouse.query(
        load_sql("reconciliation/date_states"),
        {
            "start": start,
            "end": end,
            "now": now,
            "feature_version": FEATURE_VERSION,
            # Backtests grade their own rows; the grading function never would: never owed to production.
            **production_systems_param(),
        },
    )
    has_champion = any(row["alias"] == CHAMPION for row in aliased_models(warehouse))
    return [_state(row, has_champion) for row in rows]


def redrive_event(context: StepContext, gap: Gap, state: DateState) -> tuple[str, BaseModel]:
    """The topic and event that make the gap's step run again for its date."""
    topic = REDRIVE_TOPIC[gap.step]
    fields = context.event_fields(gap.game_date)
    if gap.step is Step.FEATURES and state.latest_pregame_line_at is None:
        return "feature-build-requested", ScheduledRun(
            schedule=RECONCILIATION_SCHEDULE, relative_day="today", game_date=gap.game_date
        )
    if gap.step is Step.FEATURES:
        return topic, LinesLoaded(
            **fields,
            source_object=RECONCILIATION_SCHEDULE,
            rows_loaded=0,
            rows_rejected=0,
            latest_snapshot_at=state.latest_pregame_line_at,
        )
    if gap.step is Step.GRADES:
        return topic, ScheduledRun(
            schedule=RECONCILIATION_SCHEDULE, relative_day="yesterday", game_date=gap.game_date
        )
    if gap.step is Step.PREDICTIONS:
        return topic, FeaturesReady(
            **fields,
            feature_version=state.feature_version or FEATURE_VERSION,
            rows_written=state.feature_rows,
            production_ready_rows=state.ready_line_rows,
        )
    return topic, GradingComplete(
        **fields,
        gradable=state.line_predictions,
        graded=state.graded,
        voided=state.voided,
        pending=state.pending,
    )


def handle(event: ScheduledRun, context: StepContext) -> StepResult:
    policy = DEFAULT_THRESHOLDS.reconciliation
    now = as_utc(context.publish_time)
    start, end = reconcile_window(event, now, policy)
    states = date_states(context.deps.warehouse, start, end, now)
    redrive, left = gaps_to_redrive(states, now, policy.max_redrives_per_cycle)
    by_date = {state.game_date: state for state in states}
    for gap in redrive:
        context.publish(*redrive_event(context, gap, by_date[gap.game_date]))
    report = ReconcileReport(start, end, len(states), tuple(redrive), tuple(left))
    # A check that finds nothing missing is a success too: the run log shows the reconciler is alive.
    return StepResult(end, len(states), 0, report.summary())


def _state(row: Row, has_champion: bool) -> DateState:
    def count(name: str) -> int:
        return int(row[name] or 0)

    def instant(name: str) -> datetime | None:
        value: Any = row[name]
        return as_utc(value) if value is not None else None

    return DateState(
        game_date=row["game_date"],
        games=count("games"),
        final_games=count("final_games"),
        first_tipoff=instant("first_tipoff"),
        feature_rows=count("feature_rows"),
        feature_version=FEATURE_VERSION if count("feature_rows") else None,
        features_as_of=instant("features_as_of"),
        ready_line_rows=count("ready_line_rows"),
        latest_pregame_line_at=instant("latest_pregame_line_at"),
        has_champion=has_champion,
        champion_predicted_ready_rows=count("champion_predicted_ready_rows"),
        line_predictions=count("line_predictions"),
        ungraded=count("ungraded"),
        graded=count("graded"),
        voided=count("voided"),
        pending=count("pending"),
        sharpness_rows=count("sharpness_rows"),
        diagnostics_rows=count("diagnostics_rows"),
    )
