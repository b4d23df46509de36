"""Does a game date cost the same with five seasons of history as with one? (``make bench``)

The history is a league's own past, not copies: the simulator writes consecutive seasons of one league
(``simulate_seasons``: players age, develop, move, retire; rookies arrive), ending with the bench's season
name, and every season is replayed through the chain into one home, oldest first, exactly as ``make run``
replays one (``courtside/bench_season.py``: the first season trains the champion and the challenger; later
seasons keep them). During the last season the home is copied just before a mid-season date D and D's
deliveries are recorded.

From that copy (``history`` seasons behind D), the homes with fewer seasons are derived by deleting every
row dated before the first season they keep (``keep_seasons``): the same league, the same rows for the
seasons they share. Each is then laid out as BigQuery lays out a partitioned table
(``partitioned_layout``): every table's rows ordered by its partition column, in row groups of
``ROW_GROUP_ROWS`` rows, so DuckDB's min/max skipping of row groups stands in for partition pruning.
(DuckDB's default row group holds 122,880 rows, a season or more of a table here: every read would scan
whole seasons, pruned or not.)

D then runs through every function on a fresh copy of each (``courtside.date_cost.run_date``),
``DATE_RUNS`` times, the homes taking turns, with DuckDB's profiler counting the rows every statement
scans and estimating the bytes BigQuery would bill for them (``shared/adapters/scan_bytes.py``; the
tables are sized for that estimate after the date, so the estimate's own reads stay out of the functions'
seconds). The medians per function, and their ratio (more seasons / one), are the figures: target at most
``HISTORY_RATIO``; with the whole chain's seconds and the day's bytes billed in total for each history.

With ``--history-seasons 10`` (``python -m courtside.bench_history --history-seasons 10``; too slow for
the default ``make bench``) the last season is replayed to its end: its replay time on ten seasons of
history against the first season's on an empty warehouse (target at most ``REPLAY_RATIO``; each replayed
again, in turns, from the home as it found it, to the median of three: ``replay_pairs``), and D's
deliveries on the ten-season home, each in a fresh interpreter, give the memory per function-date against
the cold-start table's limits.
"""

from __future__ import annotations

import os
import pickle
import shutil
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from courtside.bench_cold_starts import Recorded
from courtside.date_cost import FunctionCost, run_date
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.schema_files import partition_columns, table_definitions
from shared.settings import DATASETS, Settings

HISTORY_RATIO = 1.2
REPLAY_RATIO = 1.3
ROW_GROUP_ROWS = 2048
# D costs seconds where a replay costs minutes: seven runs per home keep its sub-second medians steady
# (with five, diagnostics' ratio was 0.92 in one run of the bench and 1.38 in the next, on an idle machine).
DATE_RUNS = 7
# Registry tables describe models, not games: no season owns their rows.
NOT_HISTORY = frozenset(
    {"nba_predictions.model_registry", "nba_predictions.ml_experiments", "nba_predictions.model_promotions"}
)
# A season's rows are all dated from the July before its first game (its name's first year).
SEASON_STARTS_MONTH = 7


@dataclass(frozen=True)
class HistoryCost:
    """One function's cost of D with one season of history and with more (``seasons`` of each figure)."""

    function: str
    seasons: tuple[int, ...]
    rows: tuple[float, ...]
    seconds: tuple[float, ...]
    per_invocation: float
    within_statement_target: bool | None
    # BigQuery bytes billed, estimated from DuckDB's profile (at least 10 MB per query job).
    billed: tuple[float, ...] = ()

    def rows_ratio(self, index: int) -> float:
        return self.rows[index] / self.rows[0] if self.rows[0] else float("nan")

    def seconds_ratio(self, index: int) -> float:
        return self.seconds[index] / self.seconds[0] if self.seconds[0] else float("nan")

    def billed_ratio(self, index: int) -> float:
        return self.billed[index] / self.billed[0] if self.billed and self.billed[0] else float("nan")


