"""What the operator tools set up before they measure or emulate: local homes and a deployment with models.

- ``local_dependencies``: the embedded default on a given home, whatever the caller's environment points at;
- ``copy_home``: a consistent copy of a home's warehouse and blobs;
- ``seed_models``: a champion (and the shallow shadow) trained the production way, for ``make emulate``.
Season folders themselves are ``courtside/seasons.py``'s; the training policy is
``shared/services/training_policy.py``'s.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from courtside.replay import replay
from courtside.seasons import ensure_season, season_dates
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings

# Days of the simulated season replayed to train the emulated deployment's champion (last ones held out).
SEED_DAYS = 24
SEED_HOLDOUT_DAYS = 7


def local_dependencies(home: Path) -> Dependencies:
    """The embedded default on ``home`` with a replay's settable clock: no emulator, no Slack, whatever
    the environment says."""
    env = dict(os.environ)
    env["COURTSIDE_HOME"] = str(home)
    env["COURTSIDE_BACKEND"] = "local"
    for name in ("PUBSUB_EMULATOR_HOST", "STORAGE_EMULATOR_HOST", "SLACK_WEBHOOK_URL"):
        env.pop(name, None)
    return build_dependencies(Settings.from_env(env), clock=SettableClock())


def copy_home(deps: Dependencies, target: Path) -> None:
    """A consistent copy of a home's warehouse and blobs (the season folder is not needed)."""
    close_warehouse(deps)  # flushes the write-ahead log into the file; reconnects on next use
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    settings = deps.settings
    for path in settings.duckdb_path.parent.glob(settings.duckdb_path.name + "*"):
        shutil.copy2(path, target / path.name)
    if settings.blob_root.is_dir():
        shutil.copytree(settings.blob_root, target / settings.blob_root.name)


def close_warehouse(deps: Dependencies) -> None:
    close = getattr(deps.warehouse, "close", None)
    if callable(close):
        close()


def seed_models(settings: Settings, log: Callable[[str], object] = print) -> None:
    """Give a deployment a champion model (and the shallow shadow), so a date runs through the whole chain.

    The models are trained the production way: the first weeks of the cached simulated season are
    replayed in-process into the deployment's home, then the training policy registers them there.
    """
    started = time.monotonic()
    folder = ensure_season(Settings.from_env())  # the season cache of the caller's home
    first, _ = season_dates(folder)
    deps = build_dependencies(settings, clock=SettableClock())
    try:
        replay(deps, folder, first, first + timedelta(days=SEED_DAYS - 1))
        window = training_window(first, SEED_DAYS - SEED_HOLDOUT_DAYS, SEED_HOLDOUT_DAYS)
        for report in ensure_models(deps.warehouse, deps.blobs, deps.settings, window):
            log(f"trained {report.alias} {report.system_id} ({report.model_id})")
    finally:
        getattr(deps.warehouse, "close", deps.warehouse.release)()
    log(f"champion trained on {SEED_DAYS} replayed days in {time.monotonic() - started:.1f}s")
