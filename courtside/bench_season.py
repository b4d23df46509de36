"""The bench's season measurements: simulate, ingest without the chain, the chain as ``make run``, features.

The season on the chain also copies the home just before the chosen date and records every delivery that
date produces (and the first alert on or after it), for ``courtside/bench_cold_starts.py``.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from courtside.bench_cold_starts import INGEST_MEASURED_SUFFIX, Recorded
from courtside.fixtures import close_warehouse, copy_home, local_dependencies
from courtside.replay import MORNING, DayReport, replay, season_files
from courtside.seasons import DEFAULT_SEASON, DEFAULT_SEED
from shared import run_log
from shared.bootstrap import Dependencies
from shared.clock import date_range, eastern_datetime
from shared.services.training_policy import ensure_models, training_window


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    """Yields a list that holds [wall seconds, CPU seconds of this process] once the block ends."""
    box: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield box
    finally:
        box += [time.perf_counter() - started, time.process_time() - cpu]


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
        if any(p.name.endswith(INGEST_MEASURED_SUFFIX) for p in morning) and evening:
            return day
    raise SystemExit(f"no date with games and lines from {start} in {folder}")


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
    deps = local_dependencies(home)
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


def bench_season(
    work: Path,
    folder: Path,
    first: date,
    last: date,
    chosen: date | None,
    home: Path | None = None,
    snapshot: Path | None = None,
) -> SeasonRun:
    """The demo's season on the chain; copies the home before ``chosen`` and records that date's events.

    By default on a fresh ``work/season-home``; given a ``home``, the season is replayed on top of what
    that home already holds (the history bench replays consecutive seasons of one league into one home,
    and ``ensure_models`` trains only the aliases not held yet)."""
    from shared.runtime import handle_cloud_event

    if home is None:
        home = work / "season-home"
        shutil.rmtree(home, ignore_errors=True)
    snapshot = snapshot or work / "snapshot-home"
    deps = local_dependencies(home)
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
        if chosen is None:
            return
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
        ensure_models(deps.warehouse, deps.blobs, deps.settings, training_window(first))
    with timed() as second_part:
        reports += replay(deps, folder, holdout_to + timedelta(days=1), last, on_day=on_day)
    replay_s = first_part[0] + second_part[0] - state["copy_s"]
    replay_cpu_s = first_part[1] + second_part[1] - state["copy_cpu_s"]
    files = sum(len(r.files) for r in reports) + 1
    return SeasonRun(replay_s, replay_cpu_s, training[0], files, snapshot, recorded, deps)


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