@dataclass
class HistoryBuild:
    """The league's seasons replayed into one home: the copy before D and what the replays took."""

    seasons: list[str]
    snapshot: Path
    folder: Path  # the last season's folder (D's files)
    day: date
    raw_bucket: str
    recorded: list[Recorded]
    replay_seconds: dict[str, float] = field(default_factory=dict)  # per season, training excluded
    full_last_season: bool = False
    before_last: Path | None = None  # the home as the last season found it (kept when replayed in full)
    # The first season on an empty warehouse and the last on all the history, replayed again in turns
    # (``replay_pairs``): wall and CPU seconds of each replay, the build's own first.
    first_replays: list[tuple[float, float]] = field(default_factory=list)
    last_replays: list[tuple[float, float]] = field(default_factory=list)


def league_seasons(last: str, history: int) -> list[str]:
    """``history`` consecutive season names before ``last``, then ``last``: 2023-24, 2024-25, 2025-26."""
    first_year = int(last[:4])
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first_year - history, first_year + 1)]


def season_start(season: str) -> date:
    return date(int(season[:4]), SEASON_STARTS_MONTH, 1)


def simulate_league(work: Path, seasons: list[str], seed: int) -> Path:
    """The league's season folders under one root (reused when an earlier run left all of them)."""
    from courtside.simulator import simulate_seasons

    root = work / f"league-{seasons[0]}-{seasons[-1]}-seed{seed}"
    if all((root / season / "manifest.json").is_file() for season in seasons):
        return root
    shutil.rmtree(root, ignore_errors=True)
    simulate_seasons(root, seasons, seed=seed)
    return root


def build_history(
    work: Path, history: int, seed: int, wanted: date | None = None, full_last_season: bool = False
) -> HistoryBuild:
    """Replay ``history`` seasons and then the bench's season into one home; copy it just before D."""
    from courtside.bench_season import bench_season, pick_date
    from courtside.fixtures import close_warehouse
    from courtside.seasons import DEFAULT_SEASON, season_dates

    seasons = league_seasons(DEFAULT_SEASON, history)
    root = simulate_league(work, seasons, seed)
    home, snapshot = work / f"history-{history}-home", work / f"history-{history}-snapshot"
    shutil.rmtree(home, ignore_errors=True)
    replay_seconds: dict[str, float] = {}
    first_replays: list[tuple[float, float]] = []
    for season in seasons[:-1]:
        first, last = season_dates(root / season)
        run = bench_season(work, root / season, first, last, None, home=home)
        replay_seconds[season] = run.replay_s
        if season == seasons[0]:
            first_replays.append((run.replay_s, run.replay_cpu_s))
        close_warehouse(run.deps)
    before_last = None
    if full_last_season:
        before_last = work / f"history-{history}-before-last"
        shutil.rmtree(before_last, ignore_errors=True)
        shutil.copytree(home, before_last)
    folder = root / seasons[-1]
    first, last = season_dates(folder)
    day = pick_date(folder, first, last, wanted)
    run = bench_season(
        work, folder, first, last if full_last_season else day, day, home=home, snapshot=snapshot
    )
    replay_seconds[seasons[-1]] = run.replay_s
    close_warehouse(run.deps)
    return HistoryBuild(
        seasons,
        snapshot,
        folder,
        day,
        run.deps.settings.raw_bucket,
        run.recorded,
        replay_seconds,
        full_last_season,
        before_last,
        first_replays,
        [(run.replay_s, run.replay_cpu_s)] if full_last_season else [],
    )


def replay_pairs(build: HistoryBuild, work: Path, repeats: int = 3) -> None:
    """Replay the first season on an empty warehouse and the last on all the history, in turns, until each
    has ``repeats`` replays (the build's own count as the first): both see the same machine load, and the
    ratio is of medians, in wall and in CPU seconds."""
    from courtside.bench_season import bench_season
    from courtside.fixtures import close_warehouse
    from courtside.seasons import season_dates

    if build.before_last is None:
        return
    root = build.folder.parent
    while len(build.first_replays) < repeats or len(build.last_replays) < repeats:
        for season, replays, start in (
            (build.seasons[0], build.first_replays, None),
            (build.seasons[-1], build.last_replays, build.before_last),
        ):
            if len(replays) >= repeats:
                continue
            home = work / "history-pair-home"
            shutil.rmtree(home, ignore_errors=True)
            if start is not None:
                shutil.copytree(start, home)
            first, last = season_dates(root / season)
            run = bench_season(work, root / season, first, last, None, home=home)
            replays.append((run.replay_s, run.replay_cpu_s))
            close_warehouse(run.deps)


