"""Backfill: run the production steps for game dates whose raw data is already in the warehouse.

For a user who ingested a season from flat multi-date files (``courtside ingest schedule.csv boxscores.csv
...``): each date is run on the season clock a replay uses (``shared/domain/season.py``), as it would have run
live. At the decision time (12:30 US Eastern on the game date) the morning feature build (what the
``morning-feature-build`` schedule publishes, date pinned) and then prediction on the features-ready it
announced; at the results time (03:00 the next morning) grading (what ``grading-safety-net`` publishes, date
pinned) and then sharpness and diagnostics on the grading-complete it announced.

Every step is a delivery through the runtime (``deliver``, given by the caller: the runtime's
``handle_cloud_event`` on the composition root's adapters), so each is recorded in ``pipeline_runs`` like a
live run, on either backend. A step whose upstream step is not selected gets the event that step would have
published, rebuilt from the stored rows. Message ids and publish times derive from the date and the step, and
every step writes by key with times derived from the publish time, so running a backfill twice writes the
same rows. Alerts that diagnostics raises are recorded by diagnostics but not delivered: a backfill of
history pages no one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from pydantic import BaseModel

from shared.clock import eastern_datetime
from shared.domain.features import FEATURE_VERSION
from shared.domain.season import DECISION_TIME_ET, RESULTS_TIME_ET
from shared.domain.systems import production_systems_param
from shared.events import FeaturesReady, GradingComplete, ScheduledRun
from shared.feature_rows import read_feature_rows
from shared.ports import Warehouse
from shared.sql import load_sql

STEPS: tuple[str, ...] = ("features", "prediction", "grading", "sharpness", "diagnostics")
FUNCTION_OF_STEP = {
    "features": "feature_store",
    "prediction": "prediction",
    "grading": "grading",
    "sharpness": "sharpness",
    "diagnostics": "diagnostics",
}
MORNING_SCHEDULE = "morning-feature-build"
GRADING_SCHEDULE = "grading-safety-net"


@dataclass(frozen=True)
class Delivered:
    """What the runtime did with one delivery, and the events the step published."""

    status: str  # success | skipped | rejected | failed
    rows_written: int
    detail: str
    published: tuple[tuple[str, BaseModel], ...] = ()


class Deliver(Protocol):
    def __call__(
        self, function: str, topic: str, event: BaseModel, publish_time: datetime, message_id: str
    ) -> Delivered: ...


@dataclass
class BackfillReport:
    dates: list[date] = field(default_factory=list)
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)  # (step, status) -> deliveries
    rows_written: Counter[str] = field(default_factory=Counter)  # step -> rows
    problems: list[str] = field(default_factory=list)  # "date step status: detail" of failures/rejections


def parse_steps(text: str) -> tuple[str, ...]:
    """``features,prediction`` -> the steps in chain order; ValueError names an unknown step."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [step for step in wanted if step not in STEPS]
    if unknown or not wanted:
        raise ValueError(f"unknown or no steps {unknown}; choose from {','.join(STEPS)}")
    return tuple(step for step in STEPS if step in wanted)


def game_dates(warehouse: Warehouse, date_from: date, date_to: date) -> list[date]:
    rows = warehouse.query(load_sql("backfill/game_dates"), {"date_from": date_from, "date_to": date_to})
    return [row["game_date"] for row in rows]


def _event_fields(day: date, at: datetime) -> dict[str, object]:
    return {"game_date": day, "run_id": f"backfill-{day}", "produced_by": "backfill", "produced_at": at}


def stored_features_ready(warehouse: Warehouse, day: date, at: datetime) -> FeaturesReady | None:
    """The features-ready the feature store would have announced for the stored rows of ``day``."""
    rows = read_feature_rows(warehouse, day, FEATURE_VERSION)
    if not rows:
        return None
    return FeaturesReady(
        **_event_fields(day, at),  # type: ignore[arg-type]
        feature_version=FEATURE_VERSION,
        rows_written=len(rows),
        production_ready_rows=sum(1 for row in rows if row["is_production_ready"]),
    )


def stored_grading_complete(warehouse: Warehouse, day: date, at: datetime) -> GradingComplete | None:
    counts = warehouse.query(
        load_sql("backfill/grading_counts"), {"game_date": day, **production_systems_param()}
    )[0]
    if not counts["gradable"]:
        return None
    return GradingComplete(
        **_event_fields(day, at),  # type: ignore[arg-type]
        gradable=int(counts["gradable"]),
        graded=int(counts["graded"]),
        voided=int(counts["voided"]),
        pending=int(counts["pending"]),
    )


def _published(delivered: Delivered | None, topic: str) -> BaseModel | None:
    if delivered is None:
        return None
    return next((event for name, event in delivered.published if name == topic), None)


def backfill(
    warehouse: Warehouse,
    date_from: date,
    date_to: date,
    steps: Sequence[str],
    deliver: Deliver,
    on_date: Callable[[date], None] | None = None,
) -> BackfillReport:
    """Run ``steps`` for every game date of [date_from, date_to] (see the module docstring)."""
    report = BackfillReport()

    def run(step: str, topic: str, event: BaseModel, at: datetime, day: date) -> Delivered:
        delivered = deliver(FUNCTION_OF_STEP[step], topic, event, at, f"backfill-{step}-{day}")
        report.outcomes[(step, delivered.status)] += 1
        report.rows_written[step] += delivered.rows_written
        if delivered.status in ("failed", "rejected"):
            report.problems.append(f"{day} {step} {delivered.status}: {delivered.detail}")
        return delivered

    for day in game_dates(warehouse, date_from, date_to):
        decided = eastern_datetime(day, *DECISION_TIME_ET)
        results = eastern_datetime(day + timedelta(days=1), *RESULTS_TIME_ET)
        built = None
        if "features" in steps:
            morning = ScheduledRun(schedule=MORNING_SCHEDULE, relative_day="today", game_date=day)
            built = run("features", "feature-build-requested", morning, decided, day)
        if "prediction" in steps:
            ready = (
                _published(built, "features-ready")
                if built
                else stored_features_ready(warehouse, day, decided)
            )
            if ready is not None:
                run("prediction", "features-ready", ready, decided, day)
            else:
                report.outcomes[("prediction", "skipped")] += 1
        graded = None
        if "grading" in steps:
            request = ScheduledRun(schedule=GRADING_SCHEDULE, relative_day="yesterday", game_date=day)
            graded = run("grading", "grading-requested", request, results, day)
        for step in ("sharpness", "diagnostics"):
            if step not in steps:
                continue
            complete = (
                _published(graded, "grading-complete")
                if graded
                else stored_grading_complete(warehouse, day, results)
            )
            if complete is not None:
                run(step, "grading-complete", complete, results, day)
            else:
                report.outcomes[(step, "skipped")] += 1
        report.dates.append(day)
        if on_date:
            on_date(day)
    return report
