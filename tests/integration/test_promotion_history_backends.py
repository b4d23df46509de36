"""The alias history on both warehouses: appended with one INSERT, read back in order, NULLs kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.champion_history import rollback_target
from shared.ports import Warehouse
from shared.services.promotion_log import AliasChange, promotion_history, record_alias_change

pytestmark = pytest.mark.integration

AT = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def warehouse(either_warehouse: Warehouse) -> Warehouse:
    return either_warehouse


def test_alias_changes_append_and_read_back_in_order(warehouse: Warehouse) -> None:
    gated = AliasChange(
        "promote",
        "ops@host",
        "beats v1",
        environment="prod",
        forced=True,
        gates=[{"gate": "evidence", "passed": False, "reason": "too few bets"}],
        evidence={"run_id": "wf-x", "bets": 12},
    )
    record_alias_change(warehouse, AliasChange("assign", "training", "trained"), "champion", None, "a", AT)
    record_alias_change(warehouse, gated, "champion", "a", "b", AT + timedelta(hours=1))
    rows = promotion_history(warehouse, AT + timedelta(days=1), 30)
    assert [(r["action"], r["from_model_id"], r["to_model_id"], r["forced"]) for r in rows] == [
        ("assign", None, "a", False),
        ("promote", "a", "b", True),
    ]
    assert rows[1]["environment"] == "prod" and '"too few bets"' in rows[1]["gates"]
    assert rollback_target(rows, "b") == "a"
    assert promotion_history(warehouse, AT + timedelta(days=40), 30) == []  # pruned to the window
