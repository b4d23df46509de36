"""Session-scoped emulators on free ports; a test whose emulator is absent is skipped with the reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from courtside.emulators import (
    EmulatorUnavailableError,
    start_bigquery,
    start_pubsub,
    start_storage,
)
from courtside.processes import RunningProcess
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
