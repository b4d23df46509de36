"""``make run``: the whole life of a season on the embedded default.

1. Simulate the 2025-26 season (cached under ``$COURTSIDE_HOME/seasons``).
2. Replay it day by day through the chain until the training cut-off. No model exists yet, so
   prediction honestly reports ``skipped`` on those dates.
3. Train a champion and a shadow on the feature store rows the chain wrote.
4. Replay the rest of the season: predictions, grading, sharpness, diagnostics, alerts.
Re-running it changes nothing: every write is keyed, and an existing champion is kept.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from courtside.commands.models import print_training_report
from courtside.commands.pipeline import print_run_summary, run_range
from courtside.console import console
from courtside.seasons import ensure_season, season_dates
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock, utc_now
from shared.services.model_registry import CHAMPION, SHADOW, aliased_models
from shared.services.training import train_model

TRAINING_DAYS = 56  # train on the first eight weeks of games ...
HOLDOUT_DAYS = 14  # ... and judge it on the next two, before it ever serves
SHADOW_SYSTEM = "catboost_points_v1_shallow"


def training_window(
    first: date, training_days: int = TRAINING_DAYS, holdout_days: int = HOLDOUT_DAYS
) -> tuple[date, date, date]:
    train_to = first + timedelta(days=training_days - 1)
    return first, train_to, train_to + timedelta(days=holdout_days)


def ensure_models(
    deps: Dependencies, first: date, training_days: int = TRAINING_DAYS, holdout_days: int = HOLDOUT_DAYS
) -> None:
    """Train and register a champion and a shadow unless those aliases are already held."""
    aliases = {row["alias"] for row in aliased_models(deps.warehouse)}
    train_from, train_to, holdout_to = training_window(first, training_days, holdout_days)
    if CHAMPION not in aliases:
        console.print(f"training the champion on {train_from} .. {train_to} (holdout to {holdout_to})")
        report = train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            train_from,
            train_to,
            holdout_to,
            seed=42,
            alias=CHAMPION,
        )
        print_training_report(report)
    if SHADOW not in aliases:
        console.print("training a shallower shadow on the same window")
        report = train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            train_from,
            train_to,
            holdout_to,
            seed=7,
            system_id=SHADOW_SYSTEM,
            alias=SHADOW,
            depth=4,
        )
        print_training_report(report)


def run_demo(folder: Path | None = None) -> None:
    deps = build_dependencies(clock=SettableClock())
    folder = folder or ensure_season(deps.settings)
    first, last = season_dates(folder)
    _, _, holdout_to = training_window(first)
    console.print(f"[bold]Courtside demo[/]: season folder {folder}")
    started = utc_now()
    run_range(deps, folder, first, holdout_to, summary=False)
    ensure_models(deps, first)
    run_range(deps, folder, holdout_to + timedelta(days=1), last, summary=False)
    print_run_summary(deps, first, last, started)
