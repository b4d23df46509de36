"""The embedded warehouse: BigQuery-dialect SQL with parameters, keyed writes, the DDL from schemas/."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from shared.adapters.duckdb_warehouse import DuckDBWarehouse, _key_bounds
from shared.adapters.sql_translation import UnsupportedSqlError, to_duckdb
from shared.schema_files import table_definitions

LOADED = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)


def injury(player: str, status: str, hour: int = 12) -> dict[str, object]:
    return {
        "game_date": date(2026, 1, 2),
        "player_id": player,
        "status": status,
        "reported_at": datetime(2026, 1, 2, hour, 0, tzinfo=UTC),
        "source_object": "injuries/2026-01-02.csv",
        "source_row": 1,
        "loaded_at": LOADED,
    }


@pytest.fixture
def warehouse(tmp_path: Path) -> DuckDBWarehouse:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.ensure_tables()
    return wh


def test_every_schema_file_becomes_a_table_or_view(warehouse: DuckDBWarehouse) -> None:
    definitions = table_definitions()
    assert len(definitions) >= 8
    for definition in definitions:
        rows = warehouse.query(f"SELECT COUNT(*) AS n FROM {definition.qualified_name}")
        assert rows == [{"n": 0}]


def test_replace_rows_replaces_by_key_and_keeps_others(warehouse: DuckDBWarehouse) -> None:
    warehouse.replace_rows("nba_raw.injuries", [injury("a", "OUT"), injury("b", "PROBABLE")], KEY)
    warehouse.replace_rows("nba_raw.injuries", [injury("a", "QUESTIONABLE")], KEY)
    rows = warehouse.query("SELECT player_id, status FROM nba_raw.injuries ORDER BY player_id")
    assert rows == [{"player_id": "a", "status": "QUESTIONABLE"}, {"player_id": "b", "status": "PROBABLE"}]


def test_insert_missing_rows_never_touches_existing_rows(warehouse: DuckDBWarehouse) -> None:
    assert warehouse.insert_missing_rows("nba_raw.injuries", [injury("a", "OUT")], KEY) == 1
    assert (
        warehouse.insert_missing_rows("nba_raw.injuries", [injury("a", "AVAILABLE"), injury("c", "OUT")], KEY)
        == 1
    )
    rows = warehouse.query("SELECT player_id, status FROM nba_raw.injuries ORDER BY player_id")
    assert rows == [{"player_id": "a", "status": "OUT"}, {"player_id": "c", "status": "OUT"}]


def test_duplicate_keys_in_one_write_are_a_bug_not_a_coin_toss(warehouse: DuckDBWarehouse) -> None:
    with pytest.raises(ValueError, match="duplicate natural keys"):
        warehouse.replace_rows("nba_raw.injuries", [injury("a", "OUT"), injury("a", "OUT")], KEY)


def test_unknown_columns_and_tables_are_refused(warehouse: DuckDBWarehouse) -> None:
    with pytest.raises(ValueError, match="no column"):
        warehouse.replace_rows("nba_raw.injuries", [{**injury("a", "OUT"), "surprise": 1}], KEY)
    with pytest.raises(ValueError, match="known dataset"):
        warehouse.replace_rows("elsewhere.injuries", [injury("a", "OUT")], KEY)


def test_parameters_of_each_type(warehouse: DuckDBWarehouse) -> None:
    warehouse.replace_rows("nba_raw.injuries", [injury("a", "OUT", 10), injury("b", "OUT", 14)], KEY)
    rows = warehouse.query(
        "SELECT player_id FROM nba_raw.injuries WHERE game_date = @day AND reported_at <= @cutoff "
        "AND status IN UNNEST(@statuses) AND source_row >= @min_row ORDER BY player_id",
        {
            "day": date(2026, 1, 2),
            "cutoff": datetime(2026, 1, 2, 12, 0, tzinfo=UTC),
            "statuses": ["OUT", "DOUBTFUL"],
            "min_row": 1,
            "unused": "ignored",
        },
    )
    assert rows == [{"player_id": "a"}]


def test_date_arithmetic_stays_a_date_when_cast(warehouse: DuckDBWarehouse) -> None:
    rows = warehouse.query(
        "SELECT CAST(DATE_SUB(@d, INTERVAL 6 DAY) AS DATE) AS start", {"d": date(2026, 3, 1)}
    )
    assert rows == [{"start": date(2026, 2, 23)}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT DATE_TRUNC(game_date, MONTH) FROM nba_raw.schedule",
        "SELECT EXTRACT(DAYOFWEEK FROM game_date) FROM nba_raw.schedule",
        "SELECT x FROM UNNEST([1, 2]) AS x WITH OFFSET",
        "SELECT APPROX_QUANTILES(points, 4) FROM nba_raw.boxscores",
        "SELECT DATE_SUB(game_date, INTERVAL 1 DAY) FROM nba_raw.schedule",
    ],
)
def test_constructs_that_translate_wrongly_are_refused(sql: str) -> None:
    with pytest.raises(UnsupportedSqlError):
        to_duckdb(sql)


def test_dataset_suffix_renames_only_courtside_datasets() -> None:
    [statement] = to_duckdb("SELECT * FROM nba_raw.schedule JOIN other.t USING (game_id)", "_dev")
    assert "nba_raw_dev.schedule" in statement
    assert "other.t" in statement


def test_timestamps_come_back_as_aware_utc(warehouse: DuckDBWarehouse) -> None:
    warehouse.replace_rows("nba_raw.injuries", [injury("a", "OUT")], KEY)
    [row] = warehouse.query("SELECT reported_at FROM nba_raw.injuries")
    assert row["reported_at"] == datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    assert row["reported_at"].utcoffset().total_seconds() == 0


KEY = ["game_date", "player_id", "reported_at"]


def pipeline_run(event_id: str, status: str, error: str | None = None) -> dict[str, object]:
    return {
        "function_name": "grading",
        "event_id": event_id,
        "run_id": None,
        "game_date": date(2026, 1, 2),
        "status": status,
        "started_at": datetime(2026, 1, 2, 12, 0, 0, 250000, tzinfo=UTC),
        "finished_at": datetime(2026, 1, 2, 7, 0, 1, tzinfo=timezone(timedelta(hours=-5))),
        "duration_ms": 750,
        "rows_read": 3,
        "rows_written": 0,
        "detail": "ünïcode 'quoted' \"text\"",
        "error": error,
    }


RUNS_KEY = ["function_name", "event_id"]


@pytest.mark.parametrize("values_max_parameters", [0, 10_000], ids=["staged-json", "bound-parameters"])
def test_small_and_staged_writes_store_the_same_values(tmp_path: Path, values_max_parameters: int) -> None:
    """Small writes bind parameters, large ones stage a JSON file: both must store exactly the same values."""
    wh = DuckDBWarehouse(tmp_path / "w.duckdb", values_max_parameters=values_max_parameters)
    wh.ensure_tables()
    assert wh.replace_rows("nba_orchestration.pipeline_runs", [pipeline_run("a", "failed", "boom")], RUNS_KEY)
    wh.replace_rows(
        "nba_orchestration.pipeline_runs",
        [pipeline_run("a", "success"), pipeline_run("b", "rejected")],
        RUNS_KEY,
    )
    assert (
        wh.insert_missing_rows(
            "nba_orchestration.pipeline_runs",
            [pipeline_run("b", "failed"), pipeline_run("c", "skipped")],
            RUNS_KEY,
        )
        == 1
    )
    rows = wh.query(
        "SELECT event_id, status, run_id, game_date, started_at, finished_at, duration_ms, detail, error "
        "FROM nba_orchestration.pipeline_runs ORDER BY event_id"
    )
    assert [(r["event_id"], r["status"], r["error"]) for r in rows] == [
        ("a", "success", None),
        ("b", "rejected", None),
        ("c", "skipped", None),
    ]
    for row in rows:
        assert row["run_id"] is None
        assert row["game_date"] == date(2026, 1, 2)
        assert row["started_at"] == datetime(2026, 1, 2, 12, 0, 0, 250000, tzinfo=UTC)
        assert row["finished_at"] == datetime(2026, 1, 2, 12, 0, 1, tzinfo=UTC)
        assert row["duration_ms"] == 750
        assert row["detail"] == "ünïcode 'quoted' \"text\""


@pytest.mark.parametrize("values_max_parameters", [0, 10_000], ids=["staged-json", "bound-parameters"])
def test_a_null_key_is_replaced_like_any_other_key(tmp_path: Path, values_max_parameters: int) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb", values_max_parameters=values_max_parameters)
    wh.ensure_tables()
    reject = {
        "source_object": "lines/x.csv",
        "file_kind": "prop_lines",
        "row_number": 0,
        "column_name": "",
        "reason": "unreadable_file",
        "raw_value": None,
        "raw_row": None,
        "rejected_at": LOADED,
        "run_id": None,
    }
    key = ["source_object", "row_number", "raw_value"]
    wh.replace_rows("nba_raw.rejects", [reject], key)
    wh.replace_rows("nba_raw.rejects", [{**reject, "reason": "no_header"}], key)
    assert wh.query("SELECT reason FROM nba_raw.rejects") == [{"reason": "no_header"}]


def test_key_bounds_cover_the_written_keys_and_skip_what_cannot_be_ordered_safely() -> None:
    types = {"day": "DATE", "player": "VARCHAR", "at": "TIMESTAMP WITH TIME ZONE", "n": "BIGINT"}
    early, late = datetime(2026, 1, 2, 1, tzinfo=UTC), datetime(2026, 1, 2, 9, tzinfo=UTC)
    rows = [
        {"day": date(2026, 1, 3), "player": "b", "at": late, "n": 10},
        {"day": date(2026, 1, 2), "player": "a", "at": early, "n": 9},
    ]
    sql, params = _key_bounds(rows, ["day", "player", "at", "n"], types)
    assert sql.count("BETWEEN") == 4
    assert params == [date(2026, 1, 2), date(2026, 1, 3), "a", "b", early, late, 9, 10]
    # a NULL key, a naive timestamp, a number written as text: that column is left unbounded
    odd = [{"day": None, "player": "a", "at": datetime(2026, 1, 2), "n": "10"}]
    assert _key_bounds(odd, ["day", "at", "n"], types) == ("", [])


def test_replacing_rows_far_apart_in_time_finds_every_stored_key(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb", values_max_parameters=0)  # the bounded, staged path
    warehouse.ensure_tables()
    rows = [injury(str(hour), "OUT", hour) for hour in range(24)]
    warehouse.replace_rows("nba_raw.injuries", rows, KEY)
    changed = [injury("0", "AVAILABLE", 0), injury("23", "AVAILABLE", 23)]
    warehouse.replace_rows("nba_raw.injuries", changed, KEY)
    assert warehouse.query("SELECT COUNT(*) AS n FROM nba_raw.injuries") == [{"n": 24}]
    statuses = warehouse.query(
        "SELECT player_id FROM nba_raw.injuries WHERE status = 'AVAILABLE' ORDER BY player_id"
    )
    assert statuses == [{"player_id": "0"}, {"player_id": "23"}]


def test_repeated_queries_return_the_same_aware_utc_timestamps_in_the_same_order(
    warehouse: DuckDBWarehouse,
) -> None:
    """Later runs of a SELECT fetch TIMESTAMPTZ columns as naive UTC and tag them: nothing may differ."""
    rows = [injury(f"p{hour:02d}", "OUT", hour) for hour in range(24)]
    warehouse.replace_rows("nba_raw.injuries", rows, KEY)
    sql = (
        "SELECT player_id, reported_at, loaded_at, IF(player_id < 'p12', NULL, reported_at) AS maybe "
        "FROM nba_raw.injuries WHERE game_date = @day ORDER BY reported_at DESC"
    )
    first = warehouse.query(sql, {"day": date(2026, 1, 2)})
    second = warehouse.query(sql, {"day": date(2026, 1, 2)})
    assert repr(first) == repr(second)
    assert [row["player_id"] for row in second] == [f"p{hour:02d}" for hour in reversed(range(24))]
    assert second[0]["reported_at"] == datetime(2026, 1, 2, 23, 0, tzinfo=UTC)
    assert second[0]["reported_at"].tzinfo is UTC and second[0]["loaded_at"] == LOADED
    assert [row["maybe"] for row in second] == [row["reported_at"] for row in second[:12]] + [None] * 12


def test_a_result_with_a_repeated_column_name_still_comes_back(warehouse: DuckDBWarehouse) -> None:
    warehouse.replace_rows("nba_raw.injuries", [injury("a", "OUT")], KEY)
    sql = (
        "SELECT i.reported_at, j.reported_at "
        "FROM nba_raw.injuries AS i JOIN nba_raw.injuries AS j USING (player_id)"
    )
    for _ in range(2):
        assert warehouse.query(sql) == [{"reported_at": datetime(2026, 1, 2, 12, 0, tzinfo=UTC)}]
