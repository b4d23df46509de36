"""Event contracts: one validated pydantic model per topic.

Every message says which US Eastern game date it is about, which run produced it, who produced it
and when (UTC). Unknown fields are refused so a producer and a consumer can never silently disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, field_validator


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    game_date: date
    run_id: str = Field(min_length=1, max_length=128)
    produced_by: str = Field(min_length=1, max_length=64)
    produced_at: datetime

    @field_validator("produced_at")
    @classmethod
    def _produced_at_is_aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("produced_at must carry a time zone (UTC)")
        return value


class LinesLoaded(Event):
    source_object: str
    rows_loaded: NonNegativeInt
    rows_rejected: NonNegativeInt
    # Latest snapshot time in the batch: the data's own clock, used to tell a pre-game batch from a late one.
    latest_snapshot_at: datetime | None = None


class BoxscoresLoaded(Event):
    source_object: str
    rows_loaded: NonNegativeInt
    rows_rejected: NonNegativeInt


class FeaturesReady(Event):
    feature_version: str
    rows_written: NonNegativeInt
    production_ready_rows: NonNegativeInt


class PredictionsReady(Event):
    rows_written: NonNegativeInt
    systems: tuple[str, ...]


class GradingComplete(Event):
    gradable: NonNegativeInt
    graded: NonNegativeInt
    voided: NonNegativeInt
    pending: NonNegativeInt


AlertLevel = Literal["OK", "INFO", "WARNING", "CRITICAL"]


class AlertRaised(Event):
    level: AlertLevel
    kind: str
    system_id: str
    dedupe_key: str
    title: str
    summary: str
    facts: dict[str, str] = Field(default_factory=dict)
    recommendations: tuple[str, ...] = ()


class ScheduledRun(BaseModel):
    """What Cloud Scheduler publishes: a fixed payload, so the date is resolved from the publish time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedule: str
    relative_day: Literal["today", "yesterday"]
    game_date: date | None = None  # an operator may pin a date; the scheduler never does


class StorageObject(BaseModel):
    """The object resource Cloud Storage sends on OBJECT_FINALIZE (only the fields we use)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    bucket: str = Field(min_length=1)
    name: str = Field(min_length=1)
    generation: str | None = None
    size: str | None = None


EVENT_OF_TOPIC: dict[str, type[BaseModel]] = {
    "raw-objects": StorageObject,
    "lines-loaded": LinesLoaded,
    "boxscores-loaded": BoxscoresLoaded,
    "feature-build-requested": ScheduledRun,
    "features-ready": FeaturesReady,
    "predictions-ready": PredictionsReady,
    "grading-requested": ScheduledRun,
    "grading-complete": GradingComplete,
    "alerts": AlertRaised,
    "reconcile-requested": ScheduledRun,
}
