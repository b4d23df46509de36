"""The bulk floor of a season (``make bench``): the same work as the replay, one service at a time.

The replay runs a season the way production lives it, date by date, every function woken by the one before.
The floor is that season's work done in bulk by the same production code: the raw files ingested by the
ingest service alone (the bench's "ingest a full season (no chain)" home), then one pass per service over
the whole season with the backfill service (``shared/services/backfill.py``, each step through the
runtime as ``courtside backfill --steps ...`` runs it): the features of every date, then, once the champion
and the challenger are trained on the same window as the replay's (not timed, as in the replay), the
predictions and the grades of every date the replay predicted. Courtside has no set-based bulk mode (one
statement over many dates); this is the floor it has. Sharpness, diagnostics and alerts are not in the floor.

``replay seconds / floor seconds`` is the figure: target at most ``FLOOR_RATIO``.
"""

from __future__ import annotations

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


def main() -> None:
    """Replay / floor alone: ``python -m courtside.bench_floor [--repeats 3]`` (median of the runs)."""
    import argparse
    import logging
    import statistics

    from courtside.bench_season import bench_ingest_season, bench_season, bench_simulate, pick_date
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
    replays, floors = [], []
    for _ in range(args.repeats):
        season = bench_season(args.work, folder, first, last, pick_date(folder, first, last, None))
        close_warehouse(season.deps)
        replays.append(season.replay_s)
        _, ingest = bench_ingest_season(args.work, folder, first, last)
        floors.append(bench_floor(args.work / "ingest-home", first, last, ingest[0]))
        print(f"replay {season.replay_s:.1f} s; floor {floors[-1]}", flush=True)
    replay_s = statistics.median(replays)
    floor_s = statistics.median(f.total_s for f in floors)
    passes_s = statistics.median(f.passes_s for f in floors)
    verdict = "pass" if replay_s / floor_s <= FLOOR_RATIO else "MISS"
    print(
        f"median of {args.repeats}: replay {replay_s:.1f} s, floor {floor_s:.1f} s "
        f"(passes without ingest {passes_s:.1f} s): replay / floor {replay_s / floor_s:.2f} "
        f"(target <= {FLOOR_RATIO}) {verdict}; replay / passes {replay_s / passes_s:.2f}"
    )


if __name__ == "__main__":
    main()
