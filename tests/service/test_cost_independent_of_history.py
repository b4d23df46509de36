"""A game date's rows scanned do not grow when an unrelated past season is added to the warehouse.

A short replayed window (the models trained on its first weeks) is copied just before a served date D.
One copy gets three earlier, unrelated seasons: every table's rows again, dated 104, 156 and 208 weeks
earlier (beyond the features' 400-day lookback, which rightly reads the season before), their ids
suffixed so no key collides. Both copies are laid out as the history bench lays them out
(``courtside.bench_history.partitioned_layout``: ordered by partition, small row groups, the current
season starting on a row group of its own), so DuckDB's row-group skipping stands in for BigQuery's
partition pruning. D then runs through every function on each, with DuckDB's profiler counting the rows
every statement scans: a statement that reads without its date window (a lookup over every season's games
or rejects, a write whose key does not name its partition) scans the added seasons, and fails here.
The same runs estimate each function's BigQuery bytes (shared/adapters/scan_bytes.py): checked positive and
billed at BigQuery's 10 MB minimum per job.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from courtside.bench_history import NOT_HISTORY, measuring_deps, partitioned_layout
from courtside.date_cost import FunctionCost, run_date
from courtside.fixtures import copy_home
from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import build_dependencies
from shared.clock import SettableClock
from shared.domain.season import season_start
from shared.job_labels import MINIMUM_BILLED_BYTES
from shared.schema_files import table_definitions
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings

TRAINING_DAYS = 14
HOLDOUT_DAYS = 6
ADDED_SEASONS = 3
FIRST_ADDED_SEASON_BACK = 2  # the season before D's is within the features' lookback: not unrelated
WEEKS_PER_SEASON = 52
SUFFIXED_IDS = frozenset({"game_id", "event_id", "source_object", "prediction_id", "run_id", "dedupe_key"})


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, date]:
    """(season folder, home copied just before D, D)."""
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    first, _ = season_dates(folder)
    day = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    home = tmp_path_factory.mktemp("replayed")
    deps = build_dependencies(Settings(home=home), clock=SettableClock())
    replay(deps, folder, first, day - timedelta(days=1))
    ensure_models(
        deps.warehouse, deps.blobs, deps.settings, training_window(first, TRAINING_DAYS, HOLDOUT_DAYS)
    )
    snapshot = tmp_path_factory.mktemp("snapshot") / "home"
    copy_home(deps, snapshot)
    deps.warehouse.close()  # type: ignore[attr-defined]
    return folder, snapshot, day


def add_earlier_seasons(warehouse_file: Path, seasons: int) -> int:
    """Every table's rows again ``seasons`` times, each a season earlier; returns the rows added."""
    added = 0
    connection = duckdb.connect(str(warehouse_file))
    try:
        for definition in table_definitions():
            if definition.is_view or definition.qualified_name in NOT_HISTORY:
                continue
            columns = connection.execute(
                "SELECT column_name, data_type FROM duckdb_columns() "
                "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
                [definition.dataset, definition.name],
            ).fetchall()
            names = ", ".join(name for name, _ in columns)
            table = definition.qualified_name
            connection.execute(f"CREATE OR REPLACE TEMP TABLE original AS SELECT * FROM {table}")
            for back in range(FIRST_ADDED_SEASON_BACK, FIRST_ADDED_SEASON_BACK + seasons):
                shifted = ", ".join(_shifted(name, kind, back) for name, kind in columns)
                connection.execute(f"INSERT INTO {table} ({names}) SELECT {shifted} FROM original")
            counted = connection.execute("SELECT COUNT(*) FROM original").fetchone()
            added += seasons * int(counted[0]) if counted else 0
    finally:
        connection.close()
    return added


def _shifted(name: str, kind: str, back: int) -> str:
    days = 7 * WEEKS_PER_SEASON * back
    if kind == "DATE":
        return f"CAST({name} - INTERVAL {days} DAY AS DATE)"
    if kind.startswith("TIMESTAMP"):
        return f"{name} - INTERVAL {days} DAY"
    if name in SUFFIXED_IDS and kind == "VARCHAR":
        return f"{name} || '~h{back}'"
    return name


def rows_scanned(state: Path, scratch: Path, folder: Path, day: date) -> dict[str, FunctionCost]:
    shutil.copytree(state, scratch)
    deps = measuring_deps(scratch)
    try:
        return {cost.function: cost for cost in run_date(deps, folder, day)}
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def costs(
    window: tuple[Path, Path, date], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, FunctionCost], dict[str, FunctionCost]]:
    """D's cost per function (alone, with the earlier seasons)."""
    folder, snapshot, day = window
    tmp_path = tmp_path_factory.mktemp("history")
    alone, with_history = tmp_path / "alone", tmp_path / "with-history"
    for home in (alone, with_history):
        shutil.copytree(snapshot, home)
    add_earlier_seasons(Settings(home=with_history).duckdb_path, ADDED_SEASONS)
    for home in (alone, with_history):
        partitioned_layout(Settings(home=home).duckdb_path, season_start(day))
    return (
        rows_scanned(alone, tmp_path / "run-alone", folder, day),
        rows_scanned(with_history, tmp_path / "run-with-history", folder, day),
    )


def test_a_dates_rows_scanned_do_not_grow_with_earlier_seasons(
    costs: tuple[dict[str, FunctionCost], dict[str, FunctionCost]],
) -> None:
    before, after = costs

    assert set(before) >= {"ingest", "feature_store", "prediction", "grading", "sharpness", "diagnostics"}
    assert set(after) == set(before)
    grown = {
        function: (before[function].rows_scanned, after[function].rows_scanned)
        for function in before
        if after[function].rows_scanned > before[function].rows_scanned
    }
    assert not grown, f"rows scanned (alone, with {ADDED_SEASONS} earlier seasons) grew: {grown}"


def test_every_function_of_the_chain_has_an_estimate_of_its_bigquery_bytes(
    costs: tuple[dict[str, FunctionCost], dict[str, FunctionCost]],
) -> None:
    for function, cost in costs[0].items():
        assert cost.bytes_processed > 0, function
        # Every invocation is at least its run record (a job billed 10 MB); no more jobs than statements.
        assert cost.bytes_billed >= max(cost.bytes_processed, cost.invocations * MINIMUM_BILLED_BYTES)
        assert cost.bytes_billed <= cost.bytes_processed + cost.statements * MINIMUM_BILLED_BYTES, function
