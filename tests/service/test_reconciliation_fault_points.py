"""Each fault point: a step whose warehouse write fails persistently (its message is dead-lettered and the
chain stops there), once cleared, converges to the reference tables within one reconciler cycle.

The reference is the same game date replayed on a copy of the same deployment without the fault. Tables are
compared without ``pipeline_runs`` and its view (one row per delivery), ``run_id``, ``event_id`` (message
ids) and the columns that record *when* a step ran (``built_at``, ``as_of``, ``created_at``, ``graded_at``,
``computed_at``, ``recorded_at``, ``rejected_at``): a re-driven step runs later than the original did, and
every other value must be identical.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from courtside.fixtures import copy_home
from courtside.replay import AFTER_GAMES, MORNING, deliver_pending, land, replay, replay_clock, season_files
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import Dependencies, build_dependencies, dead_letter_archive
from shared.clock import SettableClock, eastern_datetime
from shared.events import ScheduledRun
from shared.ingest.writer import REJECTS_TABLE
from shared.ports import Row
from shared.schema_files import table_definitions
from shared.services.dead_letters import replay_dead_letters
from shared.services.feature_store import FEATURE_STORE
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings
from shared.topology import schedule

TRAINING_DAYS = 10
HOLDOUT_DAYS = 4
WHEN_A_STEP_RAN = (
    "run_id",
    "event_id",
    "built_at",
    "as_of",
    "created_at",
    "graded_at",
    "computed_at",
    "recorded_at",
    "rejected_at",
)
BASE_CYCLE = (9, 20)  # the morning of the date under test, before its files land
MORNING_CYCLE = (13, 20)  # after the morning files, before the first tip-off
AFTER_GAMES_CYCLE = (4, 20)  # the next day, after the results


class InjectedWriteError(Exception):
    pass


class FaultyWarehouse:
    """The real warehouse, except that writes to ``table`` fail while ``failing`` is set."""

    def __init__(self, inner: DuckDBWarehouse, table: str) -> None:
        self._inner = inner
        self._table = table
        self.failing = True
        self.failures = 0

    def _check(self, table: str) -> None:
        if self.failing and table == self._table:
            self.failures += 1
            raise InjectedWriteError(f"injected write failure on {table}")

    def replace_rows(self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]) -> int:
        self._check(table)
        return self._inner.replace_rows(table, rows, key_columns)

    def insert_missing_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        self._check(table)
        return self._inner.insert_missing_rows(table, rows, key_columns)

    def inner_rows(self, table: str, game_date: date) -> list[Row]:
        return self._inner.query(f"SELECT * FROM {table} WHERE game_date = @d", {"d": game_date})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    return folder


@pytest.fixture(scope="module")
def trained_home(season: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date]:
    """A deployment that replayed its first weeks and holds a champion: (its home, the date under test)."""
    home = tmp_path_factory.mktemp("trained")
    deps = build_dependencies(Settings(home=home / "live"), clock=SettableClock())
    first, _ = season_dates(season)
    served = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    replay(deps, season, first, served - timedelta(days=1))
    ensure_models(
        deps.warehouse, deps.blobs, deps.settings, training_window(first, TRAINING_DAYS, HOLDOUT_DAYS)
    )
    # Training leaves the holdout days' predictions ungraded; settle the base first, so the date under test
    # is the only thing a cycle can find missing (in the reference and in every faulty copy alike).
    reconcile_cycle(deps, eastern_datetime(served, *BASE_CYCLE))
    copy_home(deps, home / "base")
    deps.warehouse.close()  # type: ignore[attr-defined]
    return home / "base", served


def deployment(base: Path, target: Path, faulty_table: str | None = None) -> Dependencies:
    shutil.copytree(base, target)
    settings = Settings(home=target)
    warehouse: Any = DuckDBWarehouse(settings.duckdb_path, settings.dataset_suffix)
    if faulty_table:
        warehouse = FaultyWarehouse(warehouse, faulty_table)
    return build_dependencies(settings, warehouse=warehouse, clock=SettableClock())


def reconcile_cycle(deps: Dependencies, at: datetime) -> None:
    """What the hourly Cloud Scheduler job does: publish a ScheduledRun on reconcile-requested."""
    job = schedule("reconciliation")
    clock = deps.clock
    assert isinstance(clock, SettableClock)
    with clock.set_to(at):
        deps.bus.publish(job.topic, ScheduledRun(schedule=job.name, relative_day=job.relative_day))
        deliver_pending(deps)


def snapshot(deps: Dependencies) -> dict[str, list[str]]:
    return {
        table.qualified_name: sorted(
            repr({k: v for k, v in row.items() if k not in WHEN_A_STEP_RAN})
            for row in deps.warehouse.query(f"SELECT * FROM {table.qualified_name}")
        )
        for table in table_definitions()
        # One row per delivery (and its view): ids and timings of their own.
        if not table.qualified_name.startswith("nba_orchestration.pipeline_runs")
    }


@pytest.fixture(scope="module")
def reference(
    trained_home: tuple[Path, date], season: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    base, served = trained_home
    deps = deployment(base, tmp_path_factory.mktemp("reference") / "home")
    morning, evening = season_files(season, served)
    land(deps, season, morning, eastern_datetime(served, *MORNING))
    reconcile_cycle(deps, eastern_datetime(served, *MORNING_CYCLE))
    land(deps, season, evening, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES))
    reconcile_cycle(deps, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES_CYCLE))
    tables = snapshot(deps)
    deps.warehouse.close()  # type: ignore[attr-defined]
    return tables


def clear_after_it_broke(
    fault: FaultyWarehouse, deps: Dependencies, table: str, reference: dict[str, list[str]]
) -> None:
    """The fault really broke the chain (every attempt failed, the message was dead-lettered); clear it."""
    assert isinstance(deps.bus, InProcessBus)
    assert fault.failures >= 5
    assert deps.bus.dead_letters
    assert snapshot(deps)[table] != reference[table]
    fault.failing = False


FAULT_POINTS = [
    ("nba_predictions.ml_feature_store", "morning"),
    ("nba_predictions.player_prop_predictions", "morning"),
    ("nba_predictions.prediction_accuracy", "after-games"),
    ("nba_predictions.vegas_sharpness_daily", "after-games"),
    ("nba_orchestration.performance_diagnostics_daily", "after-games"),
]


@pytest.mark.parametrize(("table", "cycle_at"), FAULT_POINTS)
def test_a_persistent_write_fault_once_cleared_converges_within_one_reconciler_cycle(
    table: str,
    cycle_at: str,
    trained_home: tuple[Path, date],
    season: Path,
    reference: dict[str, list[str]],
    tmp_path: Path,
) -> None:
    base, served = trained_home
    deps = deployment(base, tmp_path / "home", faulty_table=table)
    fault = deps.warehouse
    assert isinstance(fault, FaultyWarehouse) and isinstance(deps.bus, InProcessBus)
    morning, evening = season_files(season, served)
    land(deps, season, morning, eastern_datetime(served, *MORNING))
    if cycle_at == "morning":
        clear_after_it_broke(fault, deps, table, reference)
    reconcile_cycle(deps, eastern_datetime(served, *MORNING_CYCLE))
    land(deps, season, evening, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES))
    if cycle_at == "after-games":
        clear_after_it_broke(fault, deps, table, reference)
    reconcile_cycle(deps, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES_CYCLE))

    converged = snapshot(deps)
    differing = [name for name in reference if converged[name] != reference[name]]
    assert differing == [], "\n".join(
        f"{name}: {len(converged[name])} rows vs {len(reference[name])}; "
        f"only here {sorted(set(converged[name]) - set(reference[name]))[:1]}; "
        f"only in reference {sorted(set(reference[name]) - set(converged[name]))[:1]}"
        for name in differing
    )
    deps.warehouse.close()  # type: ignore[attr-defined]


def test_a_rejects_write_failing_after_the_lines_were_committed_converges_once_its_dead_letter_is_replayed(
    trained_home: tuple[Path, date],
    season: Path,
    reference: dict[str, list[str]],
    tmp_path: Path,
) -> None:
    """The issue's own example: ingest commits a file's lines, then its rejects write fails until the raw
    object's message is dead-lettered, so no lines-loaded is ever published. One reconciler cycle re-drives
    the chain from the stored lines (every table but the rejects converges); the file's rejects, which only
    the file can give, come back when its dead letter is replayed (``courtside dead-letters replay``)."""
    base, served = trained_home
    deps = deployment(base, tmp_path / "home", faulty_table=REJECTS_TABLE)
    fault = deps.warehouse
    assert isinstance(fault, FaultyWarehouse) and isinstance(deps.bus, InProcessBus)
    morning, evening = season_files(season, served)
    land(deps, season, morning, eastern_datetime(served, *MORNING))
    # The base's morning cycle built the date's features before any line existed; no build has seen a line.
    features = fault.inner_rows(FEATURE_STORE, served)
    assert features and not any(row["line_source"] == "ACTUAL_PROP" for row in features)
    clear_after_it_broke(fault, deps, REJECTS_TABLE, reference)
    reconcile_cycle(deps, eastern_datetime(served, *MORNING_CYCLE))
    land(deps, season, evening, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES))
    reconcile_cycle(deps, eastern_datetime(served + timedelta(days=1), *AFTER_GAMES_CYCLE))

    converged = snapshot(deps)
    assert [name for name in reference if converged[name] != reference[name]] == [REJECTS_TABLE]

    with replay_clock(deps).set_to(eastern_datetime(served + timedelta(days=1), 9)):
        replayed = replay_dead_letters(dead_letter_archive(deps), deps.bus, "ingest-on-raw-objects", limit=10)
        deliver_pending(deps)
    assert replayed and all(outcome.new_message_id for outcome in replayed)
    replayed_state = snapshot(deps)
    differing = [name for name in reference if replayed_state[name] != reference[name]]
    assert differing == [], "\n".join(
        f"{name}: only here {sorted(set(replayed_state[name]) - set(reference[name]))[:1]}; "
        f"only in reference {sorted(set(reference[name]) - set(replayed_state[name]))[:1]}"
        for name in differing
    )
    deps.warehouse.close()  # type: ignore[attr-defined]
