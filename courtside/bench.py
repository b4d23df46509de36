"""``make bench``: cold starts, peak memory and season wall time, each next to its target.

A benchmark, not a test: it measures on this machine and prints a table (target, measured, pass/miss)
and writes ``.bench/results.json``. What it does, in order, in a scratch folder (``.bench/work``):

1. simulates the season (timed);
2. ingests every file of the season with the ingest service alone, no chain (timed);
3. replays the season through the chain as ``make run`` does: replay to the training cut-off, train the
   champion and the challenger (timed separately), replay the rest. Just before a mid-season date it
   copies the home, and it records every delivery that date produces (and the first alert on or after it);
4. delivers those recorded events, in order, to the vendored ``build/functions/<name>/`` folders, each in a
   fresh isolated interpreter on a copy of that home: import + first real event = the cold start, the
   child's peak RSS (``os.wait4``) = its memory for the date;
5. times one feature build and a whole-season feature backfill, and reads the warm per-date latencies of
   the replay from ``nba_orchestration.pipeline_runs``;
6. runs the mid-season date through every function on one season of history and on five
   (``courtside/bench_history.py``): warehouse statements per invocation, rows scanned and seconds per
   function, and the ratio five / one (target <= 1.2).

Times are wall-clock on whatever else the machine is doing: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from courtside.bench_history import bench_history, print_history
from courtside.demo import ensure_models, training_window
from courtside.replay import MORNING, DayReport, replay, season_files
from courtside.seasons import DEFAULT_SEASON, DEFAULT_SEED, season_dates
from shared import run_log
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock, date_range, eastern_datetime
from shared.settings import Settings
from shared.topology import FUNCTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent
console = Console(width=200)

# Targets on the 2-core reference machine.
COLD_START_S = 0.5
COLD_START_PREDICTION_S = 1.5
PEAK_MB = 256.0
PEAK_PREDICTION_MB = 512.0
SEASON_S = 60.0
# Libraries a function's cold start should not pay for unless it needs them (only prediction does).
HEAVY_MODULES = (
    "pandas",
    "catboost",
    "pyarrow",
    "sqlglot",
    "google.cloud.bigquery",
    "google.cloud.pubsub_v1",
    "google.cloud.storage",
)

# The delivery whose cold start is measured: the first one of each function on the chosen date, except
# ingest, whose measured delivery is the morning lines file (the other files still run, for the state).
_INGEST_MEASURED_SUFFIX = "_open.csv"

CHILD = textwrap.dedent(
    """
    import json, sys, time
    started = time.perf_counter()
    folder, function, event_file = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, folder)
    import main
    imported = time.perf_counter()
    from cloudevents.http import CloudEvent
    spec = json.loads(open(event_file, encoding="utf-8").read())
    event = CloudEvent(spec["attributes"], spec["data"])
    constructed = time.perf_counter()
    getattr(main, function)(event)
    handled = time.perf_counter()
    heavy = sorted(h for h in HEAVY if h in sys.modules)
    # Peak RSS of this program alone: after fork + exec, Linux's ru_maxrss still carries the parent's
    # peak (the bench's own, hundreds of MB), so the child reads its own high-water mark.
    status = open("/proc/self/status", encoding="utf-8").read()
    hwm_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    from shared.bootstrap import default_dependencies
    from shared.run_log import run_of_event
    runs = run_of_event(default_dependencies().warehouse, function, spec["id"])
    print(json.dumps({"import_s": imported - started, "handle_s": handled - constructed,
                      "heavy": heavy, "hwm_kb": hwm_kb, "runs": runs}, default=str))
    """
).replace("HEAVY", repr(HEAVY_MODULES))


@dataclass
class Measurement:
    group: str
    name: str
    value: float
    unit: str  # s | MB | count
    target: float | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.value < self.target


@dataclass
class Recorded:
    function: str
    event_id: str
    topic: str
    attributes: dict[str, Any]
    data: Any


@dataclass
class ChildRun:
    function: str
    topic: str
    object_name: str
    import_s: float
    handle_s: float
    peak_mb: float
    status: str
    heavy: list[str] = field(default_factory=list)

    @property
    def cold_s(self) -> float:
        return self.import_s + self.handle_s


# -- helpers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    """Yields a list that holds [wall seconds, CPU seconds of this process] once the block ends."""
    box: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield box
    finally:
        box += [time.perf_counter() - started, time.process_time() - cpu]


def deps_at(home: Path) -> Dependencies:
    env = dict(os.environ)
    env["COURTSIDE_HOME"] = str(home)
    env["COURTSIDE_BACKEND"] = "local"
    for name in ("PUBSUB_EMULATOR_HOST", "STORAGE_EMULATOR_HOST", "SLACK_WEBHOOK_URL"):
        env.pop(name, None)
    return build_dependencies(Settings.from_env(env), clock=SettableClock())


def copy_home(deps: Dependencies, target: Path) -> None:
    """A consistent copy of a home's warehouse and blobs (the season folder is not needed)."""
    close_warehouse(deps)  # flushes the write-ahead log into the file; reconnects on next use
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    settings = deps.settings
    for path in settings.duckdb_path.parent.glob(settings.duckdb_path.name + "*"):
        shutil.copy2(path, target / path.name)
    if settings.blob_root.is_dir():
        shutil.copytree(settings.blob_root, target / settings.blob_root.name)


