"""The feature contract is declared once (shared/domain/features.py); every other place is checked against it.

``disagreements`` names each place that differs from a contract: the SQL's output columns, the
``ml_feature_store`` DDL, the generated Terraform table and the docs table. The current contract must have
none; a contract with one more feature must be reported in each place, so the check can fail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from shared.domain.features import (
    CONTRACTS,
    CURRENT_CONTRACT,
    FEATURE_NAMES,
    FeatureContract,
    FeatureDtype,
    FeatureSource,
    FeatureSpec,
    apply_defaults,
    contract_markdown_table,
    stored_feature_values,
)
from shared.domain.line_policy import NO_LINE, LineSource, SelectedLine
from shared.schema_files import table_definitions
from shared.services import feature_store
from shared.services.feature_store import FEATURE_STORE, feature_row, raw_feature_values
from shared.sql import load_sql

REPO = Path(__file__).resolve().parents[2]
FEATURE_SQL = "features/player_features"
DOCS = REPO / "docs" / "features.md"
TERRAFORM_TABLES = REPO / "terraform" / "generated" / "bigquery_tables.json"


def sql_output_columns() -> list[str]:
    query = sqlglot.parse_one(load_sql(FEATURE_SQL), read="bigquery")
    assert isinstance(query, exp.Select)
    return list(query.named_selects)


def ddl_columns() -> dict[str, tuple[str, bool]]:
    """name -> (BigQuery type as written, NOT NULL) of every column of the feature-store DDL."""
    (ddl,) = [d.ddl for d in table_definitions() if d.qualified_name == FEATURE_STORE]
    create = sqlglot.parse_one(ddl, read="bigquery")
    return {
        column.name: (
            column.args["kind"].sql(dialect="bigquery"),
            any(isinstance(c.kind, exp.NotNullColumnConstraint) for c in column.constraints),
        )
        for column in create.find_all(exp.ColumnDef)
    }


def terraform_columns() -> dict[str, tuple[str, bool]]:
    tables = json.loads(TERRAFORM_TABLES.read_text(encoding="utf-8"))["tables"]
    return {
        field["name"]: (field["type"], field["mode"] == "REQUIRED")
        for field in tables[FEATURE_STORE]["schema"]
    }


def disagreements(contract: FeatureContract) -> list[str]:
    """Every place that disagrees with ``contract``, each named with what to change there."""
    problems: list[str] = []
    sql_columns = set(sql_output_columns())
    for spec in contract.features:
        returned = spec.name in sql_columns
        if spec.source is FeatureSource.SQL and not returned:
            problems.append(f"shared/sql/{FEATURE_SQL}.sql returns no column {spec.name} (source sql)")
        if spec.source is not FeatureSource.SQL and returned:
            problems.append(f"shared/sql/{FEATURE_SQL}.sql returns {spec.name}, declared {spec.source}")
    for place, columns, float_type in (
        (f"schemas/bigquery/{FEATURE_STORE.replace('.', '/')}.sql", ddl_columns(), "FLOAT64"),
        (
            "terraform/generated/bigquery_tables.json (python -m courtside.terraform_generate)",
            terraform_columns(),
            "FLOAT",
        ),
    ):
        for spec in contract.features:
            expected = (float_type, not spec.stored_nullable)
            if columns.get(spec.name) != expected:
                problems.append(f"{place}: {spec.name} is {columns.get(spec.name)}, expected {expected}")
    if contract_markdown_table(contract) not in DOCS.read_text(encoding="utf-8"):
        problems.append("docs/features.md: the contract table differs from contract_markdown_table()")
    return problems


def test_every_place_agrees_with_the_current_contract() -> None:
    assert disagreements(CURRENT_CONTRACT) == []


def test_every_place_agrees_with_each_contract_the_store_serves() -> None:
    # v1 is a part of v2: its columns are the same, only the docs render the current contract's table.
    for contract in CONTRACTS.values():
        assert [p for p in disagreements(contract) if not p.startswith("docs/")] == [], contract.version


def test_a_new_feature_is_named_in_every_place_that_lacks_it() -> None:
    new = FeatureSpec(
        "reb_avg_last10", FeatureDtype.FLOAT, "Mean rebounds over the last 10.", 0, 40, 4.0, True
    )
    v3 = FeatureContract("v3", (*CURRENT_CONTRACT.features, new))

    problems = disagreements(v3)

    assert len(problems) == 4, problems
    assert any(p.startswith("shared/sql/features/player_features.sql") for p in problems)
    assert any(p.startswith("schemas/bigquery/nba_predictions/ml_feature_store.sql") for p in problems)
    assert any(p.startswith("terraform/generated/bigquery_tables.json") for p in problems)
    assert any(p.startswith("docs/features.md") for p in problems)
    assert all("reb_avg_last10" in p for p in problems[:3])


def test_a_changed_nullability_or_source_is_named() -> None:
    changed = tuple(
        FeatureSpec(**{**_fields(spec), "stored_nullable": True}) if spec.name == "pts_avg_last5" else spec
        for spec in CURRENT_CONTRACT.features
    )
    moved = tuple(
        FeatureSpec(**{**_fields(spec), "source": FeatureSource.DERIVED}) if spec.name == "is_home" else spec
        for spec in changed
    )

    problems = disagreements(FeatureContract("v1", moved))

    assert [p for p in problems if "pts_avg_last5" in p and "ml_feature_store.sql" in p]
    assert [p for p in problems if "player_features.sql returns is_home, declared derived" in p]


def _fields(spec: FeatureSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in FeatureSpec.__dataclass_fields__}


def test_a_contract_refuses_a_duplicate_name() -> None:
    with pytest.raises(ValueError, match="duplicate feature name"):
        FeatureContract("v3", (*CURRENT_CONTRACT.features, CURRENT_CONTRACT.features[0]))


# --- the feature store's row is derived from the contract --------------------------------------------


def sql_row() -> dict[str, Any]:
    """A row as player_features.sql returns it: every output column, plausible values."""
    numbers = dict.fromkeys(sql_output_columns(), 3.0)
    return {
        **numbers,
        "game_id": "g1",
        "tipoff_utc": datetime(2025, 1, 15, 0, 30, tzinfo=UTC),
        "player_id": "p1",
        "player_name": "Player One",
        "team": "BOS",
        "opponent": "NYK",
        "is_home": True,
        "history_games": 12,
        "rest_days": 1,
        "opp_pts_allowed_last10": 112.0,
        "injury_status": "PROBABLE",
        "injury_report_available": True,
    }


LINE = SelectedLine(
    line_source=LineSource.ACTUAL_PROP,
    line=20.5,
    bookmaker="DraftKings",
    snapshot_at=datetime(2025, 1, 14, 23, 0, tzinfo=UTC),
    minutes_before_tip=90.0,
    over_price=-110.0,
    under_price=-110.0,
    opening_line=19.5,
    line_movement=1.0,
)


def test_feature_row_writes_exactly_the_feature_store_columns() -> None:
    row = feature_row(date(2025, 1, 14), sql_row(), LINE)

    assert set(row) | {"as_of", "built_at"} == set(ddl_columns())
    assert row["defaulted_count"] == 0
    assert row["range_problems"] is None


def test_every_feature_is_produced_from_its_declared_source() -> None:
    raw = raw_feature_values(sql_row(), LINE)

    assert set(raw) == set(FEATURE_NAMES)
    assert raw["is_home"] == 1.0 and raw["rest_days"] == 1.0 and raw["is_back_to_back"] == 0.0
    assert raw["injury_status_code"] == 1.0
    assert (raw["has_line"], raw["line_value"], raw["line_movement"]) == (1.0, 20.5, 1.0)


def test_nullable_features_are_stored_as_found_and_the_rest_completed() -> None:
    stat: Mapping[str, Any] = {**sql_row(), "pts_avg_season": None, "rest_days": None}

    row = feature_row(date(2025, 1, 14), stat, NO_LINE)

    assert row["line_value"] is None and row["line_movement"] is None and row["has_line"] == 0.0
    assert row["pts_avg_season"] == 8.0 and row["rest_days"] == 2.0
    assert row["defaulted_features"] == "pts_avg_season,rest_days"


@pytest.mark.parametrize("line", [LINE, NO_LINE], ids=["with a line", "without a line"])
def test_readers_get_back_the_values_the_store_completed(line: SelectedLine) -> None:
    stat = {**sql_row(), "fga_avg_last10": None}
    row = feature_row(date(2025, 1, 14), stat, line)

    expected, _ = apply_defaults(raw_feature_values(stat, line))
    assert stored_feature_values(row) == expected


def test_a_declared_feature_the_store_does_not_compute_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feature_store, "FEATURE_NAMES", (*FEATURE_NAMES, "usage_rate_last10"))

    with pytest.raises(RuntimeError, match="usage_rate_last10"):
        raw_feature_values(sql_row(), LINE)
