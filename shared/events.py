"""Event contracts: one validated pydantic model per topic.

Every message says which US Eastern game date it is about, which run produced it, who produced it
and when (UTC). Unknown fields are refused so a producer and a consumer can never silently disagree.
"""

from __future__ import annotations

import posixpath
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, field_validator

# Any date or instant a message may carry: far wider than any season, narrow enough that date arithmetic
# (a season back, a day ahead, US Eastern) can never overflow. Year 0001 or 9999 is a hostile message.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
# Cloud Storage's own limits for object names (UTF-8 bytes) and bucket names.
MAX_OBJECT_NAME_BYTES = 1024
_BUCKET_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def plausible_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"{value} is outside {EARLIEST_DATE}..{LATEST_DATE}")
    return value


def plausible_instant(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp must carry a time zone (UTC)")
    plausible_date(value.date())
    return value


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    game_date: date
    run_id: str = Field(min_length=1, max_length=128)
    produced_by: str = Field(min_length=1, max_length=64)
    produced_at: datetime

    @field_validator("game_date")
    @classmethod
    def _game_date_is_plausible(cls, value: date) -> date:
        return plausible_date(value)

    @field_validator("produced_at")
    @classmethod
    def _produced_at_is_aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("produced_at must carry a time zone (UTC)")
        return plausible_instant(value)


class LinesLoaded(Event):
    source_object: str
    rows_loaded: NonNegativeInt
    rows_rejected: NonNegativeInt
    # Latest snapshot time in the batch: the data's own clock, used to tell a pre-game batch from a late one.
    latest_snapshot_at: datetime | None = None

    @field_validator("latest_snapshot_at")
    @classmethod
    def _snapshot_is_plausible(cls, value: datetime | None) -> datetime | None:
        return None if value is None else plausible_instant(value)


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


class ModelTrained(Event):
    """A scheduled retrain registered a model as a shadow; game_date is the US Eastern date of the run.

    It carries the training holdout (the model's MAE next to naive baselines on the same held-out rows) and
    the production-equivalent evaluation of its config against the champion (``evaluation``, each rate with
    its n and interval); diagnostics compares the shadow with the champion daily from then on
    (nba_orchestration.shadow_comparison_daily).
    """

    model_id: str = Field(min_length=1)
    system_id: str = Field(min_length=1)
    alias: Literal["shadow"]
    experiment_id: str = Field(min_length=1)
    train_from: date
    train_to: date
    holdout_to: date
    train_rows: NonNegativeInt
    holdout_rows: NonNegativeInt
    holdout_mae: float
    baseline_mae: dict[str, float | None] = Field(default_factory=dict)
    champion_model_id: str | None = None
    demoted: tuple[str, ...] = ()
    # The experiments/<name>.yaml it was trained from, and the production-equivalent evaluation of that config
    # over the days before the run (a walk-forward run of experiment_runs, paired with the champion's bets).
    experiment_config: str | None = None
    experiment_config_hash: str | None = None
    evaluation_run_id: str | None = None
    evaluation: dict[str, str | int | float | None] = Field(default_factory=dict)


class ScheduledRun(BaseModel):
    """What Cloud Scheduler publishes: a fixed payload, so the date is resolved from the publish time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedule: str
    relative_day: Literal["today", "yesterday"]
    game_date: date | None = None  # an operator may pin a date; the scheduler never does

    @field_validator("game_date")
    @classmethod
    def _game_date_is_plausible(cls, value: date | None) -> date | None:
        return None if value is None else plausible_date(value)


class StorageObject(BaseModel):
    """The object resource Cloud Storage sends on OBJECT_FINALIZE (only the fields we use)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    bucket: str = Field(min_length=1)
    name: str = Field(min_length=1)
    generation: str | None = None
    size: str | None = None

    @field_validator("bucket")
    @classmethod
    def _bucket_is_a_bucket_name(cls, value: str) -> str:
        if not 3 <= len(value) <= 222 or not set(value) <= _BUCKET_CHARACTERS:
            raise ValueError("not a Cloud Storage bucket name")
        return value

    @field_validator("name")
    @classmethod
    def _name_stays_in_its_bucket(cls, value: str) -> str:
        """A relative path of at most 1024 UTF-8 bytes, no control characters, no ``.``/``..`` segment."""
        if len(value.encode("utf-8", "surrogatepass")) > MAX_OBJECT_NAME_BYTES:
            raise ValueError(f"object name longer than {MAX_OBJECT_NAME_BYTES} bytes")
        if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value):
            raise ValueError("object name with a control character (NUL, newline, ...)")
        if value.startswith("/") or posixpath.isabs(value):
            raise ValueError("object name is an absolute path")
        if any(segment in (".", "..") for segment in value.split("/")):
            raise ValueError("object name with a '.' or '..' segment")
        return value


EVENT_OF_TOPIC: dict[str, type[BaseModel]] = {
    "raw-objects": StorageObject,
    "lines-loaded": LinesLoaded,
    "boxscores-loaded": BoxscoresLoaded,
    "feature-build-requested": ScheduledRun,
    "features-ready": FeaturesReady,
    "predictions-ready": PredictionsReady,
    "grading-requested": ScheduledRun,
    "grading-complete": GradingComplete,
    "diagnostics-requested": ScheduledRun,
    "alerts": AlertRaised,
    "retrain-requested": ScheduledRun,
    "model-trained": ModelTrained,
    "reconcile-requested": ScheduledRun,
}
