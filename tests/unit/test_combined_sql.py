"""shared/sql/combined.py: several SQL files as one statement, each part's rows an ARRAY of STRUCTs, its
parameters renamed per part. The engines' side (same rows as each file alone, one job, DuckDB and BigQuery) is
tests/integration/test_combined_read_backends.py; partition pruning of the combined statement is
tests/unit/test_partition_pruning.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.services.diagnostics import diagnostics_reads
from shared.settings import Settings
from shared.sql import load_sql
from shared.sql.combined import CombinedSqlError, SqlRead, combined_statement, split_rows, struct_rows

D = date(2026, 1, 12)


def test_the_outermost_select_becomes_select_as_struct_and_parameters_are_renamed() -> None:
    text, used = struct_rows(
        "-- rows of @day only\n"
        "WITH t AS (SELECT a FROM x WHERE d = @day)\n"
        "SELECT DISTINCT a, '@not_a_parameter' AS s FROM t WHERE b = @b ORDER BY a",
        "part",
    )
    assert used == {"day", "b"}
    assert "--" not in text  # comments go: the BigQuery emulator counts an @name in a comment
    assert "(SELECT a FROM x WHERE d = @part__day)" in text
    assert "SELECT DISTINCT AS STRUCT a, '@not_a_parameter' AS s FROM t WHERE b = @part__b ORDER BY a" in text


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("SELECT a FROM x UNION ALL SELECT a FROM y", "top-level UNION"),
        ("SELECT * FROM x", "name the columns"),
        ("SELECT 'unterminated FROM x", "unterminated"),
        ("UPDATE x SET a = 1 WHERE TRUE", "0 outermost SELECTs"),
    ],
)
def test_what_cannot_be_combined_is_refused(sql: str, why: str) -> None:
    with pytest.raises(CombinedSqlError, match=why):
        struct_rows(sql, "part")


def test_a_part_needs_its_parameters_and_a_plain_name() -> None:
    missing = r"needs parameters \['backtest_system_pattern', 'game_date'\]"
    with pytest.raises(CombinedSqlError, match=missing):
        combined_statement({"systems": SqlRead("diagnostics/systems", {"window_start": D})})
    with pytest.raises(CombinedSqlError, match="part name"):
        combined_statement({"two__parts": SqlRead("models/aliased_models")})


def test_parts_with_one_parameter_name_keep_their_own_values() -> None:
    reads = diagnostics_reads(D, Settings())
    _, params = combined_statement(reads)
    assert params["systems__window_start"] != params["graded_window__window_start"]
    assert params["shadow_bets__window_start"] == reads["shadow_bets"].params["window_start"]
    assert params["open_incidents__scope"] is None


def test_the_diagnostics_statement_is_one_select_with_a_column_per_part() -> None:
    reads = diagnostics_reads(D, Settings())
    sql, _ = combined_statement(reads)
    (statement,) = sqlglot.parse(sql, read="bigquery")
    assert isinstance(statement, exp.Select)
    assert [column.alias for column in statement.expressions] == list(reads)
    assert len(sqlglot.transpile(sql, read="bigquery", write="duckdb")) == 1


def test_split_rows_gives_each_part_and_an_empty_list_for_null() -> None:
    reads = {"a": SqlRead("models/aliased_models"), "b": SqlRead("models/aliased_models")}
    assert split_rows(reads, [{"a": [{"x": 1}], "b": None}]) == {"a": [{"x": 1}], "b": []}
    with pytest.raises(CombinedSqlError, match="one row"):
        split_rows(reads, [])


def test_aliased_models_names_every_registry_column_in_table_order(tmp_path: Path) -> None:
    # It used SELECT * (which cannot be combined): the rows must keep every column, in the same order.
    warehouse = DuckDBWarehouse(tmp_path / "w.duckdb")
    warehouse.ensure_tables()
    (statement,) = sqlglot.parse(load_sql("models/aliased_models"), read="bigquery")
    assert isinstance(statement, exp.Select)
    named = [column.alias_or_name for column in statement.expressions]
    assert named == warehouse.columns("nba_predictions.model_registry")
    warehouse.close()
