"""The training policy of a season: which window the models learn from and which systems hold the aliases.

The demo (``make run``), the scenario evaluation, ``make emulate``, ``make bench`` and the end-to-end test
all give a deployment its models the same way: a champion and a shallower shadow, trained on the
first weeks of the season's feature-store rows and judged on the weeks after, before either serves.
A champion already registered (of any system) is kept, and so is a shadow of the shallow system, so
re-running changes nothing. No console output here: the CLI says
what is being trained (``courtside/commands/models.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from shared.ports import BlobStore, Warehouse
from shared.services.model_registry import CHAMPION, SHADOW, Alias, aliased_models
from shared.services.training import DEFAULT_DEPTH, DEFAULT_SYSTEM_ID, TrainingReport, train_model
from shared.settings import Settings

TRAINING_DAYS = 56  # train on the first eight weeks of games ...
HOLDOUT_DAYS = 14  # ... and judge it on the next two, before it ever serves


class TrainingWindow(NamedTuple):
    train_from: date
    train_to: date
    holdout_to: date


@dataclass(frozen=True)
class AliasedSystem:
    """A system trained for one alias: what it is called, how it is seeded and how deep its trees are."""

    alias: Alias
    system_id: str
    seed: int
    depth: int
    description: str


ALIASED_SYSTEMS: tuple[AliasedSystem, ...] = (
    AliasedSystem(CHAMPION, DEFAULT_SYSTEM_ID, seed=42, depth=DEFAULT_DEPTH, description="the champion"),
    AliasedSystem(SHADOW, "catboost_points_v1_shallow", seed=7, depth=4, description="a shallower shadow"),
)


def training_window(
    first: date, training_days: int = TRAINING_DAYS, holdout_days: int = HOLDOUT_DAYS
) -> TrainingWindow:
    train_to = first + timedelta(days=training_days - 1)
    return TrainingWindow(first, train_to, train_to + timedelta(days=holdout_days))


def systems_to_train(warehouse: Warehouse) -> list[AliasedSystem]:
    """The aliased systems not registered yet, champion first: the champion unless any model is champion,
    a shadow unless its system has one already (the fleet may hold other shadows, e.g. the retrain)."""
    held = [(row["alias"], row["system_id"]) for row in aliased_models(warehouse)]
    return [
        system
        for system in ALIASED_SYSTEMS
        if not any(
            alias == system.alias and (alias == CHAMPION or system_id == system.system_id)
            for alias, system_id in held
        )
    ]


def train_aliased_system(
    warehouse: Warehouse, blobs: BlobStore, settings: Settings, system: AliasedSystem, window: TrainingWindow
) -> TrainingReport:
    return train_model(
        warehouse,
        blobs,
        settings,
        window.train_from,
        window.train_to,
        window.holdout_to,
        seed=system.seed,
        system_id=system.system_id,
        alias=system.alias,
        depth=system.depth,
    )


def ensure_models(
    warehouse: Warehouse, blobs: BlobStore, settings: Settings, window: TrainingWindow
) -> list[TrainingReport]:
    """Train and register every aliased system whose alias is not held yet; returns what was trained."""
    return [
        train_aliased_system(warehouse, blobs, settings, system, window)
        for system in systems_to_train(warehouse)
    ]