def keep_seasons(warehouse_file: Path, seasons: list[str], kept: int) -> dict[str, int]:
    """Delete every row dated before the last ``kept`` history seasons (the current season is the last of
    ``seasons``): by its game date where the table has one, else by its partition column. Returns the rows
    left per table."""
    cut = season_start(seasons[-1 - kept])
    partitions = partition_columns()
    left: dict[str, int] = {}
    connection = duckdb.connect(str(warehouse_file))
    try:
        for definition in table_definitions():
            name = definition.qualified_name
            if definition.is_view or name in NOT_HISTORY:
                continue
            columns = {
                str(row[0])
                for row in connection.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                    [definition.dataset, definition.name],
                ).fetchall()
            }
            if "game_date" not in columns and name not in partitions:
                continue  # no date to tell a season by: kept whole, as the registry is
            column = season_column(columns, partitions[name])
            connection.execute(f"DELETE FROM {name} WHERE CAST({column} AS DATE) < ?", [cut])
            counted = connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()
            left[name] = int(counted[0]) if counted else 0
    finally:
        connection.close()
    return left


def season_column(columns: set[str], partition: str) -> str:
    """The column that dates a row's season: its game date where it has one (``pipeline_runs`` is
    partitioned by the wall-clock time a run started, which in a replay is today for every season)."""
    return "game_date" if "game_date" in columns else partition


