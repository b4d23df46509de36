"""A full simulated season replayed through the whole chain, built once per test session for the operator
views, the dashboard and the browser tests (the same path as ``courtside demo``: simulate, replay the
training weeks, train a champion and a shadow challenger, replay the rest of the season).

``COURTSIDE_TEST_SEASON_HOME`` may name a home where ``courtside demo`` already ran: its warehouse and blobs
are copied instead (a shortcut while iterating; CI builds the season).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings


@dataclass(frozen=True)
class BuiltSeason:
    deps: Dependencies
    home: Path
    first: date
    last: date

    @property
    def mid_season(self) -> date:
        """A date well after the models started serving, with games, predictions and grades before it."""
        return self.first + timedelta(days=100)


def _copy_prebuilt(source: Path, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        if (source / name).exists():
            shutil.copy2(source / name, home / name)
    shutil.copytree(source / "blobs", home / "blobs")


@pytest.fixture(scope="session")
def full_season(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSeason]:
    home = tmp_path_factory.mktemp("season-home")
    prebuilt = os.environ.get("COURTSIDE_TEST_SEASON_HOME")
    if prebuilt:
        _copy_prebuilt(Path(prebuilt), home)
        folder = next((Path(prebuilt) / "seasons").iterdir())
        deps = build_dependencies(Settings(home=home))
    else:
        folder = tmp_path_factory.mktemp("season") / "2025-26"
        simulate_season(folder, seed=42)
        # A replay runs on the season's own clock, so its dependencies carry a settable one.
        deps = build_dependencies(Settings(home=home), clock=SettableClock())
        first, last = season_dates(folder)
        window = training_window(first)
        replay(deps, folder, first, window.holdout_to)
        ensure_models(deps.warehouse, deps.blobs, deps.settings, window)
        replay(deps, folder, window.holdout_to + timedelta(days=1), last)
    first, last = season_dates(folder)
    yield BuiltSeason(deps, home, first, last)
    deps.warehouse.close()  # type: ignore[attr-defined]


@pytest.fixture
def empty_deps(tmp_path: Path) -> Iterator[Dependencies]:
    deps = build_dependencies(Settings(home=tmp_path / "empty"))
    yield deps
    deps.warehouse.close()  # type: ignore[attr-defined]
