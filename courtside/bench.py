"""``make bench``: cold starts, peak memory and season wall time, each next to its target.

A benchmark, not a test: it measures on this machine and prints a table (target, measured, pass/miss)
and writes ``.bench/results.json``. What it does, in order, in a scratch folder (``.bench/work``):

1. simulates the season (timed);
2. ingests every file of the season with the ingest service alone, no chain (timed);
   then, in a fresh interpreter, one 200k-row lines file: its peak RSS (``courtside/bench_ingest.py``);
3. replays the season through the chain as ``make run`` does: replay to the training cut-off, train the
   champion and the challenger (timed separately), replay the rest. Just before a mid-season date it
   copies the home, and it records every delivery that date produces (and the first alert on or after it);
4. delivers those recorded events, in order, to the vendored ``build/functions/<name>/`` folders, each in a
   fresh isolated interpreter on a copy of that home: import + first real event = the cold start, the
   child's own peak RSS = its memory for the date (``courtside/bench_cold_starts.py``);
5. times one feature build and a whole-season feature backfill, and reads the warm per-date latencies of
   the replay from ``nba_orchestration.pipeline_runs``;
6. times every dashboard page on the full season (``courtside/bench_pages.py``: median and p95 server time);
7. replays five earlier seasons of one simulated league and then the season to a mid-season date into one
   home, and runs that date through every function on one season of history and on five
   (``courtside/bench_history.py``): warehouse statements per invocation, rows scanned, seconds and
   estimated BigQuery bytes billed per function, each the median of seven runs, and the ratio five / one
   (target <= 1.2), with the day's bytes billed on each history; with
   ``--history-seasons 10`` ten seasons (and the last replayed in full against the first: target <= 1.3;
   memory per function-date on ten seasons), much slower;
8. times a walk-forward backtest of ``experiments/v1_baseline.yaml`` over the season with monthly folds
   and a season backfill from the warehouse (``courtside/bench_lifecycle.py``);
9. the bulk floor (``courtside/bench_floor.py``): on the home step 2 ingested, one feature pass, one
   prediction pass and one grading pass over the season; the replay's time over the floor (target <= 3),
   medians of three runs (step 3's replay and this floor, then two more replays each followed by a floor).

The measurements are ``courtside/bench_season.py``'s and ``courtside/bench_cold_starts.py``'s; the table
and ``results.json`` are ``courtside/bench_report.py``'s. Times are wall-clock on whatever else the machine
is doing: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
from dataclasses import asdict
from datetime import date
from pathlib import Path

from courtside.bench_cold_starts import bench_functions, measured_runs, memory_limit_mb
from courtside.bench_floor import FLOOR_RATIO, FloorRun, bench_floor, floor_runs
from courtside.bench_history import (
    DATE_RUNS,
    REPLAY_RATIO,
    bench_history,
    build_history,
    memory_on_history,
    print_history,
    replay_pairs,
    replay_ratio,
)
from courtside.bench_ingest import add_ingest_measurements
from courtside.bench_lifecycle import bench_backfill, bench_walk_forward
from courtside.bench_pages import PAGE_P95_S, page_timings
from courtside.bench_report import Measurement, print_table, write_results
from courtside.bench_season import (
    bench_features,
    bench_ingest_season,
    bench_season,
    bench_simulate,
    handler_seconds,
    pick_date,
    replay_latencies,
)
from courtside.console import console
from courtside.fixtures import close_warehouse
from courtside.seasons import DEFAULT_SEED, season_dates
from shared.topology import FUNCTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent

# Targets on the 2-core reference machine.
COLD_START_S = 0.5
COLD_START_PREDICTION_S = 1.5
SEASON_S = 60.0
WALK_FORWARD_S = 90.0
# The bulk floor's figure is the median of this many replay + floor runs (the bench's own first).
FLOOR_REPEATS = 3


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", type=Path, default=REPO_ROOT / "build" / "functions")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".bench" / "work")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / ".bench" / "results.json")
    parser.add_argument("--date", type=date.fromisoformat, default=None, help="game date for the functions")
    parser.add_argument(
        "--history-seasons",
        type=int,
        default=5,
        help="seasons of one league replayed before the history bench's date (10: the 10-season figures)",
    )
    args = parser.parse_args(argv)
    if not (args.build / "ingest" / "main.py").is_file():
        raise SystemExit(f"{args.build} has no vendored functions: run `make vendor` first")
    logging.basicConfig(level=logging.ERROR)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    measurements: list[Measurement] = []

    def add(
        group: str, name: str, value: float, unit: str, target: float | None = None, note: str = ""
    ) -> None:
        measurements.append(Measurement(group, name, value, unit, target, note))

    console.print("[bold]bench[/]: simulating the season")
    folder, simulate_s = bench_simulate(work)
    first, last = season_dates(folder)
    chosen = pick_date(folder, first, last, args.date)
    add("season", "simulate a full season", simulate_s, "s", note=f"{first} .. {last}")

    console.print("[bold]bench[/]: ingesting the season without the chain")
    files, ingest = bench_ingest_season(work, folder, first, last)
    add(
        "season",
        "ingest a full season (no chain)",
        ingest[0],
        "s",
        note=f"{files} files; CPU {ingest[1]:.1f} s",
    )

    console.print("[bold]bench[/]: ingest of one large lines file, in a fresh interpreter")
    add_ingest_measurements(add, work, folder)

    console.print("[bold]bench[/]: replaying the season through the chain (as make run)")
    season = bench_season(work, folder, first, last, chosen)
    add(
        "season",
        "season on the chain (courtside run)",
        season.replay_s,
        "s",
        SEASON_S,
        f"training excluded; CPU {season.replay_cpu_s:.1f} s (all threads)",
    )
    add("season", "training champion + challenger", season.training_s, "s")
    add(
        "season",
        "season on the chain incl. training",
        season.replay_s + season.training_s,
        "s",
        note=f"{season.files} files landed",
    )

    console.print(f"[bold]bench[/]: cold starts of the vendored functions on {chosen}")
    runs = bench_functions(
        args.build, season.snapshot, season.deps.settings.raw_bucket, season.recorded, folder, chosen, work
    )
    firsts = measured_runs(runs)
    for function in FUNCTIONS:
        run = firsts.get(function)
        if run is None:
            add("cold start", function, float("nan"), "s", note="no event recorded")
            continue
        limit = COLD_START_PREDICTION_S if function == "prediction" else COLD_START_S
        heavy = ", ".join(run.heavy) or "none"
        add(
            "cold start",
            f"{function} ({run.topic})",
            run.cold_s,
            "s",
            limit,
            f"import {run.import_s:.3f} + first event {run.handle_s:.3f}; {run.status}; heavy: {heavy}",
        )
    for function in FUNCTIONS:
        own = [r for r in runs if r.function == function]
        if not own:
            continue
        limit = memory_limit_mb(function)
        add(
            "peak memory",
            function,
            max(r.peak_mb for r in own),
            "MB",
            limit,
            f"max of {len(own)} deliveries on {chosen}",
        )

    console.print("[bold]bench[/]: feature build and backfill")
    one_s, backfill_s, days = bench_features(season.deps, first, last, chosen)
    add("features", f"build_features one date ({chosen})", one_s, "s")
    add("features", "whole-season backfill", backfill_s, "s", note=f"{days} dates")

    prediction = firsts.get("prediction")
    if prediction is not None:
        add("prediction", "cold start (imports + model load + date)", prediction.cold_s, "s")
    latencies = replay_latencies(season.deps, "prediction")
    if latencies:
        add(
            "prediction",
            "per-date latency, warm (median)",
            statistics.median(latencies),
            "s",
            note=f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.3f} s over {len(latencies)} dates",
        )
    for function, (count, seconds) in sorted(handler_seconds(season.deps).items(), key=lambda x: -x[1][1]):
        add("handler time", function, seconds, "s", note=f"summed over {count} runs of the replay")
    console.print(f"[bold]bench[/]: dashboard page server times on {chosen}")
    for timing in page_timings(season.deps, chosen):
        note = f"median {timing.median_s * 1000:.0f} ms over {timing.repeats} requests (p95 shown)"
        add("dashboard", timing.path, timing.p95_s, "s", PAGE_P95_S, note)

    console.print("[bold]bench[/]: walk-forward of experiments/v1_baseline.yaml, monthly folds")
    walk_s, walk_cpu_s, walk = bench_walk_forward(season.deps, first, last)
    add(
        "lifecycle",
        "walk-forward, one config, monthly folds",
        walk_s,
        "s",
        WALK_FORWARD_S,
        f"{len(walk.folds)} folds, {sum(f.dates_predicted for f in walk.folds)} dates, "
        f"{sum(f.bets for f in walk.folds)} bets; CPU {walk_cpu_s:.1f} s",
    )

    console.print("[bold]bench[/]: backfill of the season from the warehouse (courtside backfill)")
    backfill_s, backfill_cpu_s, filled = bench_backfill(season.deps, first, last)
    add(
        "lifecycle",
        "season backfill from the warehouse, every step",
        backfill_s,
        "s",
        note=f"{len(filled.dates)} game dates, {sum(filled.outcomes.values())} deliveries; "
        f"CPU {backfill_cpu_s:.1f} s",
    )
    close_warehouse(season.deps)

    console.print("[bold]bench[/]: the bulk floor (one pass per service over the season), 3 runs")
    floor = bench_floor(work / "ingest-home", first, last, ingest[0])
    floors = floor_runs(work, folder, first, last, FLOOR_REPEATS, done=(FloorRun(season.replay_s, floor),))
    add(
        "floor",
        "season in bulk: ingest + features + prediction + grading passes",
        floors.floor_s,
        "s",
        note=f"median of {len(floors.runs)}; first run: ingest {floor.ingest_s:.1f} + features "
        f"{floor.features_s:.1f} + prediction {floor.prediction_s:.1f} + grading {floor.grading_s:.1f} s; "
        f"training {floor.training_s:.1f} s excluded; {len(floor.problems)} problem(s)",
    )
    add(
        "floor",
        "season on the chain / bulk floor",
        floors.ratio,
        "x",
        FLOOR_RATIO,
        f"medians of {len(floors.runs)} (each a replay, then a floor: {floors.shown()}); "
        f"replay / passes without ingest: {floors.replay_s / floors.passes_s:.2f}",
    )

    history_seasons = args.history_seasons
    console.print(
        f"[bold]bench[/]: replaying {history_seasons} seasons of one league, then a date on 1.."
        f"{history_seasons} seasons of history ({DATE_RUNS} runs each)"
    )
    built = build_history(
        work, history_seasons, DEFAULT_SEED, args.date, full_last_season=history_seasons >= 10
    )
    replay_pairs(built, work)
    history, history_rows = bench_history(built, work)
    ratio, cpu_ratio = replay_ratio(built), replay_ratio(built, cpu=True)
    if ratio is not None:
        add(
            "history",
            f"last season on {history_seasons} seasons / first season",
            ratio,
            "x",
            REPLAY_RATIO,
            f"medians of {len(built.last_replays)} replays each, in turns; CPU {cpu_ratio:.2f}",
        )
        for function, peak in memory_on_history(built, work, args.build).items():
            add(
                "history",
                f"peak memory on {history_seasons} seasons, {function}",
                peak,
                "MB",
                memory_limit_mb(function),
                f"{built.day}'s deliveries, each in a fresh interpreter",
            )

    print_table(measurements, f"Courtside bench ({os.cpu_count()} cores)")
    print_history(history, history_rows, built)
    write_results(
        args.out,
        chosen.isoformat(),
        measurements,
        runs,
        history=[
            {
                **asdict(c),
                "rows_ratio": [c.rows_ratio(i) for i in range(1, len(c.seasons))],
                "seconds_ratio": [c.seconds_ratio(i) for i in range(1, len(c.seasons))],
            }
            for c in history
        ],
    )
    console.print(f"results written to {args.out}")
    misses = [m for m in measurements if m.passed is False]
    if misses:
        console.print(f"[bold red]{len(misses)} measurement(s) miss their target[/]")


if __name__ == "__main__":
    main()
