"""The bulk floor of a season (``make bench``): the same work as the replay, one service at a time.

The replay runs a season the way production lives it, date by date, every function woken by the one before.
The floor is that season's work done in bulk by the same production code: the raw files ingested by the
ingest service alone (the bench's "ingest a full season (no chain)" home), then one pass per service over
the whole season with the backfill service (``shared/services/backfill.py``, each step through the
runtime as ``courtside backfill --steps ...`` runs it): the features of every date, then, once the champion
and the challenger are trained on the same window as the replay's (not timed, as in the replay), the
predictions and the grades of every date the replay predicted. Courtside has no set-based bulk mode (one
statement over many dates); this is the floor it has. Sharpness, diagnostics and alerts are not in the floor.

``replay seconds / floor seconds`` is the figure, medians of three runs, each a replay and then a floor
(``floor_runs``): target at most ``FLOOR_RATIO``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from courtside.bench_season import timed
from courtside.commands.backfill import RecordingBus, runtime_delivery
from courtside.fixtures import close_warehouse, local_dependencies
from shared.bootstrap import build_dependencies
from shared.services.backfill import backfill
from shared.services.training_policy import ensure_models, training_window

FLOOR_RATIO = 3.0


@dataclass(frozen=True)
class Floor:
    ingest_s: float
    features_s: float
    prediction_s: float
    grading_s: float
    training_s: float  # not in the floor (the replay's time excludes training too)
    problems: tuple[str, ...]

    @property
    def passes_s(self) -> float:
        return self.features_s + self.prediction_s + self.grading_s

    @property
    def total_s(self) -> float:
        return self.ingest_s + self.passes_s


def bench_floor(ingested_home: Path, first: date, last: date, ingest_s: float) -> Floor:
    """One pass per service over the season on ``ingested_home`` (raw rows only, ingested in ``ingest_s``)."""
    deps = local_dependencies(ingested_home)
    bus = RecordingBus()
    runtime = build_dependencies(deps.settings, warehouse=deps.warehouse, blobs=deps.blobs, bus=bus)
    deliver = runtime_delivery(runtime, bus)
    window = training_window(first)
    predicted_from = window.holdout_to + timedelta(days=1)  # the replay predicts once the models are trained
    try:
        with timed() as features:
            built = backfill(deps.warehouse, first, last, ("features",), deliver)
        with timed() as training:
            ensure_models(deps.warehouse, deps.blobs, deps.settings, window)
        with timed() as prediction:
            predicted = backfill(deps.warehouse, predicted_from, last, ("prediction",), deliver)
        with timed() as grading:
            graded = backfill(deps.warehouse, predicted_from, last, ("grading",), deliver)
    finally:
        close_warehouse(deps)
    problems = tuple(built.problems + predicted.problems + graded.problems)
    return Floor(ingest_s, features[0], prediction[0], grading[0], training[0], problems)


@dataclass(frozen=True)
class FloorRun:
    """One replay of the season on the chain and, right after it, one bulk floor of the same season."""

    replay_s: float
    floor: Floor


@dataclass(frozen=True)
class FloorRatio:
    """Medians of the runs: replay, floor, the floor's passes without ingest, and replay / floor."""

    runs: tuple[FloorRun, ...]

    @property
    def replay_s(self) -> float:
        return statistics.median(r.replay_s for r in self.runs)

    @property
    def floor_s(self) -> float:
        return statistics.median(r.floor.total_s for r in self.runs)

    @property
    def passes_s(self) -> float:
        return statistics.median(r.floor.passes_s for r in self.runs)

    @property
    def ratio(self) -> float:
        return self.replay_s / self.floor_s

    def shown(self) -> str:
        return "; ".join(f"replay {r.replay_s:.1f} s / floor {r.floor.total_s:.1f} s" for r in self.runs)


def floor_runs(
    work: Path, folder: Path, first: date, last: date, repeats: int, done: tuple[FloorRun, ...] = ()
) -> FloorRatio:
    """Replay the season and do its floor, in turns (both see the same load), until there are ``repeats``
    runs (``done``: runs measured already, e.g. ``make bench``'s own replay and floor)."""
    from courtside.bench_season import bench_ingest_season, bench_season

    runs = list(done)
    while len(runs) < repeats:
        season = bench_season(work, folder, first, last, None)
        close_warehouse(season.deps)
        _, ingest = bench_ingest_season(work, folder, first, last)
        runs.append(FloorRun(season.replay_s, bench_floor(work / "ingest-home", first, last, ingest[0])))
        print(f"replay {runs[-1].replay_s:.1f} s; floor {runs[-1].floor}", flush=True)
    return FloorRatio(tuple(runs))


def main() -> None:
    """Replay / floor alone: ``python -m courtside.bench_floor [--repeats 3]`` (median of the runs)."""
    import argparse
    import logging

    from courtside.bench_season import bench_simulate
    from courtside.seasons import season_dates

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    repo_root = Path(__file__).resolve().parent.parent
    parser.add_argument("--work", type=Path, default=repo_root / ".bench" / "floor")
    parser.add_argument("--season", type=Path, default=None, help="a season folder (default: simulate one)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    args.work.mkdir(parents=True, exist_ok=True)
    folder = args.season or bench_simulate(args.work)[0]
    first, last = season_dates(folder)
    measured = floor_runs(args.work, folder, first, last, args.repeats)
    verdict = "pass" if measured.ratio <= FLOOR_RATIO else "MISS"
    print(
        f"median of {args.repeats}: replay {measured.replay_s:.1f} s, floor {measured.floor_s:.1f} s "
        f"(passes without ingest {measured.passes_s:.1f} s): replay / floor {measured.ratio:.2f} "
        f"(target <= {FLOOR_RATIO}) {verdict}; replay / passes {measured.replay_s / measured.passes_s:.2f}"
    )


if __name__ == "__main__":
    main()
