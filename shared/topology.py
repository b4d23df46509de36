"""The event topology, declared once.

Topics, who publishes them, which function subscribes (each subscription with its own dead-letter
topic) and the Cloud Scheduler jobs. The in-process bus, the emulator launcher, the tests and the
Terraform checks all read this module. Services name the topics they publish, but only topics
declared here with that service's function as a publisher: ``StepContext.publish`` refuses any other,
and every bus refuses an event that is not its topic's contract (``shared/events.py``). Landing a raw
file on the embedded default publishes ``raw-objects`` in place of the bucket's notification.

Every function is triggered through explicit push subscriptions (rather than managed Eventarc ones)
so that each trigger can carry a dead-letter policy and a function can have more than one trigger
(feature_store: new lines *and* a morning schedule). Raw files reach ingest through a Cloud Storage
OBJECT_FINALIZE notification on the raw bucket, published to ``raw-objects``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SCHEDULE_TIME_ZONE = "America/New_York"
# Deliveries of a failing message before it is dead-lettered, where only failures count: the
# in-process and HTTP-push buses and the emulator setup.
MAX_DELIVERY_ATTEMPTS = 5

# On Google Cloud, Pub/Sub also counts a push that Cloud Run refuses (429 while every instance of
# the function is busy) as an attempt, so a burst could dead-letter healthy messages. Deployed
# subscriptions allow more attempts over a longer back-off: about 90 minutes of refusals before a
# message is dead-lettered. docs/deploying.md ("Bursts and quotas") argues these numbers.
PUSH_MAX_DELIVERY_ATTEMPTS = 15
PUSH_MINIMUM_BACKOFF_SECONDS = 10
PUSH_MAXIMUM_BACKOFF_SECONDS = 600

FUNCTIONS: tuple[str, ...] = (
    "ingest",
    "feature_store",
    "prediction",
    "grading",
    "sharpness",
    "diagnostics",
    "alerts",
    "training",
    "reconciler",
)


@dataclass(frozen=True)
class Topic:
    name: str
    publishers: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Subscription:
    name: str
    topic: str
    function: str

    @property
    def dead_letter_topic(self) -> str:
        return f"{self.name}-dead-letter"

    @property
    def dead_letter_archive(self) -> str:
        """Pull subscription on the dead-letter topic, so nothing dead-lettered is lost."""
        return f"{self.name}-dead-letter-archive"


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    topic: str
    relative_day: Literal["today", "yesterday"]  # resolved in US Eastern from the publish time
    description: str
    time_zone: str = SCHEDULE_TIME_ZONE


TOPICS: tuple[Topic, ...] = (
    Topic("raw-objects", ("cloud-storage:raw-bucket",), "OBJECT_FINALIZE notifications of the raw bucket"),
    Topic("lines-loaded", ("ingest", "reconciler"), "Prop line snapshots were loaded for a game date"),
    Topic("boxscores-loaded", ("ingest",), "Box scores were loaded for a game date"),
    Topic(
        "feature-build-requested",
        ("cloud-scheduler", "reconciler"),
        "Morning request to build today's features (or a pinned date's)",
    ),
    Topic("features-ready", ("feature_store", "reconciler"), "Point-in-time features exist for a game date"),
    Topic("predictions-ready", ("prediction",), "Predictions were written for a game date"),
    Topic("grading-requested", ("cloud-scheduler", "reconciler"), "Safety-net request to grade yesterday"),
    Topic("grading-complete", ("grading", "reconciler"), "Predictions of a game date were graded"),
    Topic(
        "diagnostics-requested",
        ("cloud-scheduler",),
        "Morning dead man's switch: check every game date got its predictions and grades",
    ),
    Topic("alerts", ("diagnostics",), "Something needs a human"),
    Topic("retrain-requested", ("cloud-scheduler",), "Monthly request to retrain the retrain system"),
    Topic("model-trained", ("training",), "A retrained model was registered as a shadow"),
    # Reconciliation (shared/services/reconciliation.py): the reconciler also publishes the four topics
    # above (and lines-loaded) whose step it re-drives when a recent date is missing it.
    Topic("reconcile-requested", ("cloud-scheduler",), "Hourly request to re-drive what recent dates miss"),
)

SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription("ingest-on-raw-objects", "raw-objects", "ingest"),
    Subscription("feature-store-on-lines-loaded", "lines-loaded", "feature_store"),
    Subscription("feature-store-on-schedule", "feature-build-requested", "feature_store"),
    Subscription("prediction-on-features-ready", "features-ready", "prediction"),
    Subscription("grading-on-boxscores-loaded", "boxscores-loaded", "grading"),
    Subscription("grading-on-schedule", "grading-requested", "grading"),
    Subscription("sharpness-on-grading-complete", "grading-complete", "sharpness"),
    Subscription("diagnostics-on-grading-complete", "grading-complete", "diagnostics"),
    Subscription("diagnostics-on-schedule", "diagnostics-requested", "diagnostics"),
    Subscription("alerts-on-alerts", "alerts", "alerts"),
    Subscription("training-on-schedule", "retrain-requested", "training"),
    # Reconciliation
    Subscription("reconciler-on-schedule", "reconcile-requested", "reconciler"),
)

SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        "morning-feature-build",
        "0 9 * * *",
        "feature-build-requested",
        "today",
        "Build today's features at 09:00 US Eastern even if no new lines arrived",
    ),
    Schedule(
        "grading-safety-net",
        "0 6 * * *",
        "grading-requested",
        "yesterday",
        "Grade yesterday at 06:00 US Eastern in case the box-score event was lost",
    ),
    Schedule(
        "morning-watchdog",
        "30 9 * * *",
        "diagnostics-requested",
        "today",
        "Dead man's switch at 09:30 US Eastern, whatever happened upstream: alert when a date with games "
        "has no predictions by its first tip-off or no grades by 09:00 the next day, or a function is silent",
    ),
    Schedule(
        "monthly-retrain",
        "0 4 1 * *",
        "retrain-requested",
        "today",
        "Retrain on the window ending yesterday at 04:00 US Eastern on the 1st of each month",
    ),
    # Reconciliation: hourly, so missing features are re-driven well before the first tip-off.
    Schedule(
        "reconciliation",
        "20 * * * *",
        "reconcile-requested",
        "today",
        "Every hour: re-publish the first missing step of each game date in the look-back window",
    ),
)


def topic(name: str) -> Topic:
    for candidate in TOPICS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown topic {name!r}; topics are declared in shared/topology.py")


def subscriptions_of_topic(topic_name: str) -> tuple[Subscription, ...]:
    topic(topic_name)
    return tuple(sub for sub in SUBSCRIPTIONS if sub.topic == topic_name)


def subscriptions_of_function(function: str) -> tuple[Subscription, ...]:
    if function not in FUNCTIONS:
        raise KeyError(f"unknown function {function!r}")
    return tuple(sub for sub in SUBSCRIPTIONS if sub.function == function)


def topics_published_by(function: str) -> tuple[str, ...]:
    return tuple(t.name for t in TOPICS if function in t.publishers)


def schedule(name: str) -> Schedule:
    for candidate in SCHEDULES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown schedule {name!r}")
