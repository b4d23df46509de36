"""Does a game date cost the same with five seasons of history as with one? (``make bench``)

From the bench's season (replayed through the chain, its home copied just before a mid-season date D),
the current season so far plus earlier seasons of history, each one the whole replayed season's rows,
every table, shifted back by another 52 weeks (weekdays kept), its game, event and object ids suffixed
so no natural key collides (players keep their ids, as a league's players do from season to season):

- one season of history: the copy plus the season shifted back 52 weeks;
- five seasons: the copy plus the season shifted back 52, 104, 156, 208 and 260 weeks.

Both are then laid out as BigQuery lays out a partitioned table (``partitioned_layout``): every table's
rows ordered by its partition column, in row groups of ``ROW_GROUP_ROWS`` rows, so DuckDB's min/max
skipping of row groups stands in for partition pruning. (DuckDB's default row group holds 122,880
rows, a season or more of a table here: every read would scan whole seasons, pruned or not.)

D then runs through every function on a fresh copy of each (``courtside.date_cost.run_date``), three
times, with DuckDB's profiler counting the rows every statement scans. The medians per function, and
their ratio (five / one), are the figures: target at most ``HISTORY_RATIO``.
"""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from courtside.date_cost import FunctionCost, run_date
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.schema_files import partition_columns, table_definitions
from shared.settings import DATASETS, Settings

HISTORY_RATIO = 1.2
ROW_GROUP_ROWS = 2048
SEASON_SHIFT_DAYS = 364
# Registry tables describe models, not games: history has none of them.
NOT_HISTORY = frozenset({"nba_predictions.model_registry", "nba_predictions.ml_experiments"})
# Identifiers made unique per copied season (a natural key must not collide with the original's).
SUFFIXED_IDS = frozenset({"game_id", "event_id", "source_object", "prediction_id", "run_id", "dedupe_key"})


@dataclass(frozen=True)
class HistoryCost:
    function: str
    rows_one: float
    rows_five: float
    seconds_one: float
    seconds_five: float
    per_invocation: float
    within_statement_target: bool | None

    @property
    def rows_ratio(self) -> float:
        return self.rows_five / self.rows_one if self.rows_one else float("nan")

    @property
    def seconds_ratio(self) -> float:
        return self.seconds_five / self.seconds_one if self.seconds_one else float("nan")


def add_history(warehouse_file: Path, season_file: Path, seasons: int) -> dict[str, int]:
    """Append ``seasons`` shifted copies of every game table of ``season_file`` to ``warehouse_file``."""
    added: dict[str, int] = {}
    connection = duckdb.connect(str(warehouse_file))
    try:
        connection.execute(f"ATTACH '{season_file}' AS season (READ_ONLY)")
        for definition in table_definitions():
            if definition.is_view or definition.qualified_name in NOT_HISTORY:
                continue
            columns = connection.execute(
                "SELECT column_name, data_type FROM duckdb_columns() "
                "WHERE database_name = 'season' AND schema_name = ? AND table_name = ? ORDER BY column_index",
                [definition.dataset, definition.name],
            ).fetchall()
            for back in range(1, seasons + 1):
                select = ", ".join(_shifted(name, kind, back) for name, kind in columns)
                names = ", ".join(name for name, _ in columns)
                connection.execute(
                    f"INSERT INTO {definition.qualified_name} ({names}) "
                    f"SELECT {select} FROM season.{definition.qualified_name}"
                )
            counted = connection.execute(f"SELECT COUNT(*) FROM {definition.qualified_name}").fetchone()
            added[definition.qualified_name] = int(counted[0]) if counted else 0
    finally:
        connection.close()
    return added


def partitioned_layout(warehouse_file: Path) -> None:
    """Rewrite ``warehouse_file`` with each table ordered by its partition column, in small row groups."""
    from shared.adapters.sql_translation import to_duckdb

    laid_out = warehouse_file.with_suffix(".layout.duckdb")
    laid_out.unlink(missing_ok=True)
    partitions = partition_columns()
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
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
            order = f" ORDER BY {partitions[name]}" if name in partitions else ""
            connection.execute(f"INSERT INTO target.{name} SELECT * FROM source.{name}{order}")
        connection.execute("USE memory")
        connection.execute("DETACH target")
    finally:
        connection.close()
    for stale in warehouse_file.parent.glob(warehouse_file.name + ".wal"):
        stale.unlink()
    laid_out.replace(warehouse_file)


def _shifted(name: str, kind: str, back: int) -> str:
    days = SEASON_SHIFT_DAYS * back
    if kind == "DATE":
        return f"CAST({name} - INTERVAL {days} DAY AS DATE)"
    if kind.startswith("TIMESTAMP"):
        return f"{name} - INTERVAL {days} DAY"
    if name in SUFFIXED_IDS and kind == "VARCHAR":
        return f"{name} || '~h{back}'"
    return name


