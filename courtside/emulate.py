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
import csv
import io
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from courtside.emulators import (
    REPO_ROOT,
    EmulatorUnavailableError,
    RunningEmulator,
    answers,
    free_port,
    spawn,
    start_pubsub,
)
from shared import run_log
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import game_date_of, utc_now
from shared.domain.raw_validation import SPECS, FileKind
from shared.events import StorageObject
from shared.ports import Bus, Warehouse
from shared.settings import Settings
from shared.topology import FUNCTIONS, Subscription

PROJECT = "courtside-local"
HISTORY_DAYS = 2
# Days of the simulated season replayed to train the emulated deployment's champion (last ones held out).
SEED_DAYS = 24
SEED_HOLDOUT_DAYS = 7
OK_STATUSES = frozenset({"success", "skipped", "rejected"})


# -- function servers -----------------------------------------------------------------------------
@dataclass(frozen=True)
class FunctionSource:
    function: str
    main: Path
    pythonpath: Path


def function_source(function: str, build_dir: Path = REPO_ROOT / "build" / "functions") -> FunctionSource:
    """The vendored folder when ``make vendor`` built it, else the repository's entry point."""
    vendored = build_dir / function / "main.py"
    if vendored.is_file():
        return FunctionSource(function, vendored, vendored.parent)
    return FunctionSource(function, REPO_ROOT / "functions" / function / "main.py", REPO_ROOT)


def start_function(source: FunctionSource, port: int, env: dict[str, str]) -> RunningEmulator:
    argv = [sys.executable, "-m", "functions_framework", "--source", str(source.main)]
    argv += ["--target", source.function, "--signature-type", "cloudevent", "--port", str(port)]
    argv += ["--host", "127.0.0.1"]
    process_env = {**env, "PYTHONPATH": str(source.pythonpath)}
    return spawn(f"fn-{source.function}", argv, port, answers(f"http://127.0.0.1:{port}/"), process_env)