def partitioned_layout(warehouse_file: Path, current_from: date | None = None) -> None:
    """Rewrite ``warehouse_file`` with each table ordered by its partition column, in small row groups.

    With ``current_from`` (the first day of D's season), every table's rows dated before it come first and
    its current season's rows start on a row-group boundary (padding rows inserted, then deleted), so the
    current season lies in the same row groups whatever the history before it: D's reads, pruned to its
    season's row groups, scan the same rows on every home, and the ratio measures history alone.
    """
    from shared.adapters.sql_translation import to_duckdb

    laid_out = warehouse_file.with_suffix(".layout.duckdb")
    laid_out.unlink(missing_ok=True)
    partitions = partition_columns()
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute("SET max_vacuum_tasks = 0")  # keep the padded row groups as they are written
        connection.execute(f"ATTACH '{warehouse_file}' AS source (READ_ONLY)")
        connection.execute(f"ATTACH '{laid_out}' AS target (ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
        connection.execute("USE target")
        for dataset in DATASETS:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {dataset}")
        for definition in table_definitions():
            for statement in to_duckdb(definition.ddl):
                connection.execute(statement)
            if definition.is_view:
                continue
            name = definition.qualified_name
            if name not in partitions:
                connection.execute(f"INSERT INTO target.{name} SELECT * FROM source.{name}")
                continue
            order = f" ORDER BY {partitions[name]}"
            if current_from is None:
                connection.execute(f"INSERT INTO target.{name} SELECT * FROM source.{name}{order}")
                continue
            columns = {str(c[0]) for c in connection.execute(f"DESCRIBE source.{name}").fetchall()}
            dated = f"CAST({season_column(columns, partitions[name])} AS DATE) < ?"
            connection.execute(
                f"INSERT INTO target.{name} SELECT * FROM source.{name} WHERE {dated}{order}", [current_from]
            )
            history = _count(connection, f"target.{name}")
            padding = -history % ROW_GROUP_ROWS if history else 0
            if padding:
                connection.execute(
                    f"INSERT INTO target.{name} SELECT source_rows.* FROM source.{name} AS source_rows, "
                    f"range({padding}) LIMIT {padding}"
                )
            connection.execute(
                f"INSERT INTO target.{name} SELECT * FROM source.{name} WHERE NOT COALESCE({dated}, FALSE)"
                f"{order}",
                [current_from],
            )
            if padding:
                connection.execute(
                    f"DELETE FROM target.{name} WHERE rowid >= ? AND rowid < ?", [history, history + padding]
                )
        connection.execute("USE memory")
        connection.execute("DETACH target")
    finally:
        connection.close()
    for stale in warehouse_file.parent.glob(warehouse_file.name + ".wal"):
        stale.unlink()
    laid_out.replace(warehouse_file)


def _count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    counted = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    return int(counted[0]) if counted else 0


def measuring_deps(home: Path) -> Dependencies:
    settings = Settings(home=home)
    warehouse = DuckDBWarehouse(settings.duckdb_path, settings.dataset_suffix, profile_scans=True)
    return build_dependencies(settings, clock=SettableClock(), warehouse=warehouse)


def cost_on_copy(state: Path, scratch: Path, folder: Path, day: date) -> list[FunctionCost]:
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(state, scratch)
    # Write the copy out before the clock starts: the kernel would otherwise flush it to disk during the run,
    # and a home with more history would pay more for its copy in the date's measured time.
    os.sync()
    deps = measuring_deps(scratch)
    try:
        return run_date(deps, folder, day)
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def medians(runs: Sequence[list[FunctionCost]]) -> dict[str, tuple[float, float, float, FunctionCost]]:
    """Per function: (median rows scanned, median seconds, median bytes billed, the first run's costs)."""
    result: dict[str, tuple[float, float, float, FunctionCost]] = {}
    for function in sorted({cost.function for run in runs for cost in run}):
        costs = [cost for run in runs for cost in run if cost.function == function]
        result[function] = (
            statistics.median(c.rows_scanned for c in costs),
            statistics.median(c.seconds for c in costs),
            statistics.median(c.bytes_billed for c in costs),
            costs[0],
        )
    return result


def history_homes(build: HistoryBuild, work: Path, counts: Sequence[int]) -> dict[int, dict[str, int]]:
    """A laid-out home per number of history seasons in ``counts`` (``work/history-<n>``); rows per table."""
    rows: dict[int, dict[str, int]] = {}
    for count in counts:
        home = work / f"history-{count}"
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(build.snapshot, home)
        rows[count] = keep_seasons(Settings(home=home).duckdb_path, build.seasons, count)
        partitioned_layout(Settings(home=home).duckdb_path, season_start(build.seasons[-1]))
    return rows


def history_counts(history: int) -> tuple[int, ...]:
    """The seasons of history D runs on: one, five and (when more were replayed) all of them."""
    return tuple(sorted({1, min(5, history), history}))


def bench_history(
    build: HistoryBuild, work: Path, repeats: int = DATE_RUNS
) -> tuple[list[HistoryCost], dict[int, dict[str, int]]]:
    """D's cost on one season of history, five and all that were replayed (median of ``repeats`` runs).

    The homes take turns (1, 5, 10, 1, 5, 10, ...), so a change in the machine's load falls on all of them
    alike rather than on one home's runs."""
    counts = history_counts(len(build.seasons) - 1)
    rows = history_homes(build, work, counts)
    runs: dict[int, list[list[FunctionCost]]] = {count: [] for count in counts}
    for _ in range(repeats):
        for count in counts:
            runs[count].append(
                cost_on_copy(work / f"history-{count}", work / "history-run", build.folder, build.day)
            )
    figures = {count: medians(runs[count]) for count in counts}
    nan = (float("nan"), float("nan"), float("nan"))
    return [
        HistoryCost(
            function=function,
            seasons=counts,
            rows=tuple(figures[count].get(function, nan)[0] for count in counts),
            seconds=tuple(figures[count].get(function, nan)[1] for count in counts),
            per_invocation=first[3].per_invocation,
            within_statement_target=first[3].within_target,
            billed=tuple(figures[count].get(function, nan)[2] for count in counts),
        )
        for function, first in figures[counts[0]].items()
    ], rows


def replay_ratio(build: HistoryBuild, cpu: bool = False) -> float | None:
    """The last season's replay time (on all the history) over the first season's (on an empty warehouse),
    medians of their replays, when the last season was replayed to its end."""
    if not build.full_last_season or not build.first_replays or not build.last_replays:
        return None
    index = 1 if cpu else 0
    first = statistics.median(r[index] for r in build.first_replays)
    last = statistics.median(r[index] for r in build.last_replays)
    return last / first if first else float("nan")


def print_history(costs: Sequence[HistoryCost], rows: dict[int, dict[str, int]], build: HistoryBuild) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=220)
    counts = costs[0].seasons if costs else ()
    table = Table(
        title=f"One game date ({build.day}) on 1..{counts[-1] if counts else 0} seasons of one league's "
        "history (median of runs)"
    )
    columns = ["function", "statements / invocation"]
    columns += [f"rows, {n} season{'s' if n > 1 else ''}" for n in counts]
    columns += [f"ratio {n}/1" for n in counts[1:]]
    columns += [f"seconds, {n}" for n in counts]
    columns += [f"ratio {n}/1" for n in counts[1:]]
    columns += [f"est. MiB billed, {n}" for n in counts]
    columns += [f"ratio {n}/1" for n in counts[1:]]
    for column in columns:
        table.add_column(column, justify="left" if column == "function" else "right")

    def mark(ratio: float) -> str:
        return f"{ratio:.2f} " + ("[green]pass[/]" if ratio <= HISTORY_RATIO else "[bold red]MISS[/]")

    verdict = {True: " [green]pass[/]", False: " [bold red]MISS[/]", None: ""}
    for cost in costs:
        later = range(1, len(counts))
        table.add_row(
            cost.function,
            f"{cost.per_invocation:.1f}{verdict[cost.within_statement_target]}",
            *(f"{value:,.0f}" for value in cost.rows),
            *(mark(cost.rows_ratio(i)) for i in later),
            *(f"{value:.3f}" for value in cost.seconds),
            *(mark(cost.seconds_ratio(i)) for i in later),
            *(f"{value / 1024**2:,.1f}" for value in cost.billed),
            *(mark(cost.billed_ratio(i)) for i in later),
        )
    console.print(table)
    console.print(chain_seconds_line(costs))
    console.print(day_bytes_line(costs))
    replays = ", ".join(f"{season} {seconds:.1f} s" for season, seconds in build.replay_seconds.items())
    console.print(
        f"season replays into the history home (training excluded; the last to D only "
        f"unless replayed in full): {replays}"
    )
    ratio, cpu_ratio = replay_ratio(build), replay_ratio(build, cpu=True)
    if ratio is not None and cpu_ratio is not None:
        ok = "[green]pass[/]" if ratio <= REPLAY_RATIO else "[bold red]MISS[/]"

        def shown(replays: list[tuple[float, float]]) -> str:
            return ", ".join(f"{wall:.1f} s (CPU {cpu:.1f})" for wall, cpu in replays)

        console.print(
            f"first season {build.seasons[0]} on an empty warehouse: {shown(build.first_replays)}; "
            f"last season {build.seasons[-1]} on {len(build.seasons) - 1} seasons: "
            f"{shown(build.last_replays)}"
        )
        console.print(
            f"last season on {len(build.seasons) - 1} seasons of history / first season on none, medians of "
            f"{len(build.last_replays)} replays in turns: {ratio:.2f} wall (target <= {REPLAY_RATIO}) {ok}, "
            f"{cpu_ratio:.2f} CPU"
        )
    console.print(f"rows per table with {counts[-1] if counts else 0} seasons: {rows.get(counts[-1], {})}")
    console.print(
        f"medians of the runs per home; alone: python -m courtside.bench_history --history-seasons "
        f"{len(build.seasons) - 1} (--reuse to cost the same history again)"
    )


