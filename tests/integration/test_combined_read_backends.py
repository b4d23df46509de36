"""Diagnostics' one combined read (shared/sql/combined.py) on DuckDB and on BigQuery (bqemulator): each part's
rows are exactly the rows its SQL file gives alone, in the same order and with the same values, in ONE job;
and an empty part (no shadows, no incidents, no retrain) is an empty list."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.bootstrap import Dependencies
from shared.services.diagnostics import diagnostics_reads
from shared.services.incidents import ALERT_INCIDENTS
from shared.services.model_registry import ML_EXPERIMENTS, MODEL_REGISTRY
from shared.sql.combined import read_combined
from tests.postgame_fixtures import LOADED_AT, SYSTEM, accuracy_row, box_score, schedule

pytestmark = pytest.mark.integration

D = date(2026, 1, 12)
SHADOW_SYSTEM = "catboost_points_v1_shallow"


@pytest.fixture
def deps(either_deps: Dependencies) -> Dependencies:
    return either_deps


def _model(model_id: str, system_id: str, alias: str, trained_at: datetime) -> dict[str, Any]:
    return {
        "model_id": model_id,
        "system_id": system_id,
        "alias": alias,
        "models_bucket": "b",
        "model_path": f"{model_id}.cbm",
        "metadata_path": f"{model_id}.json",
        "feature_version": "v1",
        "feature_names": "[]",
        "trained_at": trained_at,
        "train_from": date(2025, 10, 21),
        "train_to": date(2025, 12, 31),
        "holdout_to": date(2026, 1, 5),
        "train_rows": 1000,
        "holdout_rows": 200,
        "metrics": "{}",
        "catboost_version": "1.2.10",
        "numpy_version": "2",
        "python_version": "3.11",
        "git_commit": "abc",
        "seed": 42,
        "experiment_id": f"exp-{model_id}",
        "alias_updated_at": trained_at,
    }


def _experiment(started_at: datetime) -> dict[str, Any]:
    return {
        "experiment_id": "exp-retrain",
        "model_id": "retrain-m",
        "system_id": "catboost_points_v1_retrain",
        "feature_version": "v1",
        "started_at": started_at,
        "finished_at": started_at + timedelta(minutes=5),
        "duration_seconds": 300.0,
        "train_from": date(2025, 10, 21),
        "train_to": date(2025, 12, 31),
        "holdout_to": date(2026, 1, 5),
        "seed": 42,
        "params": json.dumps({}),
        "train_rows": 1000,
        "holdout_rows": 200,
        "holdout_rows_with_line": 150,
        "metrics": "{}",
        "baselines": "{}",
        "status": "registered",
        "alias": "shadow",
        "git_commit": "abc",
        "model_path": "retrain-m.cbm",
        "metadata_path": "retrain-m.json",
    }


def _incident(scope: str, opened_on: date) -> dict[str, Any]:
    return {
        "incident_id": f"{scope}|{opened_on}",
        "scope": scope,
        "status": "open",
        "opened_on": opened_on,
        "last_seen_on": opened_on,
        "resolved_on": None,
        "peak_level": "WARNING",
        "cause": "MODEL_DRIFT",
        "causes_told": "MODEL_DRIFT",
        "messages": 1,
        "updated_at": LOADED_AT,
    }


def _season(deps: Dependencies) -> None:
    w = deps.warehouse
    rows = []
    for days_back in range(0, 40, 3):  # graded dates inside and beyond the 30-day window, and a previous one
        day = D - timedelta(days=days_back)
        schedule(deps, f"g{days_back}", day)
        box_score(deps, f"g{days_back}", day, "p1", 25)
        for player, actual in (("p1", 25 + days_back % 4), ("p2", 12)):
            rows.append(accuracy_row(day, player, 24.0, 21.5, actual, "OVER", model_id="champion-m"))
            rows.append(
                accuracy_row(
                    day,
                    player,
                    15.0,
                    21.5,
                    actual,
                    "UNDER",
                    system_id=SHADOW_SYSTEM,
                    model_id="shadow-m",
                    is_champion=False,
                )
            )
        rows.append(accuracy_row(day, "p3", 20.0, 20.5, 21, "PASS", system_id="x_wf_s42", is_champion=False))
    w.replace_rows("nba_predictions.prediction_accuracy", rows, ["game_date", "player_id", "system_id"])
    w.replace_rows(
        MODEL_REGISTRY,
        [
            _model("champion-m", SYSTEM, "champion", datetime(2025, 12, 31, 9, tzinfo=UTC)),
            _model("shadow-m", SHADOW_SYSTEM, "shadow", datetime(2026, 1, 2, 9, 30, 15, 250000, tzinfo=UTC)),
        ],
        ["model_id"],
    )
    retrain = _experiment(datetime(2026, 1, 1, 4, 0, 7, tzinfo=UTC))
    w.replace_rows(ML_EXPERIMENTS, [retrain], ["experiment_id"])
    w.replace_rows(
        ALERT_INCIDENTS,
        [_incident(f"performance|{SYSTEM}", D - timedelta(days=9)), _incident("watchdog|all|late", D)],
        ["incident_id"],
    )


def _each_alone(deps: Dependencies, day: date) -> dict[str, list[dict[str, Any]]]:
    return {name: read.run(deps.warehouse) for name, read in diagnostics_reads(day, deps.settings).items()}


def _jobs(deps: Dependencies) -> int:
    return sum(deps.warehouse.statements.snapshot().values())  # type: ignore[attr-defined]


def test_the_combined_read_gives_each_files_rows_in_one_job(deps: Dependencies) -> None:
    _season(deps)
    alone = _each_alone(deps, D)
    before = _jobs(deps)
    combined = read_combined(deps.warehouse, diagnostics_reads(D, deps.settings))
    assert _jobs(deps) - before == 1
    assert combined == alone
    # Every part has rows here, so the comparison above compares something, values and order included.
    assert {name: len(rows) > 0 for name, rows in combined.items()} == dict.fromkeys(alone, True)
    assert [r["model_id"] for r in combined["aliased_models"]] == ["champion-m", "shadow-m"]
    assert combined["aliased_models"][1]["trained_at"] == datetime(2026, 1, 2, 9, 30, 15, 250000, tzinfo=UTC)
    assert combined["last_training"] == [{"last_started_at": datetime(2026, 1, 1, 4, 0, 7, tzinfo=UTC)}]
    assert [r["game_date"] for r in combined["graded_window"]] == sorted(
        r["game_date"] for r in combined["graded_window"]
    )


def test_empty_parts_are_empty_lists(deps: Dependencies) -> None:
    combined = read_combined(deps.warehouse, diagnostics_reads(D, deps.settings))
    assert combined == _each_alone(deps, D)
    assert combined["shadow_bets"] == combined["open_incidents"] == combined["aliased_models"] == []
    assert combined["last_training"] == [{"last_started_at": None}]  # MAX over no rows: one NULL row