def close_warehouse(deps: Dependencies) -> None:
    close = getattr(deps.warehouse, "close", None)
    if callable(close):
        close()


def quietly(action: Callable[[], Any]) -> Any:
    with contextlib.redirect_stdout(io.StringIO()):
        return action()


def season_files_in_order(folder: Path, first: date, last: date) -> list[Path]:
    files = [folder / "schedule" / "season.csv"]
    for day in date_range(first, last):
        morning, evening = season_files(folder, day)
        files += morning + evening
    return files


def pick_date(folder: Path, first: date, last: date, wanted: date | None) -> date:
    """A mid-season date with games, after the models are trained (or the date asked for)."""
    _, _, holdout_to = training_window(first)
    start = wanted or holdout_to + (last - holdout_to) / 2
    for day in date_range(start, last):
        morning, evening = season_files(folder, day)
        if any(p.name.endswith(_INGEST_MEASURED_SUFFIX) for p in morning) and evening:
            return day
    raise SystemExit(f"no date with games and lines from {start} in {folder}")


# -- the measurements ------------------------------------------------------------------------------


def bench_simulate(work: Path) -> tuple[Path, float]:
    from courtside.simulator import simulate_season

    folder = work / "season"
    shutil.rmtree(folder, ignore_errors=True)
    with timed() as elapsed:
        simulate_season(folder, season=DEFAULT_SEASON, seed=DEFAULT_SEED, scenario="clean")
    return folder, elapsed[0]


def bench_ingest_season(work: Path, folder: Path, first: date, last: date) -> tuple[int, list[float]]:
    from shared.services.ingest import IngestRefusedError, ingest_object

    home = work / "ingest-home"
    shutil.rmtree(home, ignore_errors=True)
    deps = deps_at(home)
    files = season_files_in_order(folder, first, last)
    bucket = deps.settings.raw_bucket
    with timed() as elapsed:
        for path in files:
            name = path.relative_to(folder).as_posix()
            deps.blobs.write_bytes(bucket, name, path.read_bytes())
            loaded_at = deps.clock()
            with contextlib.suppress(IngestRefusedError):
                ingest_object(deps.warehouse, deps.blobs, bucket, name, loaded_at)
    close_warehouse(deps)
    return len(files), elapsed


@dataclass
class SeasonRun:
    replay_s: float
    replay_cpu_s: float
    training_s: float
    files: int
    snapshot: Path
    recorded: list[Recorded]
    deps: Dependencies


def bench_season(work: Path, folder: Path, first: date, last: date, chosen: date) -> SeasonRun:
    """The demo's season on the chain; copies the home before ``chosen`` and records that date's events."""
    from shared.runtime import handle_cloud_event

    home = work / "season-home"
    snapshot = work / "snapshot-home"
    shutil.rmtree(home, ignore_errors=True)
    deps = deps_at(home)
    recorded: list[Recorded] = []
    state = {"recording": False, "alert_seen": False, "copy_s": 0.0, "copy_cpu_s": 0.0}

    def deliver(function: str, cloud_event: Any) -> Any:
        if state["recording"] or (function == "alerts" and not state["alert_seen"] and recorded):
            event_id = str(cloud_event["id"])
            if not any(r.function == function and r.event_id == event_id for r in recorded):
                recorded.append(
                    Recorded(
                        function,
                        event_id,
                        str(cloud_event.data.get("message", {}).get("attributes", {}).get("courtside_topic")),
                        dict(cloud_event.get_attributes()),
                        cloud_event.data,
                    )
                )
                state["alert_seen"] = state["alert_seen"] or function == "alerts"
        return handle_cloud_event(function, cloud_event, deps)

    deps.bus.connect(deliver, clock=deps.clock)  # type: ignore[attr-defined]

    def on_day(report: DayReport) -> None:
        if report.game_date == chosen - timedelta(days=1):
            with timed() as copying:
                copy_home(deps, snapshot)
            state["copy_s"] += copying[0]
            state["copy_cpu_s"] += copying[1]
            state["recording"] = True
        elif report.game_date == chosen:
            state["recording"] = False

    _, _, holdout_to = training_window(first)
    reports: list[DayReport] = []
    with timed() as first_part:
        reports += replay(deps, folder, first, holdout_to, on_day=on_day)
    with timed() as training:
        quietly(lambda: ensure_models(deps, first))
    with timed() as second_part:
        reports += replay(deps, folder, holdout_to + timedelta(days=1), last, on_day=on_day)
    replay_s = first_part[0] + second_part[0] - state["copy_s"]
    replay_cpu_s = first_part[1] + second_part[1] - state["copy_cpu_s"]
    files = sum(len(r.files) for r in reports) + 1
    return SeasonRun(replay_s, replay_cpu_s, training[0], files, snapshot, recorded, deps)


