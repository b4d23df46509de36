"""``make emulate``: one game date through the whole chain over HTTP, each function in its own server.

Every function of ``shared/topology.py`` runs under functions-framework on its own port, from its
vendored folder ``build/functions/<name>/`` (``make vendor``) or, before that exists, from
``functions/<name>/main.py`` with the repository on PYTHONPATH. They share one COURTSIDE_HOME (the
DuckDB file is released between events, so the processes take turns on it).

Messages reach the functions as Pub/Sub push requests:
- ``--bus pubsub``: the official Pub/Sub emulator, with the topics, push subscriptions and dead-letter
  topics of the topology (what production does; the functions publish with the real client);
- ``--bus http``: the documented fallback when that emulator is absent (it ships only with the Google
  Cloud CLI): ``COURTSIDE_PUSH_ENDPOINTS`` makes each function push its messages straight to the
  subscribers' servers with the same envelope, retries and dead-lettering
  (``shared/adapters/http_push_bus.py``);
- ``--bus auto`` (default): the emulator when installed, otherwise the fallback.

First it gives the deployment a champion model (the first weeks of the cached simulated season are
replayed in-process into the same home and a model is trained and registered; ``--no-model`` skips
this). Then it lands a tiny, consistent set of raw files for one date (schedule, injuries, opening and
closing lines, final schedule and box scores), each announced on ``raw-objects`` as the bucket's
OBJECT_FINALIZE notification would be, waits until the chain is quiet, prints every
``nba_orchestration.pipeline_runs`` row and stops every process it started, always.
Exit status: 0 when every recorded run ended success/skipped/rejected, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from courtside.console import console
from courtside.emulators import EmulatorUnavailableError, start_pubsub
from courtside.fixtures import seed_models
from courtside.function_servers import REPO_ROOT, function_env, function_source, start_function
from courtside.one_date_files import DayPlan, plan_day, raw_files_for, utc_stamp
from courtside.processes import RunningProcess, free_port, stopped_on_signal
from shared import run_log
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import utc_now
from shared.events import StorageObject
from shared.ports import Bus, Warehouse
from shared.settings import Settings
from shared.topology import FUNCTIONS, Subscription

OK_STATUSES = frozenset({"success", "skipped", "rejected"})


# -- watching the warehouse -----------------------------------------------------------------------
def read_runs(warehouse: Warehouse, since: datetime) -> list[dict[str, Any]]:
    """The runs recorded since the functions started (not those of the in-process champion seeding)."""
    try:
        return run_log.runs_since(warehouse, since)
    finally:
        warehouse.release()


def wait_until_quiet(
    warehouse: Warehouse,
    *,
    since: datetime,
    at_least: int,
    settle_seconds: float,
    timeout_seconds: float,
) -> list[dict[str, Any]]:
    """Poll pipeline_runs until it has ``at_least`` rows and has not changed for ``settle_seconds``."""
    deadline = time.monotonic() + timeout_seconds
    last: list[dict[str, Any]] = []
    changed_at = time.monotonic()
    while time.monotonic() < deadline:
        runs = read_runs(warehouse, since)
        fingerprint = [
            (r["function_name"], r["status"], r["delivery_attempt"], r["started_at"]) for r in runs
        ]
        if fingerprint != [
            (r["function_name"], r["status"], r["delivery_attempt"], r["started_at"]) for r in last
        ]:
            last, changed_at = runs, time.monotonic()
        elif len(runs) >= at_least and time.monotonic() - changed_at >= settle_seconds:
            return runs
        time.sleep(0.25)
    return last


# -- the run --------------------------------------------------------------------------------------
@dataclass
class EmulateResult:
    bus: str
    runs: list[dict[str, Any]]
    landed: list[str]
    dead_letters: dict[str, int]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run["status"] in OK_STATUSES for run in self.runs)


def run(
    game_date: date | None = None,
    *,
    bus: str = "auto",
    home: Path | None = None,
    functions: Sequence[str] = FUNCTIONS,
    settle_seconds: float = 6.0,
    timeout_seconds: float = 240.0,
    log: Any = print,
    train_champion: bool = True,
) -> EmulateResult:
    home = home or Path(tempfile.mkdtemp(prefix="courtside-emulate-"))
    env = function_env(home)
    settings = Settings.from_env(env)
    build_dependencies(settings, hold_connection=False).warehouse.release()  # creates the tables
    if train_champion:
        seed_models(settings, log)
    ports = {function: free_port() for function in functions}
    with stopped_on_signal(), ExitStack() as stack:
        pubsub: RunningProcess | None = None
        if bus in ("auto", "pubsub"):
            try:
                pubsub = start_pubsub()
                stack.callback(pubsub.stop)
            except EmulatorUnavailableError as exc:
                if bus == "pubsub":
                    raise
                log(f"Pub/Sub emulator unavailable ({exc}); using the HTTP push fallback")
        mode = "pubsub" if pubsub else "http"
        if pubsub:
            env["PUBSUB_EMULATOR_HOST"] = pubsub.address
        else:
            env["COURTSIDE_PUSH_ENDPOINTS"] = json.dumps(
                {function: f"http://127.0.0.1:{port}" for function, port in ports.items()}
            )
        settings = Settings.from_env(env)
        # The same adapters the function processes choose from this environment (Pub/Sub or push bus).
        deps = build_dependencies(settings, hold_connection=False)
        deps.warehouse.release()
        log(f"COURTSIDE_HOME={home}  bus={mode}  functions={', '.join(functions)}")
        started = time.monotonic()
        since = utc_now()
        for function in functions:
            source = function_source(function)
            server = start_function(source, ports[function], env)
            stack.callback(server.stop)
            where = source.main.relative_to(REPO_ROOT)
            log(f"  {function:14} :{ports[function]}  {where}  log {server.log_path}")
        log(f"functions ready in {time.monotonic() - started:.1f}s")
        publisher = _publisher(deps, mode, pubsub, ports)
        plan = plan_day(game_date, utc_now())
        tipoffs = ", ".join(utc_stamp(t) for t in plan.tipoffs)
        log(f"game date {plan.game_date} (US Eastern), tip-offs {tipoffs}")
        landed = _land(deps, plan, since, settle_seconds, timeout_seconds, log)
        runs = read_runs(deps.warehouse, since)
        dead = _dead_letters(settings) if pubsub else {}
        flush = getattr(publisher, "flush", None)
        if flush:
            flush(5)
        close = getattr(publisher, "close", None)
        if close:
            close()
        return EmulateResult(mode, runs, landed, dead)


def _publisher(deps: Dependencies, mode: str, pubsub: RunningProcess | None, ports: dict[str, int]) -> Bus:
    settings = deps.settings
    if mode == "pubsub" and pubsub is not None:
        from courtside.pubsub_setup import create_topology, push_path

        def endpoint(subscription: Subscription) -> str | None:
            port = ports.get(subscription.function)
            return (
                f"http://127.0.0.1:{port}{push_path(settings.project, subscription.topic)}" if port else None
            )

        create_topology(settings, endpoint, minimum_backoff_seconds=1, maximum_backoff_seconds=5)
    return deps.bus


def _land(
    deps: Dependencies,
    plan: DayPlan,
    since: datetime,
    settle_seconds: float,
    timeout_seconds: float,
    log: Any,
) -> list[str]:
    """Land each raw file, announce it on raw-objects, and let the chain settle before the next."""
    settings = deps.settings
    landed: list[str] = []
    for name, data in raw_files_for(plan):
        deps.blobs.write_bytes(settings.raw_bucket, name, data)
        deps.bus.publish(
            "raw-objects", StorageObject(bucket=settings.raw_bucket, name=name, size=str(len(data)))
        )
        landed.append(name)
        runs = wait_until_quiet(
            deps.warehouse,
            since=since,
            at_least=len(landed),
            settle_seconds=settle_seconds,
            timeout_seconds=timeout_seconds,
        )
        log(f"landed gs://{settings.raw_bucket}/{name}: {len(runs)} run(s) recorded so far")
    return landed


def _dead_letters(settings: Settings) -> dict[str, int]:
    from google.api_core.exceptions import DeadlineExceeded

    from shared.adapters.pubsub_bus import make_subscriber
    from shared.topology import SUBSCRIPTIONS

    subscriber = make_subscriber(settings)
    counts: dict[str, int] = {}
    for subscription in SUBSCRIPTIONS:
        path = subscriber.subscription_path(
            settings.project, settings.names.subscription(subscription.dead_letter_archive)
        )
        try:
            # return_immediately (deprecated, still honoured) keeps an empty archive from blocking.
            request = {"subscription": path, "max_messages": 100, "return_immediately": True}
            response = subscriber.pull(request=request, timeout=5)
        except DeadlineExceeded:
            continue
        if response.received_messages:
            counts[subscription.name] = len(response.received_messages)
    return counts


def print_summary(result: EmulateResult) -> None:
    from rich.table import Table

    table = Table(title=f"nba_orchestration.pipeline_runs ({result.bus} bus)")
    for column in (
        "function",
        "status",
        "game_date",
        "topic",
        "read",
        "written",
        "attempt",
        "published",
        "detail",
    ):
        table.add_column(column)
    for run in result.runs:
        table.add_row(
            run["function_name"],
            run["status"],
            str(run["game_date"] or ""),
            run["topic"] or "",
            str(run["rows_read"] or 0),
            str(run["rows_written"] or 0),
            str(run["delivery_attempt"]),
            run["published_topics"] or "",
            (run["error"] or run["detail"] or "")[:120],
        )
    console.print(table)
    by_function: dict[str, dict[str, int]] = {}
    for run in result.runs:
        counts = by_function.setdefault(run["function_name"], {})
        counts[run["status"]] = counts.get(run["status"], 0) + 1
    for function in FUNCTIONS:
        counts = by_function.get(function, {})
        text = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no runs"
        console.print(f"{function:14} {text}")
    if result.dead_letters:
        console.print(f"dead-lettered: {result.dead_letters}")
    console.print(
        "OK" if result.ok else "NOT OK: some runs failed (see the error column and the function logs)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courtside.emulate", description="Run one date over HTTP")
    parser.add_argument(
        "--date", type=date.fromisoformat, default=None, help="US Eastern game date (default: today, live)"
    )
    parser.add_argument("--bus", choices=("auto", "pubsub", "http"), default="auto")
    parser.add_argument("--home", type=Path, default=None, help="COURTSIDE_HOME (default: a new temp dir)")
    parser.add_argument("--settle", type=float, default=6.0, help="seconds without a new run = quiet")
    parser.add_argument("--timeout", type=float, default=240.0, help="max seconds to wait per landed file")
    parser.add_argument(
        "--no-model", action="store_true", help="skip training a champion (prediction then reports skipped)"
    )
    args = parser.parse_args(argv)
    result = run(
        args.date,
        bus=args.bus,
        home=args.home,
        settle_seconds=args.settle,
        timeout_seconds=args.timeout,
        train_champion=not args.no_model,
    )
    print_summary(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
