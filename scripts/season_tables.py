"""Dump every table after a short simulated season: compare two versions of the code for identical behaviour.

    PYTHONPATH=. .venv/bin/python scripts/season_tables.py OUT.txt

Runs what tests/service/test_chain_end_to_end.py runs (seed 7: 20 days replayed, a champion and a challenger
trained on the first 14 with a 6-day holdout, 6 more days served) and writes every table but
``pipeline_runs``, rows sorted, without ``run_id``, ``duration_seconds`` and ``git_commit``. The training
clock is frozen, because model ids carry the training time. Run it on two checkouts and ``cmp`` the files.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import build_dependencies
from shared.clock import SettableClock
from shared.schema_files import table_definitions
from shared.services import training
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings

VARYING_COLUMNS = ("run_id", "duration_seconds", "git_commit")


def main(out: Path) -> None:
    training.utc_now = lambda: datetime(2025, 11, 10, 12, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    work = Path(tempfile.mkdtemp())
    folder = work / "2025-26"
    simulate_season(folder, seed=7)
    deps = build_dependencies(Settings(home=work / "home"), clock=SettableClock())
    first, _ = season_dates(folder)
    served_from = first + timedelta(days=20)
    replay(deps, folder, first, served_from - timedelta(days=1))
    ensure_models(deps.warehouse, deps.blobs, deps.settings, training_window(first, 14, 6))
    replay(deps, folder, served_from, served_from + timedelta(days=5))
    with out.open("w", encoding="utf-8") as handle:
        for table in table_definitions():
            if table.qualified_name.startswith("nba_orchestration.pipeline_runs"):
                continue  # one row per delivery (and its latest view), with its own ids and timings
            rows = sorted(
                repr({k: v for k, v in row.items() if k not in VARYING_COLUMNS})
                for row in deps.warehouse.query(f"SELECT * FROM {table.qualified_name}")
            )
            handle.write(f"## {table.qualified_name} {len(rows)}\n")
            handle.writelines(f"{row}\n" for row in rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
