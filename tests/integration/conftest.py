"""Session-scoped emulators on free ports; a test whose emulator is absent is skipped with the reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from courtside.emulators import (
    EmulatorUnavailableError,
    start_bigquery,
    start_pubsub,
    start_storage,
)
from courtside.processes import RunningProcess
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.adapters.inprocess_bus import InProcessBus
from shared.adapters.local_blob_store import LocalBlobStore
from shared.adapters.log_alert_sink import LogAlertSink
from shared.bootstrap import Dependencies
from shared.settings import Settings

PROJECT = "courtside-it"


def _session_emulator(start: Callable[[], RunningProcess]) -> Iterator[RunningProcess]:
    try:
        emulator = start()
    except EmulatorUnavailableError as exc:
        pytest.skip(f"emulator unavailable: {exc}")
    try:
        yield emulator
    finally:
        emulator.stop()
        emulator.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def pubsub_emulator() -> Iterator[RunningProcess]:
    yield from _session_emulator(start_pubsub)


@pytest.fixture(scope="session")
def bigquery_emulator() -> Iterator[RunningProcess]:
    yield from _session_emulator(lambda: start_bigquery(PROJECT))


@pytest.fixture(scope="session")
def storage_emulator() -> Iterator[RunningProcess]:
    yield from _session_emulator(start_storage)


def unique_suffix() -> str:
    """Each test gets its own datasets / topics, so tests sharing one emulator never see each other."""
    return f"_t{uuid.uuid4().hex[:8]}"


@pytest.fixture
def gcp_settings(tmp_path: Path) -> Settings:
    home = tmp_path / "courtside"
    return Settings(backend="gcp", home=home, project=PROJECT, dataset_suffix=unique_suffix())


def emulated_bigquery(settings: Settings, emulator: RunningProcess) -> Any:
    """The BigQuery warehouse adapter pointed at the emulator."""
    from shared.adapters.bigquery_warehouse import BigQueryWarehouse

    return BigQueryWarehouse(replace(settings, bigquery_emulator_host=emulator.url))


@pytest.fixture(params=["duckdb", "bigquery"])
def either_warehouse(request: pytest.FixtureRequest, gcp_settings: Settings) -> Iterator[Any]:
    """An empty warehouse with every table, once on DuckDB and once on the BigQuery emulator: tests taking it
    show that both engines give the same answers."""
    if request.param == "duckdb":
        store: Any = DuckDBWarehouse(gcp_settings.duckdb_path, gcp_settings.dataset_suffix)
    else:
        store = emulated_bigquery(gcp_settings, request.getfixturevalue("bigquery_emulator"))
    store.ensure_tables()
    yield store
    store.close()


@pytest.fixture
def either_deps(either_warehouse: Any, gcp_settings: Settings, tmp_path: Path) -> Dependencies:
    """Local adapters around ``either_warehouse``: what a service needs to run on both engines."""
    return Dependencies(
        gcp_settings,
        either_warehouse,
        InProcessBus(gcp_settings.project),
        LocalBlobStore(tmp_path / "b"),
        LogAlertSink,
    )
