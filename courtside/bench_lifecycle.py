"""``make bench``'s model-lifecycle measurements, on the warehouse the season replay left:

- a walk-forward backtest of ``experiments/v1_baseline.yaml`` over the season, monthly folds (retrain every
  30 days): the service ``courtside experiment run`` runs (``shared.services.walk_forward``);
- a season backfill from the warehouse (every step, every date): what ``courtside backfill`` runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from courtside.bench_season import timed
from courtside.commands.backfill import RecordingBus, runtime_delivery
from shared.bootstrap import Dependencies, build_dependencies
from shared.experiment_config import ExperimentConfig, load_experiment_config
from shared.services.backfill import STEPS, BackfillReport, backfill
from shared.services.training_policy import HOLDOUT_DAYS, TRAINING_DAYS
from shared.services.walk_forward import WalkForwardReport, run_walk_forward

BASELINE_CONFIG = Path(__file__).resolve().parent.parent / "experiments" / "v1_baseline.yaml"
MONTHLY = 30


def season_config(first: date, last: date) -> ExperimentConfig:
    """The baseline config on this season: expanding from its first date, evaluated after the champion's
    training and holdout weeks (as the champion serves), retrained monthly."""
    config = load_experiment_config(BASELINE_CONFIG)
    evaluated_from = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    return config.model_copy(
        update={
            "training_window": config.training_window.model_copy(update={"start": first}),
            "retrain_every_days": MONTHLY,
            "evaluation": config.evaluation.model_copy(update={"date_from": evaluated_from, "date_to": last}),
        }
    )


def bench_walk_forward(deps: Dependencies, first: date, last: date) -> tuple[float, float, WalkForwardReport]:
    """(wall seconds, CPU seconds, report) of one seed's walk-forward over the season."""
    config = season_config(first, last)
    with timed() as walk:
        report = run_walk_forward(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            config,
            BASELINE_CONFIG.stem,
            config.seeds[0],
            cache=deps.cache,
        )
    return walk[0], walk[1], report


def bench_backfill(deps: Dependencies, first: date, last: date) -> tuple[float, float, BackfillReport]:
    """(wall seconds, CPU seconds, report) of ``courtside backfill`` over the whole season, every step."""
    bus = RecordingBus()
    backfill_deps = build_dependencies(deps.settings, warehouse=deps.warehouse, blobs=deps.blobs, bus=bus)
    with timed() as run:
        report = backfill(deps.warehouse, first, last, STEPS, runtime_delivery(backfill_deps, bus))
    return run[0], run[1], report
