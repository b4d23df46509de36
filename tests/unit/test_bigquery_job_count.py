"""The BigQuery adapter inserts exactly the jobs it counts: a keyed write is ONE MERGE with its rows inline,
a large one a load job and a MERGE; a query or a statement is one job.

The real google-cloud-bigquery client runs against the fake HTTP transport of the quota tests (BigQuery's own
REST payloads); the table's schema comes from its DDL under schemas/, as ``get_table`` would return it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
import requests
from google.cloud import bigquery

from shared import job_labels
from shared.adapters import keyed_writes
from shared.adapters.bigquery_warehouse import BigQueryWarehouse
from shared.schema_files import table_definitions
from shared.services.grading import ACCURACY_KEY, PREDICTION_ACCURACY
from tests.unit.test_bigquery_quota_retry import FakeBigQuery, _response, warehouse_over

ACCURACY_SCHEMA = [("game_date", "DATE"), ("player_id", "STRING"), ("system_id", "STRING")]


class FakeBigQueryWithTables(FakeBigQuery):
    """Also answers ``get_table`` with a schema (the first columns of prediction_accuracy suffice)."""

    def request(self, method: str, url: str, data: Any = None, **kwargs: Any) -> requests.Response:
        if method == "GET" and "/tables/" in url:
            fields = [{"name": n, "type": t, "mode": "NULLABLE"} for n, t in ACCURACY_SCHEMA]
            reference = {"projectId": "p", "datasetId": "nba_predictions", "tableId": "prediction_accuracy"}
            return _response(method, url, 200, {"tableReference": reference, "schema": {"fields": fields}})
        return super().request(method, url, data, **kwargs)


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"game_date": date(2026, 1, 2), "player_id": f"p{i}", "system_id": "s"} for i in range(n)]


def _jobs_counted(warehouse: BigQueryWarehouse) -> int:
    return sum(warehouse.statements.snapshot().values())


def test_a_keyed_write_is_one_merge_job_with_its_rows_inline() -> None:
    fake = FakeBigQueryWithTables([])
    warehouse, _ = warehouse_over(fake)
    with job_labels.labelled("grading", "boxscores-loaded", "r1"):
        warehouse.replace_rows(PREDICTION_ACCURACY, _rows(3), ACCURACY_KEY)
    assert len(fake.inserts) == 1 == _jobs_counted(warehouse)
    query = fake.inserts[0]["configuration"]["query"]
    assert query["query"].startswith("MERGE `p.nba_predictions.prediction_accuracy` AS target USING (SELECT")
    assert "FROM UNNEST(@staged_rows) AS row" in query["query"]
    staged = next(p for p in query["queryParameters"] if p["name"] == "staged_rows")
    types = [(f["name"], f["type"]["type"]) for f in staged["parameterType"]["arrayType"]["structTypes"]]
    assert types == list(ACCURACY_SCHEMA)
    values = staged["parameterValue"]["arrayValues"]
    assert [v["structValues"]["player_id"]["value"] for v in values] == ["p0", "p1", "p2"]


def test_a_delete_scope_is_part_of_the_same_merge() -> None:
    fake = FakeBigQueryWithTables([])
    warehouse, _ = warehouse_over(fake)
    scope = {"game_date": date(2026, 1, 2), "system_id": ["s", "t"]}
    warehouse.replace_rows(PREDICTION_ACCURACY, _rows(1), ACCURACY_KEY, delete_scope=scope)
    assert len(fake.inserts) == 1 == _jobs_counted(warehouse)
    query = fake.inserts[0]["configuration"]["query"]
    assert query["query"].endswith(
        "WHEN NOT MATCHED BY SOURCE AND target.`game_date` = @scope_game_date "
        "AND target.`system_id` IN UNNEST(@scope_system_id) THEN DELETE"
    )
    names = {p["name"] for p in query["queryParameters"]}
    assert names == {"staged_rows", "scope_game_date", "scope_system_id", "partition_values"}


def test_an_insert_of_missing_rows_is_one_merge_job_too() -> None:
    fake = FakeBigQueryWithTables([])
    warehouse, _ = warehouse_over(fake)
    warehouse.insert_missing_rows(PREDICTION_ACCURACY, _rows(2), ACCURACY_KEY)
    assert len(fake.inserts) == 1 == _jobs_counted(warehouse)
    assert "WHEN MATCHED" not in fake.inserts[0]["configuration"]["query"]["query"]


def test_a_large_keyed_write_is_a_load_job_and_a_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyed_writes, "INLINE_MAX_VALUES", 2 * len(ACCURACY_SCHEMA))
    fake = FakeBigQueryWithTables([])
    warehouse, _ = warehouse_over(fake)
    loads: list[str] = []

    class DoneJob:
        def result(self, **_: Any) -> None:
            return None

    def load(data: Any, table_id: str, **_: Any) -> DoneJob:
        loads.append(table_id)
        return DoneJob()

    monkeypatch.setattr(warehouse.client, "load_table_from_file", load)
    monkeypatch.setattr(warehouse.client, "create_table", lambda table: table)  # API calls, not jobs
    monkeypatch.setattr(warehouse.client, "delete_table", lambda *a, **k: None)
    warehouse.replace_rows(PREDICTION_ACCURACY, _rows(3), ACCURACY_KEY)
    assert len(loads) == 1 and len(fake.inserts) == 1
    assert _jobs_counted(warehouse) == 2
    query = fake.inserts[0]["configuration"]["query"]["query"]
    assert f"USING `{loads[0]}` AS staged" in query
    warehouse.replace_rows(PREDICTION_ACCURACY, _rows(2), ACCURACY_KEY)  # at the bound: inline again
    assert len(loads) == 1 and len(fake.inserts) == 2 and _jobs_counted(warehouse) == 3


def test_queries_and_statements_are_one_job_each() -> None:
    fake = FakeBigQueryWithTables([])
    warehouse, _ = warehouse_over(fake)
    warehouse.query("SELECT 1 AS n")
    warehouse.execute("DELETE FROM nba_raw.rejects WHERE source_object = @s; SELECT 1", {"s": "x"})
    assert len(fake.inserts) == 2 == _jobs_counted(warehouse)


def test_inline_rows_carry_every_column_type_of_the_schemas() -> None:
    """Every type a Courtside table uses can travel inline (the client refuses unknown scalar types)."""
    types = {
        line.split()[1].rstrip(",")
        for definition in table_definitions()
        if not definition.is_view
        for line in definition.ddl.splitlines()
        if line.startswith("  ")
        and not line.strip().startswith(("--", "PARTITION", "CLUSTER", "OPTIONS"))
        and len(line.split()) > 1
    }
    values: dict[str, str | int | float | bool | date] = {
        "STRING": "x",
        "INT64": 1,
        "FLOAT64": 1.5,
        "BOOL": True,
        "DATE": date(2026, 1, 2),
        "TIMESTAMP": datetime(2026, 1, 2, tzinfo=UTC),
    }
    assert types <= set(values), types - set(values)
    for type_name, value in values.items():
        parameter = bigquery.ScalarQueryParameter("c", type_name, value)
        assert json.dumps(parameter.to_api_repr())
