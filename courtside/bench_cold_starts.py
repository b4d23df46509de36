"""Cold starts of the vendored functions: recorded deliveries replayed, each in a fresh isolated interpreter.

Each recorded event goes to ``build/functions/<name>/`` in ``python -I`` on a copy of the bench's home:
import + first real event = the cold start; the child's own peak RSS (``VmHWM``) = its memory.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from courtside.replay import season_files

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

# Peak memory of one function on one date (its own interpreter), on the 2-core reference machine.
PEAK_MB = 256.0
PEAK_PREDICTION_MB = 512.0


def memory_limit_mb(function: str) -> float:
    return PEAK_PREDICTION_MB if function == "prediction" else PEAK_MB


# The delivery whose cold start is measured: the first one of each function on the chosen date, except
# ingest, whose measured delivery is the morning lines file (the other files still run, for the state).
INGEST_MEASURED_SUFFIX = "_open.csv"

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

    payload = json.loads(base64.b64decode(event.data["message"]["data"]))
    return str(payload.get("name", ""))


def bench_functions(
    build: Path,
    snapshot: Path,
    raw_bucket: str,
    recorded: list[Recorded],
    folder: Path,
    chosen: date,
    work: Path,
) -> list[ChildRun]:
    """Deliver the events recorded on ``chosen`` in order to the vendored folders, each in a fresh child,
    on a copy of ``snapshot`` (the home just before that date)."""
    home = work / "functions-home"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(snapshot, home)
    raw = home / "blobs" / raw_bucket
    morning, evening = season_files(folder, chosen)
    for path in morning + evening:  # the objects the recorded storage notifications name
        target = raw / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    scratch = work / "events"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    return [run_child(build, home, event, scratch) for event in recorded]


def measured_runs(runs: list[ChildRun]) -> dict[str, ChildRun]:
    chosen: dict[str, ChildRun] = {}
    for run in runs:
        if run.function == "ingest" and not run.object_name.endswith(INGEST_MEASURED_SUFFIX):
            continue
        chosen.setdefault(run.function, run)
    return chosen
