"""The measuring warehouse (``DuckDBWarehouse(profile_scans=True)``): rows scanned per statement, and the
bytes BigQuery would process and bill for them, estimated from DuckDB's profile
(``shared/adapters/scan_bytes.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from courtside.bench_history import partitioned_layout
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.adapters.scan_bytes import ColumnSizes, value_size_sql
from shared.job_labels import MINIMUM_BILLED_BYTES, StatementCounts, labelled

TIPOFF = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
GAMES = 3000
DAYS = 30


def schedule_rows(count: int = GAMES) -> list[dict[str, object]]:
    return [
        {
            "game_id": f"game-{i:05d}",  # 10 bytes: 12 as a BigQuery STRING
            "game_date": date(2026, 1, 1) + timedelta(days=i * DAYS // count),
            "tipoff_utc": TIPOFF,
            "home_team": "BOS",
            "away_team": "NYK",
            "status": "final" if i % 2 else "sched",
            "source_object": "schedule.json",
            "source_row": i,
            "loaded_at": TIPOFF,
        }
        for i in range(count)
    ]


def measuring(tmp_path: Path, games: int = GAMES) -> DuckDBWarehouse:
    warehouse = DuckDBWarehouse(tmp_path / "warehouse.duckdb", profile_scans=True)
    warehouse.ensure_tables()
    with labelled("loader", "load"):
        warehouse.replace_rows("nba_raw.schedule", schedule_rows(games), ["game_id"])
    warehouse.statements.reset()
    return warehouse


def test_a_query_counts_the_rows_it_scans(tmp_path: Path) -> None:
    # The profile of a SELECT is complete only once its result is fetched: read before, it said 0 rows.
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        rows = warehouse.query("SELECT game_id FROM nba_raw.schedule WHERE source_row >= 0")
    assert len(rows) == GAMES
    assert warehouse.statements.rows_scanned()["reader"] == GAMES
    warehouse.close()


def test_a_query_is_estimated_at_its_rows_times_the_bigquery_size_of_its_columns(tmp_path: Path) -> None:
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        warehouse.query("SELECT source_row, game_id FROM nba_raw.schedule")
    # INT64 8 bytes, STRING 2 + its 10 UTF-8 bytes, for every row scanned.
    assert warehouse.statements.bytes_scanned()["reader"].processed == GAMES * (8 + 2 + 10)
    warehouse.close()


def test_a_filtered_column_is_read_too(tmp_path: Path) -> None:
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        warehouse.query("SELECT game_id FROM nba_raw.schedule WHERE status = 'final'")
    # game_id, and status (2 + 5) that only the filter references (half the rows hold "sched").
    assert warehouse.statements.bytes_scanned()["reader"].processed == GAMES * (12 + 7)
    warehouse.close()


def test_a_keyed_write_reads_every_column_of_its_target(tmp_path: Path) -> None:
    warehouse = measuring(tmp_path)
    row = schedule_rows()[0] | {"status": "postponed"}
    with labelled("writer", "write"):
        warehouse.replace_rows("nba_raw.schedule", [row], ["game_id"])
    # A MERGE that deletes or updates pays for all columns of the rows it scans (one row group here, as
    # the table was never laid out in small ones):
    # game_id 12, game_date 8, tipoff 8, teams 5 + 5, status 7, source_object 2 + 13, source_row 8, loaded 8;
    # sized as the table stands when the figures are read: one status is now "postponed", 4 bytes longer.
    scanned = warehouse.statements.bytes_scanned()["writer"]
    assert scanned.jobs == 1
    assert scanned.processed == GAMES * (12 + 8 + 8 + 5 + 5 + 7 + 15 + 8 + 8) + 4
    warehouse.close()


def test_a_query_pruned_to_one_date_is_estimated_at_fewer_bytes(tmp_path: Path) -> None:
    games = 5 * GAMES
    warehouse = measuring(tmp_path, games)
    warehouse.close()
    # As the bench lays tables out: ordered by partition in row groups of 2,048 rows, which DuckDB skips
    # by their min/max as BigQuery prunes partitions.
    partitioned_layout(tmp_path / "warehouse.duckdb")
    warehouse = DuckDBWarehouse(tmp_path / "warehouse.duckdb", profile_scans=True)
    sql = "SELECT game_id, home_team FROM nba_raw.schedule"
    with labelled("unpruned", "read"):
        warehouse.query(sql)
    with labelled("pruned", "read"):
        warehouse.query(sql + " WHERE game_date = @day", {"day": date(2026, 1, 2)})
    estimated = warehouse.statements.bytes_scanned()
    assert estimated["unpruned"].processed == games * (12 + 5)
    # The one row group holding the date, with its date column: 2,048 x (12 + 5 + 8).
    assert estimated["pruned"].processed == 2048 * (12 + 5 + 8)
    warehouse.close()


def test_every_query_job_is_billed_at_least_ten_megabytes() -> None:
    counts = StatementCounts()
    with labelled("function", "step"):
        counts.add_job_bytes(5)
        counts.add_job_bytes(0)
        counts.add_job_bytes(30 * 1024**2)
    billed = counts.bytes_scanned()["function"]
    assert (billed.jobs, billed.processed) == (3, 5 + 30 * 1024**2)
    assert billed.billed == 2 * MINIMUM_BILLED_BYTES + 30 * 1024**2


def test_the_warehouse_bills_each_job_once_with_the_minimum(tmp_path: Path) -> None:
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        warehouse.query("SELECT game_id FROM nba_raw.schedule")
        warehouse.query("SELECT source_row FROM nba_raw.schedule")
    billed = warehouse.statements.bytes_scanned()["reader"]
    assert (billed.jobs, billed.billed) == (2, 2 * MINIMUM_BILLED_BYTES)
    warehouse.close()


def test_nothing_is_estimated_without_measuring(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    warehouse.ensure_tables()
    with labelled("reader", "read"):
        warehouse.replace_rows("nba_raw.schedule", schedule_rows(10), ["game_id"])
        warehouse.query("SELECT game_id FROM nba_raw.schedule")
    assert warehouse.statements.bytes_scanned() == {}
    assert warehouse.statements.rows_scanned() == {}
    warehouse.close()


@pytest.mark.parametrize(
    ("duckdb_type", "value", "size"),
    [
        ("BIGINT", "42", 8),
        ("DOUBLE", "1.5", 8),
        ("BOOLEAN", "true", 1),
        ("DATE", "DATE '2026-01-01'", 8),
        ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ '2026-01-01 00:00:00+00'", 8),
        ("DECIMAL(38,9)", "1.5", 16),
        ("VARCHAR", "'héllo'", 2 + 6),
        ("VARCHAR", "NULL", 0),
        ("VARCHAR[]", "['a', 'bcd']", (2 + 1) + (2 + 3)),
        ("BIGINT[]", "[1, 2, 3]", 24),
        ("STRUCT(p BIGINT, q VARCHAR)", "{'p': 1, 'q': 'xy'}", 8 + 4),
    ],
)
def test_bigquery_logical_sizes(duckdb_type: str, value: str, size: int) -> None:
    import duckdb

    expression = value_size_sql("v", duckdb_type)
    sql = f"SELECT {expression} FROM (SELECT CAST({value} AS {duckdb_type}) AS v)"
    found = duckdb.connect().execute(sql).fetchone()
    assert found is not None and found[0] == size


def test_the_history_bench_prints_the_days_bytes_billed_on_each_history() -> None:
    from courtside.bench_history import HistoryCost, day_bytes_line

    mib = 1024**2
    costs = [
        HistoryCost("ingest", (1, 5), (10.0, 10.0), (1.0, 1.0), 3.8, True, billed=(190 * mib, 190 * mib)),
        HistoryCost("grading", (1, 5), (10.0, 12.0), (1.0, 1.0), 5.0, False, billed=(50 * mib, 70 * mib)),
    ]
    line = day_bytes_line(costs, price_per_tib=6.25)
    assert "1 season: 0.234 GiB" in line
    assert "5 seasons: 0.254 GiB" in line
    assert "ratio 5/1 1.08" in line


def test_the_history_bench_prints_the_whole_chains_seconds_on_each_history() -> None:
    from courtside.bench_history import HistoryCost, chain_seconds_line

    costs = [
        HistoryCost("ingest", (1, 5, 10), (1.0,) * 3, (0.30, 0.33, 0.36), 3.8, True),
        HistoryCost("grading", (1, 5, 10), (1.0,) * 3, (0.10, 0.11, 0.16), 4.0, True),
    ]
    line = chain_seconds_line(costs)
    assert "1 season: 0.40 s; 5 seasons: 0.44 s, ratio 5/1 1.10; 10 seasons: 0.52 s, ratio 10/1 1.30" in line


def test_tables_are_sized_when_the_figures_are_read_not_inside_the_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sizing a table reads all of its rows. Done inside the job, it added a cost that grows with history to
    # the measured time of the function running the job (grading 1.46x with five seasons, on the same rows).
    sized: list[str] = []
    size = ColumnSizes.of

    def counted(self: ColumnSizes, schema: str, table: str) -> dict[str, float]:
        sized.append(table)
        return size(self, schema, table)

    monkeypatch.setattr(ColumnSizes, "of", counted)
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        warehouse.query("SELECT game_id FROM nba_raw.schedule")
        warehouse.query("SELECT source_row FROM nba_raw.schedule")
    assert sized == []
    assert warehouse.statements.bytes_scanned()["reader"].processed == GAMES * (12 + 8)
    assert sized == ["schedule", "schedule"]  # one lookup per job
    assert warehouse.statements.bytes_scanned()["reader"].processed == GAMES * (12 + 8)
    assert len(sized) == 2  # each job estimated once
    warehouse.close()


def test_closing_the_warehouse_sizes_the_jobs_it_measured(tmp_path: Path) -> None:
    warehouse = measuring(tmp_path)
    with labelled("reader", "read"):
        warehouse.query("SELECT game_id FROM nba_raw.schedule")
    warehouse.close()
    assert warehouse.statements.bytes_scanned()["reader"].processed == GAMES * 12
