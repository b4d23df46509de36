"""The Warehouse contract, run on DuckDB and on BigQuery (bqemulator): both must behave the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from courtside.processes import RunningProcess
from shared.bootstrap import build_dependencies
from shared.events import FeaturesReady
from shared.messages import encode, pubsub_cloud_event
from shared.ports import Warehouse
from shared.runtime import handle_cloud_event
from shared.schema_files import table_definitions
from shared.settings import DATASETS, Settings
from tests.integration.conftest import emulated_bigquery

pytestmark = pytest.mark.integration

RUNS = "nba_orchestration.pipeline_runs"
KEY = ["function_name", "event_id"]
STARTED = datetime(2026, 1, 2, 23, 30, tzinfo=UTC)


@pytest.fixture
def warehouse(either_warehouse: Warehouse) -> Warehouse:
    return either_warehouse


def _run(event_id: str, status: str = "success", **extra: Any) -> dict[str, Any]:
    return {
        "function_name": "grading",
        "event_id": event_id,
        "status": status,
        "started_at": STARTED,
        "rows_read": 1,
        "game_date": date(2026, 1, 2),
        **extra,
    }


def _runs(warehouse: Warehouse) -> list[dict[str, Any]]:
    return warehouse.query(
        f"SELECT event_id, status, rows_read, detail, rows_written FROM {RUNS} ORDER BY event_id"
    )


def test_scalar_parameters_of_each_type_round_trip(warehouse: Warehouse) -> None:
    eastern_evening = datetime(2026, 1, 2, 19, 30, tzinfo=timezone(timedelta(hours=-5)))
    rows = warehouse.query(
        "SELECT @text AS text, @flag AS flag, @count AS count, @ratio AS ratio, @day AS day, "
        "@instant AS instant, @nothing IS NULL AS nothing_is_null, @count + 1 AS next_count, "
        "CAST(DATE_ADD(@day, INTERVAL 1 DAY) AS DATE) AS next_day",
        {
            "text": "O'Neal; DROP TABLE x",
            "flag": True,
            "count": 41,
            "ratio": 0.25,
            "day": date(2026, 1, 2),
            "instant": eastern_evening,
            "nothing": None,
        },
    )
    assert rows == [
        {
            "text": "O'Neal; DROP TABLE x",
            "flag": True,
            "count": 41,
            "ratio": 0.25,
            "day": date(2026, 1, 2),
            "instant": datetime(2026, 1, 3, 0, 30, tzinfo=UTC),
            "nothing_is_null": True,
            "next_count": 42,
            "next_day": date(2026, 1, 3),
        }
    ]


def test_array_parameters_filter_with_in_unnest(warehouse: Warehouse) -> None:
    warehouse.replace_rows(
        RUNS,
        [
            _run("a", game_date=date(2026, 1, 1)),
            _run("b", game_date=date(2026, 1, 2)),
            _run("c", game_date=date(2026, 1, 3), status="failed"),
        ],
        KEY,
    )
    by_dates = warehouse.query(
        f"SELECT event_id FROM {RUNS} WHERE game_date IN UNNEST(@dates) ORDER BY event_id",
        {"dates": [date(2026, 1, 1), date(2026, 1, 3)]},
    )
    by_status = warehouse.query(
        f"SELECT event_id FROM {RUNS} WHERE status IN UNNEST(@statuses) AND rows_read IN UNNEST(@n) "
        "ORDER BY event_id",
        {"statuses": ("failed", "rejected"), "n": [1, 2]},
    )
    assert [r["event_id"] for r in by_dates] == ["a", "c"]
    assert [r["event_id"] for r in by_status] == ["c"]


def test_replace_rows_replaces_by_key_and_nulls_omitted_columns(warehouse: Warehouse) -> None:
    first = warehouse.replace_rows(RUNS, [_run("e1", detail="first try", rows_written=5), _run("e2")], KEY)
    second = warehouse.replace_rows(RUNS, [_run("e1", status="failed", rows_read=2)], KEY)
    assert (first, second) == (2, 1)
    assert _runs(warehouse) == [
        {"event_id": "e1", "status": "failed", "rows_read": 2, "detail": None, "rows_written": None},
        {"event_id": "e2", "status": "success", "rows_read": 1, "detail": None, "rows_written": None},
    ]


def test_replace_rows_twice_leaves_the_table_unchanged(warehouse: Warehouse) -> None:
    rows = [_run("e1", detail="x"), _run("e2", detail="y")]
    warehouse.replace_rows(RUNS, rows, KEY)
    before = _runs(warehouse)
    warehouse.replace_rows(RUNS, rows, KEY)
    assert _runs(warehouse) == before
    assert len(before) == 2


def test_insert_missing_rows_adds_only_missing_keys(warehouse: Warehouse) -> None:
    warehouse.replace_rows(RUNS, [_run("e1", detail="original")], KEY)
    added = warehouse.insert_missing_rows(RUNS, [_run("e1", detail="changed"), _run("e3", detail="new")], KEY)
    again = warehouse.insert_missing_rows(RUNS, [_run("e1"), _run("e3")], KEY)
    assert (added, again) == (1, 0)
    assert [(r["event_id"], r["detail"]) for r in _runs(warehouse)] == [("e1", "original"), ("e3", "new")]


def test_a_delete_scope_removes_the_scopes_other_rows_in_the_same_write(warehouse: Warehouse) -> None:
    other_day = date(2026, 1, 3)
    warehouse.replace_rows(RUNS, [_run("e1"), _run("e2"), _run("e3", game_date=other_day)], KEY)
    warehouse.replace_rows(
        RUNS, [_run("e2", detail="kept")], KEY, delete_scope={"game_date": date(2026, 1, 2)}
    )
    assert [(r["event_id"], r["detail"]) for r in _runs(warehouse)] == [("e2", "kept"), ("e3", None)]
    warehouse.replace_rows(
        RUNS, [_run("e4")], KEY, delete_scope={"game_date": date(2026, 1, 2), "function_name": ["other"]}
    )
    assert [r["event_id"] for r in _runs(warehouse)] == ["e2", "e3", "e4"]


def test_a_large_keyed_write_goes_through_staging_the_same(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.adapters import keyed_writes

    monkeypatch.setattr(keyed_writes, "INLINE_MAX_VALUES", 1)
    counts = warehouse.statements  # type: ignore[attr-defined]
    counts.reset()
    warehouse.replace_rows(RUNS, [_run("e1", detail="first try"), _run("e2")], KEY)
    warehouse.replace_rows(
        RUNS, [_run("e1", status="failed")], KEY, delete_scope={"function_name": "grading"}
    )
    assert counts.snapshot() == {("", "write"): 4}  # each: a load job and a MERGE, as BigQuery runs it
    assert [(r["event_id"], r["status"]) for r in _runs(warehouse)] == [("e1", "failed")]


def test_keyed_writes_refuse_unknown_columns_and_duplicate_keys(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="no column"):
        warehouse.replace_rows(RUNS, [_run("e1", not_a_column=1)], KEY)
    with pytest.raises(ValueError, match="duplicate natural keys"):
        warehouse.insert_missing_rows(RUNS, [_run("e1"), _run("e1")], KEY)
    assert _runs(warehouse) == []


def test_execute_runs_dml_with_parameters(warehouse: Warehouse) -> None:
    warehouse.replace_rows(RUNS, [_run("e1"), _run("e2")], KEY)
    warehouse.execute(f"DELETE FROM {RUNS} WHERE event_id = @event_id", {"event_id": "e1"})
    assert [r["event_id"] for r in _runs(warehouse)] == ["e2"]


def test_ensure_tables_creates_every_table_under_schemas(warehouse: Warehouse) -> None:
    warehouse.ensure_tables()  # a second time: must be a no-op
    for definition in table_definitions():
        rows = warehouse.query(f"SELECT COUNT(*) AS n FROM {definition.qualified_name}")
        assert rows == [{"n": 0}], definition.qualified_name


def test_bigquery_ensure_tables_lists_exactly_the_schema_tables(
    bigquery_emulator: RunningProcess, gcp_settings: Settings
) -> None:
    store = emulated_bigquery(gcp_settings, bigquery_emulator)
    store.ensure_tables()
    store.replace_rows(RUNS, [_run("e1")], KEY)  # leaves no staging table behind
    found = {
        f"{dataset}.{table.table_id}"
        for dataset in DATASETS
        for table in store.client.list_tables(gcp_settings.dataset(dataset))
    }
    assert found == {d.qualified_name for d in table_definitions()}


def test_runtime_records_a_rejected_run_in_bigquery(
    bigquery_emulator: RunningProcess, gcp_settings: Settings
) -> None:
    from shared.adapters.inprocess_bus import InProcessBus
    from shared.adapters.local_blob_store import LocalBlobStore
    from shared.adapters.log_alert_sink import LogAlertSink

    store = emulated_bigquery(gcp_settings, bigquery_emulator)
    store.ensure_tables()
    deps = build_dependencies(
        gcp_settings,
        warehouse=store,
        bus=InProcessBus(),
        blobs=LocalBlobStore(gcp_settings.blob_root),
        alert_sink=LogAlertSink(),
    )
    event = FeaturesReady(
        game_date=date(2026, 1, 2),
        run_id="r1",
        produced_by="feature_store",
        produced_at=STARTED,
        feature_version="v1",
        rows_written=1,
        production_ready_rows=1,
    )
    data, attributes = encode("features-ready", event)
    # grading does not subscribe to features-ready: a permanent error, acknowledged and recorded.
    cloud_event = pubsub_cloud_event(gcp_settings.project, "features-ready", "x", data, attributes, "m-1")
    outcome = handle_cloud_event("grading", cloud_event, deps)
    assert outcome.status == "rejected"
    rows = store.query(
        f"SELECT function_name, event_id, status, game_date, delivery_attempt FROM {RUNS}_latest"
    )
    assert rows == [
        {
            "function_name": "grading",
            "event_id": "m-1",
            "status": "rejected",
            "game_date": None,
            "delivery_attempt": 1,
        }
    ]
