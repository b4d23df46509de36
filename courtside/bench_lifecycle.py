"""``make bench``'s model-lifecycle measurement: a walk-forward backtest of ``experiments/v1_baseline.yaml``
over the benchmarked season, monthly folds (retrain every 30 days), on the warehouse the season replay left.

It runs the very service ``courtside experiment run`` runs (``shared.services.walk_forward``): training,
the production prediction and grading services, the evidence tables.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from courtside.bench_season import timed
from shared.bootstrap import Dependencies
from shared.experiment_config import ExperimentConfig, load_experiment_config
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