def chain_seconds_line(costs: Sequence[HistoryCost]) -> str:
    """The date's whole chain: the sum of the functions' median seconds on each history, with the ratio."""
    counts = costs[0].seasons if costs else ()
    totals = [sum(cost.seconds[i] for cost in costs) for i in range(len(counts))]
    shown = "; ".join(
        f"{count} season{'s' if count > 1 else ''}: {total:.2f} s"
        + (f", ratio {count}/1 {total / totals[0]:.2f}" if i and totals[0] else "")
        for i, (count, total) in enumerate(zip(counts, totals, strict=True))
    )
    return f"the date's whole chain (sum of the functions' medians): {shown}"


def day_bytes_line(costs: Sequence[HistoryCost], price_per_tib: float = 6.25) -> str:
    """The day's estimated BigQuery bytes billed, all functions, on each history, with the ratio to one."""
    from courtside.date_cost import monthly_dollars

    counts = costs[0].seasons if costs else ()
    totals = [sum(cost.billed[i] for cost in costs if cost.billed) for i in range(len(counts))]
    shown = "; ".join(
        f"{n} season{'s' if n > 1 else ''}: {total / 1024**3:.3f} GiB "
        f"(${monthly_dollars(round(total), price_per_tib):.2f} per 30 game dates at ${price_per_tib}/TiB)"
        + (f", ratio {n}/1 {total / totals[0]:.2f}" if i and totals[0] else "")
        for i, (n, total) in enumerate(zip(counts, totals, strict=True))
    )
    return f"BigQuery bytes billed per game date, estimated from DuckDB's profile (not a dry run): {shown}"


