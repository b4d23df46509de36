"""Every query of an operator surface leaves backtest systems out through the one domain rule.

A walk-forward writes into the production tables under ``<system_id>_wf_s<seed>`` (``shared.domain.systems``).
The SQL that reads those tables for sharpness, diagnostics, the watchdog, the backfill's announcements, the
run summary and the views must filter with ``@backtest_system_pattern``; the rest is listed here with why.
The service test ``tests/service/test_backtest_isolation.py`` shows the result on a real walk-forward.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.domain.systems import backtest_system_id, is_production_system, production_systems_param

SQL_ROOT = Path(__file__).resolve().parents[2] / "shared" / "sql"
SYSTEM_TABLES = re.compile(
    r"\b(prediction_accuracy|player_prop_predictions(_current)?|performance_diagnostics_daily|"
    r"vegas_sharpness_daily|shadow_comparison_daily|model_registry)\b"
)
# Folders whose queries must see backtest systems or pick one system explicitly:
OWNED_FOLDERS = {
    "experiments": "reads its own backtest system's rows (the evidence)",
    "grading": "a backtest grades its own system; grade_date applies is_production_system by default",
    "prediction": "versions per system: a backtest supersedes only its own predictions",
    "models": "the registry by model id or alias (aliases are production's)",
    "evaluation": "the scenario evaluation's own replayed deployment, read after it runs",
}
ONE_SYSTEM = {
    "views/graded_bets.sql": "one system by @system_id, chosen from views/systems.sql",
    "views/sharpness_daily.sql": "one system by @system_id, chosen from views/systems.sql",
}


def operator_queries() -> list[Path]:
    return sorted(
        path
        for path in SQL_ROOT.rglob("*.sql")
        if SYSTEM_TABLES.search(path.read_text())
        and path.relative_to(SQL_ROOT).parts[0] not in OWNED_FOLDERS
        and path.relative_to(SQL_ROOT).as_posix() not in ONE_SYSTEM
    )


def test_there_are_operator_queries_to_check():
    names = {path.relative_to(SQL_ROOT).as_posix() for path in operator_queries()}
    assert {"diagnostics/systems.sql", "views/systems.sql", "diagnostics/watchdog_progress.sql"} <= names


@pytest.mark.parametrize("path", operator_queries(), ids=lambda p: p.relative_to(SQL_ROOT).as_posix())
def test_operator_queries_filter_backtest_systems(path: Path):
    text = path.read_text()
    assert "@backtest_system_pattern" in text and "REGEXP_CONTAINS" in text, (
        f"{path.relative_to(SQL_ROOT)} reads per-system tables for an operator surface: add "
        "`NOT REGEXP_CONTAINS(system_id, @backtest_system_pattern)` (shared/domain/systems.py)"
    )


@pytest.mark.parametrize(
    "system_id", ["catboost_points_v1", "catboost_points_v1_retrain", "x_wf_s", "x_wf_s1a", "x_wf_s42"]
)
def test_the_sql_pattern_and_the_python_rule_agree(deps, system_id: str):
    # Through the warehouse port: BigQuery's REGEXP_CONTAINS as sqlglot translates it for DuckDB.
    rows = deps.warehouse.query(
        "SELECT REGEXP_CONTAINS(@system_id, @backtest_system_pattern) AS backtest",
        {"system_id": system_id, **production_systems_param()},
    )
    assert rows[0]["backtest"] is not is_production_system(system_id)


def test_a_backtest_system_is_never_a_production_system():
    assert not is_production_system(backtest_system_id("catboost_points_v1", 42))
