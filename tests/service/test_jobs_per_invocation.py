"""BigQuery jobs per invocation, as the local adapter counts them (the BigQuery adapter inserts exactly the
jobs it counts: tests/unit/test_bigquery_job_count.py), for one game date's chain on a short simulated season.

The figures are the cost model of docs/deploying.md ("Cost"): every function but prediction and training
needs at most ``STATEMENTS_PER_INVOCATION`` jobs per invocation (diagnostics does not yet: see the docs).
A change that adds a job to a function fails here and must say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from courtside.date_cost import HEAVY_FUNCTIONS, STATEMENTS_PER_INVOCATION, FunctionCost, run_date
from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import build_dependencies
from shared.clock import SettableClock
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings

TRAINING_DAYS = 14
HOLDOUT_DAYS = 6
SERVED_DAYS = 3
# Per function: (invocations, BigQuery jobs) for the measured date.
EXPECTED = {
    "diagnostics": (1, 11),  # 8 reads, 1 MERGE per table written, 1 run record: not yet within the target
    "feature_store": (2, 7),  # a build: its games with the stored build, stats, lines, 1 MERGE, 1 record
    "grading": (1, 4),  # predictions with their closing lines, stored grades (read last), 1 MERGE, 1 record
    "ingest": (5, 19),  # per file: 1 read (with its games), 1 MERGE, the rejects when there are any, 1 record
    "prediction": (1, 5),
    "sharpness": (1, 3),
}
NOT_YET_WITHIN_TARGET = frozenset({"diagnostics"})


@pytest.fixture(scope="module")
def date_costs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FunctionCost]]:
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    deps = build_dependencies(Settings(home=tmp_path_factory.mktemp("home")), clock=SettableClock())
    first, _ = season_dates(folder)
    served_from = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    replay(deps, folder, first, served_from - timedelta(days=1))
    ensure_models(
        deps.warehouse, deps.blobs, deps.settings, training_window(first, TRAINING_DAYS, HOLDOUT_DAYS)
    )
    replay(deps, folder, served_from, served_from + timedelta(days=SERVED_DAYS - 1))
    measured: date = served_from + timedelta(days=SERVED_DAYS)
    yield {cost.function: cost for cost in run_date(deps, folder, measured)}
    deps.warehouse.close()  # type: ignore[attr-defined]


def test_each_function_runs_the_jobs_the_cost_model_says(date_costs: dict[str, FunctionCost]) -> None:
    found = {name: (cost.invocations, cost.statements) for name, cost in date_costs.items()}
    assert found == EXPECTED, found


def test_every_light_function_is_within_the_target(date_costs: dict[str, FunctionCost]) -> None:
    for name, cost in date_costs.items():
        if name in HEAVY_FUNCTIONS or name in NOT_YET_WITHIN_TARGET:
            continue
        assert cost.per_invocation <= STATEMENTS_PER_INVOCATION, (name, cost)
        assert cost.bookkeeping == cost.invocations, name  # one run record per invocation, nothing more