def run_child(build: Path, home: Path, event: Recorded, scratch: Path) -> ChildRun:
    spec = scratch / f"{event.function}-{event.event_id}.json"
    spec.write_text(
        json.dumps({"id": event.event_id, "attributes": event.attributes, "data": event.data}, default=str),
        encoding="utf-8",
    )
    folder = build / event.function
    env = {"COURTSIDE_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    with (
        open(scratch / "child.out", "w+b") as out,
        open(scratch / "child.err", "w+b") as err,
        subprocess.Popen(
            [sys.executable, "-I", "-c", CHILD, str(folder), event.function, str(spec)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=err,
        ) as child,
    ):
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"{event.function} child failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    runs = result["runs"]
    return ChildRun(
        function=event.function,
        topic=event.topic,
        object_name=str(_object_name(event)),
        import_s=float(result["import_s"]),
        handle_s=float(result["handle_s"]),
        peak_mb=(int(result["hwm_kb"]) or usage.ru_maxrss) / 1024.0,  # kilobytes on Linux
        status=str(runs[0]["status"]) if runs else "no run recorded",
        heavy=list(result["heavy"]),
    )


def _object_name(event: Recorded) -> str:
    if event.function != "ingest":
        return ""
    import base64

    payload = json.loads(base64.b64decode(event.data["message"]["data"]))
    return str(payload.get("name", ""))


def bench_functions(build: Path, season: SeasonRun, folder: Path, chosen: date, work: Path) -> list[ChildRun]:
    """Deliver the recorded events of ``chosen`` in order to the vendored folders, each in a fresh child."""
    home = work / "functions-home"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(season.snapshot, home)
    raw = home / "blobs" / season.deps.settings.raw_bucket
    morning, evening = season_files(folder, chosen)
    for path in morning + evening:  # the objects the recorded storage notifications name
        target = raw / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    scratch = work / "events"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    return [run_child(build, home, event, scratch) for event in season.recorded]


def measured_runs(runs: list[ChildRun]) -> dict[str, ChildRun]:
    chosen: dict[str, ChildRun] = {}
    for run in runs:
        if run.function == "ingest" and not run.object_name.endswith(_INGEST_MEASURED_SUFFIX):
            continue
        chosen.setdefault(run.function, run)
    return chosen


def bench_features(deps: Dependencies, first: date, last: date, chosen: date) -> tuple[float, float, int]:
    from shared.services.feature_store import build_features

    def build(day: date) -> None:
        build_features(deps.warehouse, day, eastern_datetime(day, *MORNING), deps.settings)

    with timed() as one:
        build(chosen)
    days = date_range(first, last)
    with timed() as backfill:
        for day in days:
            build(day)
    return one[0], backfill[0], len(days)


def replay_latencies(deps: Dependencies, function: str) -> list[float]:
    return sorted(ms / 1000.0 for ms in run_log.successful_durations(deps.warehouse, function))


def handler_seconds(deps: Dependencies) -> dict[str, tuple[int, float]]:
    rows = run_log.time_per_function(deps.warehouse)
    return {str(r["function_name"]): (int(r["runs"]), int(r["ms"] or 0) / 1000.0) for r in rows}


# -- report ----------------------------------------------------------------------------------------


def _format(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g}"


def print_table(measurements: list[Measurement], title: str) -> None:
    table = Table(title=title)
    for column in ("group", "measurement", "target", "measured", "", "note"):
        table.add_column(column, justify="right" if column in {"target", "measured"} else "left")
    for m in measurements:
        marker = {True: "[green]pass[/]", False: "[bold red]MISS[/]", None: ""}[m.passed]
        target = f"< {_format(m.target, m.unit)}" if m.target is not None else ""
        table.add_row(m.group, m.name, target, _format(m.value, m.unit), marker, m.note)
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", type=Path, default=REPO_ROOT / "build" / "functions")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".bench" / "work")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / ".bench" / "results.json")
    parser.add_argument("--date", type=date.fromisoformat, default=None, help="game date for the functions")
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
    runs = bench_functions(args.build, season, folder, chosen, work)
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
        limit = PEAK_PREDICTION_MB if function == "prediction" else PEAK_MB
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
    close_warehouse(season.deps)

    console.print(f"[bold]bench[/]: {chosen} with 1 and with 5 seasons of history (3 runs each)")
    history, history_rows = bench_history(
        season.snapshot, season.deps.settings.duckdb_path, folder, chosen, work
    )

    print_table(measurements, f"Courtside bench ({os.cpu_count()} cores)")
    print_history(history, history_rows, chosen)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "date": chosen.isoformat(),
                "measurements": [{**asdict(m), "passed": m.passed} for m in measurements],
                "deliveries": [{**asdict(r), "cold_s": r.cold_s} for r in runs],
                "history": [
                    {**asdict(c), "rows_ratio": c.rows_ratio, "seconds_ratio": c.seconds_ratio}
                    for c in history
                ],
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    console.print(f"results written to {args.out}")
    misses = [m for m in measurements if m.passed is False]
    if misses:
        console.print(f"[bold red]{len(misses)} measurement(s) miss their target[/]")


if __name__ == "__main__":
    main()
