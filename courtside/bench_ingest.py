"""``make bench``, ingest part: the peak memory of ingesting one large lines file, and a wide header.

Issue 11 measured a 200k-row, 19 MB prop-lines file peaking at 732 MB in ingest, while the function has
512 MiB. Here a child interpreter (fresh, like a cold Cloud Function instance) ingests such a file, built
from a simulated season's line snapshots, through the ingest service; its peak RSS (VmHWM) is the figure.
Run alone: ``python -m courtside.bench_ingest SEASON_FOLDER [--rows N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LINES_ROWS = 200_000
HEADER_COLUMNS = 200_000
FUNCTION_MEMORY_MB = 512.0
LINES_OBJECT = "bench/lines-200k.csv"


@dataclass(frozen=True)
class IngestMemory:
    rows: int
    file_mb: float
    peak_mb: float  # peak RSS of the whole child process
    before_mb: float  # its RSS after imports and set-up, before the file is read
    seconds: float
    rows_loaded: int


def large_lines_file(folder: Path, target: Path, rows: int = LINES_ROWS) -> int:
    """The season's line snapshots, file after file, until ``rows`` data rows; returns the rows written."""
    written = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        for path in sorted((folder / "lines").glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as source:
                header = source.readline()
                if written == 0:
                    out.write(header)
                for line in source:
                    out.write(line)
                    written += 1
                    if written >= rows:
                        return written
    return written


def measure_lines_ingest(work: Path, folder: Path, rows: int = LINES_ROWS) -> IngestMemory:
    work.mkdir(parents=True, exist_ok=True)
    lines = work / "lines-large.csv"
    count = large_lines_file(folder, lines, rows)
    home = work / "ingest-memory-home"
    env = {**os.environ, "COURTSIDE_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "courtside.bench_ingest", "--child", str(folder), str(lines)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return IngestMemory(
        rows=count,
        file_mb=lines.stat().st_size / 1e6,
        peak_mb=result["peak_kb"] / 1024.0,
        before_mb=result["before_kb"] / 1024.0,
        seconds=result["seconds"],
        rows_loaded=result["rows_loaded"],
    )


def header_check_seconds(columns: int = HEADER_COLUMNS) -> float:
    """Reading a CSV whose header names ``columns`` distinct columns (the duplicate check is linear)."""
    from shared.ingest.readers import open_table

    data = (",".join(f"c{i}" for i in range(columns)) + "\n").encode()
    started = time.perf_counter()
    open_table(data, "wide.csv")
    return time.perf_counter() - started


def add_ingest_measurements(add: Callable[..., None], work: Path, folder: Path) -> None:
    """The two ingest rows of ``make bench``'s table (``add`` = bench.main's ``add``)."""
    memory = measure_lines_ingest(work / "ingest-memory", folder)
    note = (
        f"{memory.rows} rows, {memory.file_mb:.0f} MB; {memory.seconds:.1f} s; "
        f"{memory.before_mb:.0f} MB before reading"
    )
    add("ingest", "peak memory, one large lines file", memory.peak_mb, "MB", FUNCTION_MEMORY_MB, note)
    add("ingest", f"header check, {HEADER_COLUMNS} columns", header_check_seconds(), "s")


def _vm_kb(field: str) -> int:
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith(field)), 0)


def _child(folder: Path, lines: Path) -> None:
    """Land the season schedule and the large lines file; ingest the lines file; print the figures."""
    from shared.bootstrap import build_dependencies
    from shared.services.ingest import ingest_object
    from shared.settings import Settings

    deps = build_dependencies(Settings.from_env())
    bucket = deps.settings.raw_bucket
    at = datetime(2025, 10, 20, 16, tzinfo=UTC)
    deps.blobs.write_bytes(bucket, "schedule/season.csv", (folder / "schedule" / "season.csv").read_bytes())
    ingest_object(deps.warehouse, deps.blobs, bucket, "schedule/season.csv", at)
    deps.blobs.write_bytes(bucket, LINES_OBJECT, lines.read_bytes())
    before = _vm_kb("VmRSS:")
    started = time.perf_counter()
    report = ingest_object(deps.warehouse, deps.blobs, bucket, LINES_OBJECT, at)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "peak_kb": _vm_kb("VmHWM:"),
                "before_kb": before,
                "seconds": seconds,
                "rows_loaded": report.rows_valid,
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="a simulated season folder (courtside simulate)")
    parser.add_argument("lines", type=Path, nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=LINES_ROWS)
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".bench" / "work" / "ingest-memory")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.folder, args.lines)
        return
    memory = measure_lines_ingest(args.work, args.folder, args.rows)
    print(
        f"ingest of {memory.rows} line rows ({memory.file_mb:.1f} MB): peak RSS {memory.peak_mb:.0f} MB "
        f"(before reading {memory.before_mb:.0f} MB; function memory {FUNCTION_MEMORY_MB:.0f} MiB), "
        f"{memory.seconds:.1f} s, {memory.rows_loaded} rows valid"
    )
    print(f"header check of {HEADER_COLUMNS} columns: {header_check_seconds():.3f} s")


if __name__ == "__main__":
    main()