def main() -> None:
    """The history figures alone: simulate the league, replay its seasons, then cost the date."""
    import argparse
    import logging

    from courtside.seasons import DEFAULT_SEED

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    repo_root = Path(__file__).resolve().parent.parent
    parser.add_argument("--work", type=Path, default=repo_root / ".bench" / "history")
    parser.add_argument("--repeats", type=int, default=3, help="replays of the first and the last season")
    parser.add_argument("--date-runs", type=int, default=DATE_RUNS, help="runs of the date on each home")
    parser.add_argument("--history-seasons", type=int, default=5, help="seasons replayed before the date's")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--date", type=date.fromisoformat, default=None, help="game date to cost")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the history an earlier run with as many seasons left in --work",
    )
    parser.add_argument(
        "--build",
        type=Path,
        default=repo_root / "build" / "functions",
        help="vendored functions for the memory per function-date (with 10 or more seasons)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    args.work.mkdir(parents=True, exist_ok=True)
    many = args.history_seasons >= 10
    saved = args.work / f"history-{args.history_seasons}.pickle"
    if args.reuse and saved.is_file():
        build = pickle.loads(saved.read_bytes())
    else:
        build = build_history(args.work, args.history_seasons, args.seed, args.date, full_last_season=many)
        saved.write_bytes(pickle.dumps(build))
    replay_pairs(build, args.work, args.repeats)
    saved.write_bytes(pickle.dumps(build))
    costs, rows = bench_history(build, args.work, args.date_runs)
    print_history(costs, rows, build)
    if many and (args.build / "ingest" / "main.py").is_file():
        print_memory(build, args.work, args.build)


def memory_on_history(build: HistoryBuild, work: Path, functions: Path) -> dict[str, float]:
    """D's recorded deliveries on the home with every season, as the replay left it just before D, each in
    a fresh interpreter: peak MB per function.

    Not on the laid-out copy the rows are counted on: its 2,048-row groups (partitions' stand-in) multiply
    DuckDB's per-row-group metadata, which alone added 100-450 MB per function with ten seasons (ingest
    660 MB) while the same deliveries on the replayed home peaked as on one season."""
    from courtside.bench_cold_starts import bench_functions

    runs = bench_functions(
        functions,
        build.snapshot,
        build.raw_bucket,
        build.recorded,
        build.folder,
        build.day,
        work,
    )
    return {
        function: max(run.peak_mb for run in runs if run.function == function)
        for function in sorted({run.function for run in runs})
    }


def print_memory(build: HistoryBuild, work: Path, functions: Path) -> None:
    from rich.console import Console

    from courtside.bench_cold_starts import memory_limit_mb

    history = len(build.seasons) - 1
    console = Console(width=220)
    for function, peak in memory_on_history(build, work, functions).items():
        limit = memory_limit_mb(function)
        ok = "[green]pass[/]" if peak < limit else "[bold red]MISS[/]"
        console.print(f"peak memory on {history} seasons, {function}: {peak:.0f} MB (limit {limit:.0f}) {ok}")


if __name__ == "__main__":
    main()
