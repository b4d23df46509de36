"""Every statement on a partitioned table restricts its partition column: the SQL files and the keyed
writes both adapters generate (BigQuery's MERGE, DuckDB's DELETE/INSERT). Parsed with sqlglot."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from courtside.partition_audit import exempt_reason, unpruned_tables
from shared.adapters.bigquery_warehouse import merge_statement, partition_filter
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.domain.raw_validation import SPECS, FileKind
from shared.ingest.writer import REJECTS_WRITE_KEY
from shared.schema_files import partition_columns
from shared.services.alerts import ALERT_LOG_KEY
from shared.services.diagnostics import DIAGNOSTICS_KEY, diagnostics_reads
from shared.services.feature_store import FEATURE_STORE_KEY
from shared.services.grading import ACCURACY_KEY
from shared.services.sharpness import SHARPNESS_KEY
from shared.settings import Settings
from shared.sql import SQL_ROOT, load_sql
from shared.sql.combined import combined_statement

SQL_FILES = sorted(SQL_ROOT.rglob("*.sql"))

# Files that read every partition on purpose, each with its reason in the file: reviewed, not grown silently.
EXEMPT = {
    "alerts/open_incidents.sql",
    "alerts/scope_incidents.sql",
    "evaluation/alerts_sent.sql",
    "evaluation/champion_bets.sql",
    "evaluation/diagnostics_timeline.sql",
    "evaluation/game_dates.sql",
    "evaluation/incidents.sql",
    "experiments/run_by_id.sql",
    "experiments/runs_of_config.sql",
    "ingest/schedule_games_any_season.sql",
    "models/alias_holders.sql",
    "models/aliased_models.sql",
    "models/model_by_id.sql",
    "orchestration/game_date_bounds.sql",
    "orchestration/latest_run_per_date.sql",
    "orchestration/run_of_event.sql",
    "orchestration/successful_durations.sql",
    "orchestration/time_per_function.sql",
}

# Every keyed write the services make: (table, key columns), ingest's as it writes them.
KEYED_WRITES = [
    ("nba_predictions.ml_feature_store", FEATURE_STORE_KEY),
    ("nba_predictions.player_prop_predictions", ("game_date", "prediction_id")),
    ("nba_predictions.prediction_accuracy", ACCURACY_KEY),
    ("nba_predictions.vegas_sharpness_daily", SHARPNESS_KEY),
    ("nba_orchestration.performance_diagnostics_daily", DIAGNOSTICS_KEY),
    ("nba_orchestration.alert_log", ALERT_LOG_KEY),
    ("nba_raw.boxscores", (*SPECS[FileKind.BOXSCORES].key, "game_date")),
    ("nba_raw.prop_line_snapshots", (*SPECS[FileKind.PROP_LINES].key, "game_date")),
    ("nba_raw.injuries", SPECS[FileKind.INJURIES].key),
    ("nba_raw.schedule", (*SPECS[FileKind.SCHEDULE].key, "game_date")),  # a moved game leaves its old date
    ("nba_raw.rejects", REJECTS_WRITE_KEY),  # by landing: replaced per object by ingest/delete_source_rejects
]
# Keyed writes that cannot prune: the partition value may move under one key, or the table is tiny.
UNPRUNABLE_WRITES = [
    ("nba_predictions.model_registry", ("model_id",)),  # one row per model
    ("nba_predictions.ml_experiments", ("experiment_id",)),
]


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(SQL_ROOT)))
def test_every_sql_file_prunes_partitions_or_says_why_not(path: Path) -> None:
    sql = path.read_text(encoding="utf-8")
    name = str(path.relative_to(SQL_ROOT))
    if name in EXEMPT:
        assert exempt_reason(sql), f"shared/sql/{name} is exempt but gives no '-- partitions: all, because'"
        return
    assert exempt_reason(sql) is None, f"shared/sql/{name} claims an exemption not listed in EXEMPT"
    problems = unpruned_tables(sql)
    assert not problems, f"shared/sql/{name}: " + "; ".join(map(str, problems))


def test_the_combined_diagnostics_read_prunes_what_its_files_prune() -> None:
    # One statement for every read of diagnostics (shared/sql/combined.py): it leaves unpruned exactly what
    # its exempt files do (the registry, the open incidents), each part pruned as its file is.
    reads = diagnostics_reads(date(2026, 1, 12), Settings())
    statement, _ = combined_statement(reads)
    by_file = [str(u) for read in reads.values() for u in unpruned_tables(load_sql(read.file))]
    assert sorted(map(str, unpruned_tables(statement))) == sorted(by_file)
    unpruned_files = {read.file for read in reads.values() if unpruned_tables(load_sql(read.file))}
    assert unpruned_files == {"models/aliased_models", "alerts/open_incidents"}
    assert {f"{file}.sql" for file in unpruned_files} <= EXEMPT


@pytest.mark.parametrize(
    ("sql", "pruned"),
    [
        ("SELECT * FROM nba_raw.boxscores WHERE player_id = @p", False),
        ("SELECT * FROM nba_raw.boxscores WHERE game_date = @d", True),
        ("SELECT * FROM nba_raw.boxscores WHERE game_date < @d", False),  # all of history before @d
        ("SELECT * FROM nba_raw.boxscores WHERE @d > game_date", False),
        ("SELECT * FROM nba_raw.boxscores WHERE game_date < @d AND game_date >= @start", True),
        ("SELECT * FROM nba_raw.boxscores WHERE @start <= game_date", True),
        ("SELECT * FROM nba_raw.boxscores AS b WHERE b.game_date BETWEEN @a AND @b", True),
        ("SELECT * FROM nba_raw.boxscores WHERE game_date = @d OR player_id = @p", False),
        (
            "SELECT * FROM nba_raw.boxscores AS b JOIN nba_raw.schedule AS s ON s.game_id = b.game_id "
            "WHERE b.game_date = @d",
            False,
        ),
        (
            "SELECT * FROM nba_raw.boxscores AS b JOIN nba_raw.schedule AS s ON s.game_id = b.game_id "
            "AND s.game_date = @d WHERE b.game_date = @d",
            True,
        ),
        (
            "SELECT * FROM nba_raw.boxscores AS b "
            "WHERE b.game_date >= CAST(DATE_SUB(@d, INTERVAL 3 DAY) AS DATE)",
            True,
        ),
        ("SELECT * FROM nba_raw.boxscores AS b, t WHERE b.game_date = t.game_date", False),
        ("SELECT * FROM nba_orchestration.pipeline_runs WHERE finished_at >= @since", False),
        ("SELECT * FROM nba_orchestration.pipeline_runs WHERE started_at >= @since", True),
        ("SELECT * FROM nba_orchestration.pipeline_runs WHERE DATE(started_at) BETWEEN @a AND @b", True),
        ("DELETE FROM nba_raw.rejects WHERE source_object = @o", False),
        ("INSERT INTO nba_orchestration.pipeline_runs (function_name) VALUES (@f)", True),
    ],
)
def test_the_audit_tells_pruned_from_unpruned(sql: str, pruned: bool) -> None:
    assert (not unpruned_tables(sql)) is pruned


def _rows(table: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    values: dict[str, Any] = {
        "game_date": date(2026, 1, 2),
        "snapshot_at": datetime(2026, 1, 2, tzinfo=UTC),
        "rejected_at": datetime(2026, 1, 2, tzinfo=UTC),
    }
    return [{key: values.get(key, f"{key}-{n}") for key in keys} for n in range(2)]


@pytest.mark.parametrize(("table", "keys"), KEYED_WRITES, ids=[t for t, _ in KEYED_WRITES])
def test_bigquery_merges_restrict_the_partition_column(table: str, keys: tuple[str, ...]) -> None:
    rows = _rows(table, keys)
    partition = partition_filter(table, rows, keys)
    statement = merge_statement(
        f"p.{table}", "p.nba_raw._staging_x", list(keys), keys, partition, replace=True
    )
    assert partition is not None and partition.values == (rows[0][partition.column],)
    assert not unpruned_tables(statement), statement


@pytest.mark.parametrize(("table", "keys"), UNPRUNABLE_WRITES, ids=[t for t, _ in UNPRUNABLE_WRITES])
def test_the_writes_that_cannot_prune_are_the_known_ones(table: str, keys: tuple[str, ...]) -> None:
    assert partition_columns()[table] not in keys
    statement = merge_statement(f"p.{table}", "p.nba_raw._staging_x", list(keys), keys, None, replace=True)
    assert unpruned_tables(statement)


class _Recording:
    """A DuckDB connection that remembers every statement it runs."""

    def __init__(self, connection: Any, seen: list[str]) -> None:
        self._connection, self._seen = connection, seen

    def execute(self, sql: str, *args: Any) -> Any:
        self._seen.append(sql)
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


@pytest.mark.parametrize("values_max_parameters", [0, 10_000], ids=["staged", "bound"])
@pytest.mark.parametrize(("table", "keys"), KEYED_WRITES[:6], ids=[t for t, _ in KEYED_WRITES[:6]])
def test_duckdb_keyed_writes_restrict_the_partition_column(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    table: str,
    keys: tuple[str, ...],
    values_max_parameters: int,
) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb", values_max_parameters=values_max_parameters)
    warehouse.ensure_tables()
    seen: list[str] = []
    real = warehouse._connect
    monkeypatch.setattr(warehouse, "_connect", lambda: _Recording(real(), seen))
    rows = _rows(table, keys)
    # Rows of key columns only: the NOT NULL columns they leave out fail the INSERT after it was issued.
    with contextlib.suppress(duckdb.Error):
        warehouse.replace_rows(table, rows, keys)
    with contextlib.suppress(duckdb.Error):
        warehouse.insert_missing_rows(table, rows, keys)
    writes = [s for s in seen if s.lstrip().upper().startswith(("DELETE", "INSERT"))]
    assert writes
    for statement in writes:
        assert not unpruned_tables(statement.replace("?", "NULL"), dialect="duckdb"), statement
