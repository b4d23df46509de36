"""Existing local homes follow additive schema changes at start-up (``DuckDBWarehouse.ensure_tables``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shared.adapters import duckdb_warehouse
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.adapters.schema_evolution import Column, SchemaEvolutionError, TableChanges, table_changes
from shared.domain.incidents import Incident
from shared.schema_files import SCHEMAS_ROOT, table_definitions
from shared.services.incidents import ALERT_INCIDENTS, incident_row, open_incidents

UPDATED = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)


def incident(incident_id: str, claimed_key: str | None = None) -> Incident:
    return Incident(
        incident_id=incident_id,
        scope=f"performance|{incident_id}",
        opened_on=date(2026, 1, 2),
        last_seen_on=date(2026, 1, 2),
        peak_level="WARNING",
        cause="drift",
        causes_told=("drift",),
        messages=1,
        claimed_key=claimed_key,
        claimed_on=date(2026, 1, 2) if claimed_key else None,
    )


def older_home(path: Path, dropped: dict[str, list[str]]) -> None:
    """A home as the code before schema evolution left it: tables without ``dropped`` columns and without the
    DDL digests ensure_tables now records in table comments."""
    warehouse = DuckDBWarehouse(path)
    warehouse.ensure_tables()
    warehouse.close()
    connection = duckdb.connect(str(path))
    for table, columns in dropped.items():
        for column in columns:
            connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for (qualified,) in connection.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE NOT internal"
    ).fetchall():
        connection.execute(f"COMMENT ON TABLE {qualified} IS NULL")
    connection.close()


def old_incident_row(incident_id: str) -> dict[str, Any]:
    row = incident_row(incident(incident_id), UPDATED)
    del row["claimed_key"], row["claimed_on"]
    return row


def catalog(path: Path) -> list[tuple[Any, ...]]:
    connection = duckdb.connect(str(path))
    try:
        return connection.execute(
            "SELECT t.schema_name, t.table_name, t.comment, c.column_name, c.data_type, c.is_nullable "
            "FROM duckdb_tables() t JOIN duckdb_columns() c USING (database_name, schema_name, table_name) "
            "ORDER BY ALL"
        ).fetchall()
    finally:
        connection.close()


def test_a_home_made_before_the_claim_columns_gains_them_and_the_alerts_write_works(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    older_home(path, {ALERT_INCIDENTS: ["claimed_key", "claimed_on"]})
    before = DuckDBWarehouse(path)
    before.replace_rows(ALERT_INCIDENTS, [old_incident_row("old")], ("incident_id",))
    before.close()

    warehouse = DuckDBWarehouse(path)
    warehouse.ensure_tables()  # a function's cold start
    warehouse.replace_rows(
        ALERT_INCIDENTS, [incident_row(incident("new", "key-1"), UPDATED)], ("incident_id",)
    )

    found = {i.incident_id: (i.claimed_key, i.claimed_on) for i in open_incidents(warehouse)}
    assert found == {"old": (None, None), "new": ("key-1", date(2026, 1, 2))}


def test_views_over_a_grown_table_see_its_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    older_home(path, {"nba_predictions.player_prop_predictions": ["confidence", "p_over"]})
    warehouse = DuckDBWarehouse(path)
    warehouse.ensure_tables()
    columns = warehouse.columns("nba_predictions.player_prop_predictions_current")
    assert {"confidence", "p_over"} <= set(columns)
    assert (
        warehouse.query("SELECT confidence, p_over FROM nba_predictions.player_prop_predictions_current")
        == []
    )


def test_a_second_start_changes_nothing_and_compares_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.duckdb"
    older_home(path, {ALERT_INCIDENTS: ["claimed_key", "claimed_on"]})
    first = DuckDBWarehouse(path)
    first.ensure_tables()
    first.close()
    evolved = catalog(path)
    assert all(str(row[2]).startswith("courtside-ddl:") for row in evolved)

    def no_comparison(*args: object) -> None:
        raise AssertionError("an up-to-date home was compared with its schema files again")

    monkeypatch.setattr(DuckDBWarehouse, "_reconcile", no_comparison)
    again = DuckDBWarehouse(path)
    again.ensure_tables()
    again.close()
    assert catalog(path) == evolved


def schema_folder(tmp_path: Path, name: str, alert_log_columns: str) -> Path:
    """A copy of schemas/bigquery whose ``nba_orchestration.alert_log`` has ``alert_log_columns``."""
    root = tmp_path / name
    shutil.copytree(SCHEMAS_ROOT, root)
    (root / "nba_orchestration" / "alert_log.sql").write_text(
        f"CREATE TABLE IF NOT EXISTS nba_orchestration.alert_log ({alert_log_columns})\n"
        "PARTITION BY game_date;\n",
        encoding="utf-8",
    )
    return root


def start_with(monkeypatch: pytest.MonkeyPatch, path: Path, root: Path) -> DuckDBWarehouse:
    monkeypatch.setattr(duckdb_warehouse, "table_definitions", lambda: table_definitions(root))
    warehouse = DuckDBWarehouse(path)
    warehouse.ensure_tables()
    return warehouse


V1 = "game_date DATE NOT NULL, dedupe_key STRING NOT NULL, note STRING NOT NULL"


def home_on_v1_with_a_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: bool = True) -> Path:
    path = tmp_path / "w.duckdb"
    warehouse = start_with(monkeypatch, path, schema_folder(tmp_path, "v1", V1))
    if rows:
        warehouse.execute("INSERT INTO nba_orchestration.alert_log VALUES (DATE '2026-01-02', 'k', 'kept')")
    warehouse.close()
    return path


def test_a_schema_file_that_grows_after_the_home_was_made_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = home_on_v1_with_a_row(tmp_path, monkeypatch)
    v2 = schema_folder(tmp_path, "v2", V1 + ", sent_at TIMESTAMP, tries INT64")
    warehouse = start_with(monkeypatch, path, v2)
    assert warehouse.query("SELECT note, sent_at, tries FROM nba_orchestration.alert_log") == [
        {"note": "kept", "sent_at": None, "tries": None}
    ]
    assert warehouse.columns("nba_orchestration.alert_log") == [
        "game_date",
        "dedupe_key",
        "note",
        "sent_at",
        "tries",
    ]


@pytest.mark.parametrize(
    ("columns", "named"),
    [
        (V1 + ", sent_at TIMESTAMP NOT NULL", "column sent_at TIMESTAMP WITH TIME ZONE NOT NULL is missing"),
        ("game_date DATE NOT NULL, dedupe_key INT64 NOT NULL, note STRING NOT NULL", "dedupe_key is VARCHAR"),
    ],
)
def test_a_change_no_engine_applies_in_place_refuses_the_start_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str, named: str
) -> None:
    path = home_on_v1_with_a_row(tmp_path, monkeypatch)
    before = catalog(path)
    with pytest.raises(SchemaEvolutionError) as refused:
        start_with(monkeypatch, path, schema_folder(tmp_path, "v2", columns))
    message = str(refused.value)
    assert "nba_orchestration.alert_log" in message and named in message
    assert "migration" in message and "new home" in message
    assert catalog(path) == before


def test_an_empty_table_is_made_again_from_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home_on_v1_with_a_row(tmp_path, monkeypatch, rows=False)
    warehouse = start_with(
        monkeypatch, path, schema_folder(tmp_path, "v2", V1 + ", sent_at TIMESTAMP NOT NULL")
    )
    assert warehouse.columns("nba_orchestration.alert_log")[-1] == "sent_at"


def test_columns_gone_from_the_file_are_kept_and_relaxed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = home_on_v1_with_a_row(tmp_path, monkeypatch)
    warehouse = start_with(
        monkeypatch,
        path,
        schema_folder(tmp_path, "v2", "game_date DATE NOT NULL, dedupe_key STRING NOT NULL"),
    )
    # Code that no longer knows ``note`` still writes; the old rows keep it.
    warehouse.execute(
        "INSERT INTO nba_orchestration.alert_log (game_date, dedupe_key) VALUES (DATE '2026-01-03', 'n')"
    )
    rows = warehouse.query("SELECT dedupe_key, note FROM nba_orchestration.alert_log ORDER BY dedupe_key")
    assert rows == [{"dedupe_key": "k", "note": "kept"}, {"dedupe_key": "n", "note": None}]


def test_two_processes_starting_at_once_on_an_older_home_both_start(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    older_home(path, {ALERT_INCIDENTS: ["claimed_key", "claimed_on"]})
    start = (
        "import sys; from shared.adapters.duckdb_warehouse import DuckDBWarehouse; "
        "w = DuckDBWarehouse(sys.argv[1]); w.ensure_tables(); w.close()"
    )
    starts = [subprocess.Popen([sys.executable, "-c", start, str(path)]) for _ in range(2)]
    assert [process.wait(timeout=120) for process in starts] == [0, 0]
    warehouse = DuckDBWarehouse(path)
    assert warehouse.columns(ALERT_INCIDENTS)[-2:] == ["claimed_key", "claimed_on"]


def test_table_changes_add_only_nullable_columns_and_name_what_cannot_be_done() -> None:
    actual = [Column("a", "DATE", False), Column("b", "VARCHAR", True), Column("gone", "BIGINT", False)]
    expected = [
        Column("a", "DATE", False),
        Column("b", "BIGINT", True),
        Column("c", "VARCHAR", True),
        Column("d", "DATE", False),
    ]
    changes = table_changes("nba_raw.t", expected, actual)
    assert changes.added == (Column("c", "VARCHAR", True),)
    assert changes.kept == ("gone",) and changes.relaxed == ("gone",)
    assert changes.impossible == (
        "column b is VARCHAR here but BIGINT in the schema file",
        "column d DATE NOT NULL is missing",
    )
    assert table_changes("nba_raw.t", actual, actual) == TableChanges("nba_raw.t")
