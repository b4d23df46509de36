"""``courtside demo`` (``make run``): the whole life of a season on the embedded default.

1. Simulate the 2025-26 season (cached under ``$COURTSIDE_HOME/seasons``).
2. Replay it day by day through the chain until the training cut-off. No model exists yet, so
   prediction honestly reports ``skipped`` on those dates.
3. Train a champion and a shallow shadow on the feature store rows the chain wrote (the training
   policy of ``shared/services/training_policy.py``).
4. Replay the rest of the season: predictions, grading, sharpness, diagnostics, alerts.
Re-running it changes nothing: every write is keyed, and an existing champion is kept.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import typer

from courtside.commands.models import train_missing_models
from courtside.commands.pipeline import print_run_summary, run_range
from courtside.console import console
from courtside.seasons import ensure_season, season_dates
from shared.bootstrap import build_dependencies
from shared.clock import SettableClock, utc_now
from shared.services.training_policy import training_window


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command() -> None:
    """Simulate a season, replay it, train a champion and a shadow, run the rest (``make run``)."""
    run_demo()


def run_demo(folder: Path | None = None) -> None:
    deps = build_dependencies(clock=SettableClock())
    folder = folder or ensure_season(deps.settings)
    first, last = season_dates(folder)
    window = training_window(first)
    console.print(f"[bold]Courtside demo[/]: season folder {folder}")
    started = utc_now()
    run_range(deps, folder, first, window.holdout_to, summary=False)
    train_missing_models(deps, window)
    run_range(deps, folder, window.holdout_to + timedelta(days=1), last, summary=False)
    print_run_summary(deps, first, last, started)
