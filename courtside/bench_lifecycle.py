"""``make bench``'s model-lifecycle measurements, on the warehouse the season replay left:

- a walk-forward backtest of ``experiments/v1_baseline.yaml`` over the season, monthly folds (retrain every
  30 days): the service ``courtside experiment run`` runs (``shared.services.walk_forward``);
- a season backfill from the warehouse (every step, every date): what ``courtside backfill`` runs.

Alone, on a home a season was replayed into (``make run``, ``courtside demo``), the walk-forward only:
``python -m courtside.bench_lifecycle --home .courtside [--profile walk.prof]`` (the machine's load average
is printed beside the time: on a shared machine it moves the wall time, not the CPU time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
from datetime import date, timedelta
from pathlib import Path

from courtside.bench_season import timed
from courtside.commands.backfill import RecordingBus, runtime_delivery
from courtside.fixtures import close_warehouse, local_dependencies
from shared import run_log
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


def season_span(deps: Dependencies) -> tuple[date, date]:
    """The first and last game dates the replay ran."""
    first, last = run_log.game_date_bounds(deps.warehouse)
    if first is None or last is None:
        raise SystemExit(f"{deps.settings.home}: nothing was replayed here (run `courtside demo` first)")
    return first, last


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, default=Path(".courtside"))
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the walk-forward")
    args = parser.parse_args(argv)
    deps = local_dependencies(args.home)
    first, last = season_span(deps)
    profiler = cProfile.Profile() if args.profile else None
    load_before = os.getloadavg()[0]
    if profiler:
        profiler.enable()
    wall, cpu, report = bench_walk_forward(deps, first, last)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    close_warehouse(deps)
    print(
        f"walk-forward of {BASELINE_CONFIG.name} over {first}..{last}, monthly folds: {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU; {len(report.folds)} folds, {sum(f.dates_predicted for f in report.folds)} dates, "
        f"{sum(f.bets for f in report.folds)} bets; run {report.run_id}; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (1 min)"
    )


if __name__ == "__main__":
    main()