def function_env(home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name in ("COURTSIDE_PUSH_ENDPOINTS", "PUBSUB_EMULATOR_HOST", "BIGQUERY_EMULATOR_HOST"):
        env.pop(name, None)
    env.update(
        {
            "COURTSIDE_BACKEND": "local",
            "COURTSIDE_HOME": str(home),
            "COURTSIDE_PROJECT": PROJECT,
            # Cloud Functions (2nd gen) default: one request at a time per instance.
            "THREADS": "1",
            "WORKERS": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# -- raw files for one date -----------------------------------------------------------------------
def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DayPlan:
    """When things happen on the emulated date: two tip-offs, two line snapshots, two injury reports."""

    game_date: date
    tipoffs: tuple[datetime, datetime]
    open_snapshot: datetime
    close_snapshot: datetime
    injury_reports: tuple[datetime, datetime]


def plan_day(game_date: date | None, now: datetime) -> DayPlan:
    """A given (past) date keeps fixed evening tip-offs, one after midnight UTC. With no date, the
    games tip off later today (US Eastern) and the lines were taken earlier, so the chain runs as it
    would live: features are built before tip-off from lines already published."""
    if game_date is not None:
        next_day = datetime(game_date.year, game_date.month, game_date.day, tzinfo=UTC) + timedelta(days=1)
        tips = (next_day + timedelta(minutes=30), next_day + timedelta(hours=3, minutes=30))
        day = next_day - timedelta(days=1)
        return DayPlan(
            game_date,
            tips,
            day + timedelta(hours=14),
            day + timedelta(hours=22),
            (day - timedelta(hours=2), day + timedelta(hours=18)),
        )
    first = (now + timedelta(minutes=90)).replace(second=0, microsecond=0)
    if game_date_of(first) != game_date_of(first + timedelta(minutes=10)):
        first += timedelta(minutes=30)  # never straddle US Eastern midnight
    tips = (first, first + timedelta(minutes=10))
    return DayPlan(
        game_date_of(first),
        tips,
        now - timedelta(minutes=60),
        now - timedelta(minutes=10),
        (now - timedelta(hours=3), now - timedelta(hours=2)),
    )


def raw_files_for(plan: DayPlan) -> list[tuple[str, bytes]]:
    """Two games, four players each, two books: every file of one date, in landing order."""
    game_date = plan.game_date
    games = [  # game_id, tip-off (UTC), home, away
        ("0022500601", plan.tipoffs[0], "BOS", "NYK"),
        ("0022500602", plan.tipoffs[1], "LAL", "GSW"),
    ]
    players = {  # team -> (player_id, name, points scored, line)
        "BOS": [("1628369", "Jayson Tatum", 31, 27.5), ("1627759", "Jaylen Brown", 19, 23.5)],
        "NYK": [("1628973", "Jalen Brunson", 28, 26.5), ("1626157", "Karl-Anthony Towns", 22, 24.0)],
        "LAL": [("1629029", "Luka Dončić", 35, 30.5), ("2544", "LeBron James", 21, 22.5)],
        "GSW": [("201939", "Stephen Curry", 24, 25.5), ("1641764", "Brandin Podziemski", 9, 11.5)],
    }
    schedule_header = SPECS[FileKind.SCHEDULE].columns
    lines_header = SPECS[FileKind.PROP_LINES].columns

    def schedule(status: str, days_back: int = 0) -> bytes:
        day = (game_date - timedelta(days=days_back)).isoformat()
        rows = [
            (_game_id(g, days_back), day, _z(tip - timedelta(days=days_back)), home, away, status)
            for g, tip, home, away in games
        ]
        return _csv(schedule_header, rows)

    def lines(snapshot: datetime, shift: float) -> bytes:
        rows = []
        for game_id, _, home, away in games:
            for team in (home, away):
                for player_id, name, _, line in players[team]:
                    for book, book_shift in (("DraftKings", 0.0), ("FanDuel", 0.5)):
                        rows.append(
                            (
                                game_id,
                                game_date.isoformat(),
                                player_id,
                                name,
                                book,
                                f"{line + shift + book_shift:.1f}",
                                -110,
                                -110,
                                _z(snapshot),
                            )
                        )
        return _csv(lines_header, rows)

    injuries = _csv(
        ("game_date", "player_id", "status", "reported_at"),
        [
            (game_date.isoformat(), "1626157", "QUESTIONABLE", _z(plan.injury_reports[0])),
            (game_date.isoformat(), "1626157", "AVAILABLE", _z(plan.injury_reports[1])),
        ],
    )

    def boxscores(days_back: int = 0) -> bytes:
        return _csv(boxscore_header, box_rows(days_back))

    def box_rows(days_back: int) -> list[tuple[Any, ...]]:
        return [
            (_game_id(row[0], days_back), (game_date - timedelta(days=days_back)).isoformat(), *row[2:8],
             max(0, row[8] - 3 * days_back), *row[9:])
            for row in today_rows
        ]  # fmt: skip

    today_rows = []
    for game_id, _, home, away in games:
        for team, opponent, is_home in ((home, away, True), (away, home, False)):
            for index, (player_id, name, points, _) in enumerate(players[team]):
                today_rows.append(
                    (
                        game_id,
                        game_date.isoformat(),
                        player_id,
                        name,
                        team,
                        opponent,
                        "true" if is_home else "false",
                        f"{34 - 4 * index:.2f}",
                        points,
                        "played",
                        points // 2 + 3,
                        4,
                        6,
                        5 + index,
                        4,
                        "true",
                    )
                )
    boxscore_header = SPECS[FileKind.BOXSCORES].columns
    iso = game_date.isoformat()
    history: list[tuple[str, bytes]] = []
    for days_back in (HISTORY_DAYS, 1):  # earlier games give the feature store rosters and form
        day = (game_date - timedelta(days=days_back)).isoformat()
        history += [
            (f"schedule/{day}.csv", schedule("final", days_back)),
            (f"boxscores/{day}.csv", boxscores(days_back)),
        ]
    return [
        *history,
        ("schedule/season.csv", schedule("scheduled")),
        (f"injuries/{iso}.csv", injuries),
        (f"lines/{iso}_open.csv", lines(plan.open_snapshot, 0.0)),
        (f"lines/{iso}_close.csv", lines(plan.close_snapshot, 0.5)),
        (f"schedule/{iso}.csv", schedule("final")),
        (f"boxscores/{iso}.csv", boxscores()),
    ]


def _game_id(game_id: str, days_back: int) -> str:
    return f"{int(game_id) - 10 * days_back:010d}"


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


@contextmanager
def _stopped_on_signal() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into SystemExit so the ``finally`` blocks stop every child process."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
        seed_champion(settings, log)
    ports = {function: free_port() for function in functions}
    with _stopped_on_signal(), ExitStack() as stack:
        pubsub: RunningEmulator | None = None
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
        log(f"game date {plan.game_date} (US Eastern), tip-offs {', '.join(_z(t) for t in plan.tipoffs)}")
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


def seed_champion(settings: Settings, log: Any = print) -> None:
    """Give the emulated deployment a champion model, so the date runs through the whole chain.

    The model is trained the production way: the first weeks of the cached simulated season are
    replayed in-process into the same home, then ``train_model`` registers a champion there.
    """
    from courtside.demo import ensure_models
    from courtside.replay import replay
    from courtside.seasons import ensure_season, season_dates
    from shared.clock import SettableClock

    started = time.monotonic()
    folder = ensure_season(Settings.from_env())  # the season cache of the caller's home
    first, _ = season_dates(folder)
    deps = build_dependencies(settings, clock=SettableClock())
    try:
        replay(deps, folder, first, first + timedelta(days=SEED_DAYS - 1))
        ensure_models(
            deps, first, training_days=SEED_DAYS - SEED_HOLDOUT_DAYS, holdout_days=SEED_HOLDOUT_DAYS
        )
    finally:
        getattr(deps.warehouse, "close", deps.warehouse.release)()
    log(f"champion trained on {SEED_DAYS} replayed days in {time.monotonic() - started:.1f}s")


def _publisher(deps: Dependencies, mode: str, pubsub: RunningEmulator | None, ports: dict[str, int]) -> Bus:
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
    from rich.console import Console
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
    console = Console(width=200) if not sys.stdout.isatty() else Console()
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