def measuring_deps(home: Path) -> Dependencies:
    settings = Settings(home=home)
    warehouse = DuckDBWarehouse(settings.duckdb_path, settings.dataset_suffix, profile_scans=True)
    return build_dependencies(settings, clock=SettableClock(), warehouse=warehouse)


def cost_on_copy(state: Path, scratch: Path, folder: Path, day: date) -> list[FunctionCost]:
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(state, scratch)
    deps = measuring_deps(scratch)
    try:
        return run_date(deps, folder, day)
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def medians(runs: Sequence[list[FunctionCost]]) -> dict[str, tuple[float, float, FunctionCost]]:
    """Per function: (median rows scanned, median seconds, the first run's costs)."""
    result: dict[str, tuple[float, float, FunctionCost]] = {}
    for function in sorted({cost.function for run in runs for cost in run}):
        costs = [cost for run in runs for cost in run if cost.function == function]
        result[function] = (
            statistics.median(c.rows_scanned for c in costs),
            statistics.median(c.seconds for c in costs),
            costs[0],
        )
    return result


def bench_history(
    snapshot: Path, final_warehouse: Path, folder: Path, day: date, work: Path, repeats: int = 3
) -> tuple[list[HistoryCost], dict[str, int]]:
    """The date's cost on one season of history and on five (median of ``repeats`` runs each)."""
    one, five = work / "history-one", work / "history-five"
    for home, seasons in ((one, 1), (five, 5)):
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(snapshot, home)
        rows = add_history(Settings(home=home).duckdb_path, final_warehouse, seasons=seasons)
        partitioned_layout(Settings(home=home).duckdb_path)
    one_runs = [cost_on_copy(one, work / "history-run", folder, day) for _ in range(repeats)]
    five_runs = [cost_on_copy(five, work / "history-run", folder, day) for _ in range(repeats)]
    few, many = medians(one_runs), medians(five_runs)
    return [
        HistoryCost(
            function=function,
            rows_one=few[function][0],
            rows_five=many.get(function, (float("nan"),) * 2)[0],
            seconds_one=few[function][1],
            seconds_five=many.get(function, (float("nan"),) * 2)[1],
            per_invocation=few[function][2].per_invocation,
            within_statement_target=few[function][2].within_target,
        )
        for function in few
    ], rows


def print_history(costs: Sequence[HistoryCost], rows: dict[str, int], day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"One game date ({day}) with 1 and with 5 seasons of history (median of runs)")
    for column in (
        "function",
        "statements / invocation",
        "rows scanned, 1 season",
        "5 seasons",
        "ratio",
        "seconds, 1 season",
        "5 seasons",
        "ratio",
    ):
        table.add_column(column, justify="left" if column == "function" else "right")

    def mark(ratio: float) -> str:
        return f"{ratio:.2f} " + ("[green]pass[/]" if ratio <= HISTORY_RATIO else "[bold red]MISS[/]")

    for cost in costs:
        verdict = {True: " [green]pass[/]", False: " [bold red]MISS[/]", None: ""}
        target = verdict[cost.within_statement_target]
        table.add_row(
            cost.function,
            f"{cost.per_invocation:.1f}{target}",
            f"{cost.rows_one:,.0f}",
            f"{cost.rows_five:,.0f}",
            mark(cost.rows_ratio),
            f"{cost.seconds_one:.3f}",
            f"{cost.seconds_five:.3f}",
            mark(cost.seconds_ratio),
        )
    Console(width=200).print(table)
    Console(width=200).print(f"rows per table with five seasons: {rows}")


def main() -> None:
    """The history figures alone: simulate, replay the season (as ``make bench``), then cost the date."""
    import argparse
    import logging

    from courtside.bench_season import bench_season, bench_simulate, pick_date
    from courtside.fixtures import close_warehouse
    from courtside.seasons import season_dates

    parser = argparse.ArgumentParser(description=__doc__)
    repo_root = Path(__file__).resolve().parent.parent
    parser.add_argument("--work", type=Path, default=repo_root / ".bench" / "history")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the season and homes an earlier run left in --work"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    args.work.mkdir(parents=True, exist_ok=True)
    final, snapshot = args.work / "season-home", args.work / "snapshot-home"
    if args.reuse and (final / "warehouse.duckdb").is_file() and snapshot.is_dir():
        folder = args.work / "season"
        first, last = season_dates(folder)
        day = pick_date(folder, first, last, None)
    else:
        folder, _ = bench_simulate(args.work)
        first, last = season_dates(folder)
        day = pick_date(folder, first, last, None)
        season = bench_season(args.work, folder, first, last, day)
        close_warehouse(season.deps)
    costs, rows = bench_history(snapshot, final / "warehouse.duckdb", folder, day, args.work, args.repeats)
    print_history(costs, rows, day)


if __name__ == "__main__":
    main()
