"""The generated Terraform inputs are current, and the DDL generator reads the DDL correctly."""

from __future__ import annotations

from pathlib import Path

import pytest

from courtside.terraform_generate import expected_files, main, stale_files, write_all
from courtside.terraform_tables import UnsupportedDDLError, terraform_tables


def test_generated_files_are_current():
    stale = stale_files()
    assert stale == [], f"stale {stale}: run `python -m courtside.terraform_generate` and commit the result"


def test_check_mode_reports_a_stale_file(tmp_path: Path):
    write_all(tmp_path)
    assert stale_files(tmp_path) == []
    (tmp_path / "topology.json").write_text("{}\n", encoding="utf-8")
    assert stale_files(tmp_path) == ["topology.json"]
    (tmp_path / "bigquery_tables.json").unlink()
    assert stale_files(tmp_path) == ["bigquery_tables.json", "topology.json"]
    assert main(["--check"]) == 0  # the committed files
    assert set(expected_files()) == {"bigquery_tables.json", "topology.json"}


def _schemas(root: Path, files: dict[str, str]) -> Path:
    for relative, ddl in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ddl, encoding="utf-8")
    return root


def test_columns_types_modes_nesting_and_descriptions(tmp_path: Path):
    root = _schemas(
        tmp_path,
        {
            "nba_raw/things.sql": """-- natural key: thing_id
CREATE TABLE IF NOT EXISTS nba_raw.things (
  thing_id STRING NOT NULL,
  count_total INT64,            -- how many
  ratio FLOAT64 NOT NULL,
  flag BOOL,
  seen_at TIMESTAMP NOT NULL,
  local_time DATETIME,
  price NUMERIC(10, 2),
  -- a comment on its own line describes nothing
  tags ARRAY<STRING>,
  detail STRUCT<code STRING NOT NULL, scores ARRAY<FLOAT64>> OPTIONS (description = "nested")
)
PARTITION BY DATE(seen_at)
CLUSTER BY thing_id, flag
OPTIONS (description = "Things", require_partition_filter = TRUE);
""",
        },
    )
    table = terraform_tables(root)["tables"]["nba_raw.things"]
    assert table["description"] == "Things"
    assert table["require_partition_filter"] is True
    assert table["time_partitioning"] == {"type": "DAY", "field": "seen_at", "expiration_ms": None}
    assert table["clustering"] == ["thing_id", "flag"]
    assert table["schema"] == [
        {"name": "thing_id", "type": "STRING", "mode": "REQUIRED"},
        {"name": "count_total", "type": "INTEGER", "mode": "NULLABLE", "description": "how many"},
        {"name": "ratio", "type": "FLOAT", "mode": "REQUIRED"},
        {"name": "flag", "type": "BOOLEAN", "mode": "NULLABLE"},
        {"name": "seen_at", "type": "TIMESTAMP", "mode": "REQUIRED"},
        {"name": "local_time", "type": "DATETIME", "mode": "NULLABLE"},
        {"name": "price", "type": "NUMERIC", "mode": "NULLABLE", "precision": "10", "scale": "2"},
        {"name": "tags", "type": "STRING", "mode": "REPEATED"},
        {
            "name": "detail",
            "type": "RECORD",
            "mode": "NULLABLE",
            "description": "nested",
            "fields": [
                {"name": "code", "type": "STRING", "mode": "REQUIRED"},
                {"name": "scores", "type": "FLOAT", "mode": "REPEATED"},
            ],
        },
    ]


def test_partition_units_and_expiration(tmp_path: Path):
    root = _schemas(
        tmp_path,
        {
            "nba_raw/hourly.sql": "CREATE TABLE nba_raw.hourly (at TIMESTAMP) "
            "PARTITION BY TIMESTAMP_TRUNC(at, HOUR) OPTIONS (partition_expiration_days = 2);",
            "nba_raw/plain.sql": "CREATE TABLE nba_raw.plain (d DATE NOT NULL) PARTITION BY d;",
            "nba_raw/unpartitioned.sql": "-- lookup table\nCREATE TABLE nba_raw.unpartitioned (k STRING);",
        },
    )
    tables = terraform_tables(root)["tables"]
    assert tables["nba_raw.hourly"]["time_partitioning"] == {
        "type": "HOUR",
        "field": "at",
        "expiration_ms": 2 * 86_400_000,
    }
    plain = tables["nba_raw.plain"]
    assert plain["time_partitioning"] == {"type": "DAY", "field": "d", "expiration_ms": None}
    assert tables["nba_raw.unpartitioned"]["time_partitioning"] is None
    assert tables["nba_raw.unpartitioned"]["clustering"] == []
    assert tables["nba_raw.unpartitioned"]["description"] == "lookup table"


def test_views_read_fully_qualified_placeholders(tmp_path: Path):
    root = _schemas(
        tmp_path,
        {
            "nba_raw/base.sql": "CREATE TABLE nba_raw.base (k STRING, v INT64);",
            "nba_predictions/latest.sql": "-- latest per k\n"
            "CREATE OR REPLACE VIEW nba_predictions.latest AS\n"
            "WITH ranked AS (SELECT k, v FROM nba_raw.base) SELECT k FROM ranked;",
        },
    )
    view = terraform_tables(root)["views"]["nba_predictions.latest"]
    assert view["references"] == ["nba_raw.base"]
    assert "`__PROJECT__`.`nba_raw__DATASET_SUFFIX__`.`base`" in view["query"]
    assert "FROM `ranked`" in view["query"]  # the CTE is not a table to qualify
    assert view["description"] == "latest per k"


@pytest.mark.parametrize(
    ("relative", "ddl", "message"),
    [
        ("nba_raw/a.sql", "CREATE TABLE nba_raw.a (k STRING) OPTIONS (labels = [('x', 'y')]);", "OPTIONS"),
        ("nba_raw/b.sql", "CREATE TABLE nba_raw.other (k STRING);", "path says"),
        (
            "nba_raw/c.sql",
            "CREATE TABLE nba_raw.c (k INT64) PARTITION BY RANGE_BUCKET(k, GENERATE_ARRAY(0, 9, 1));",
            "PARTITION BY",
        ),
        (
            "nba_raw/d.sql",
            "CREATE TABLE nba_raw.d (k STRING) OPTIONS (require_partition_filter = TRUE);",
            "without PARTITION BY",
        ),
        ("nba_raw/e.sql", "CREATE OR REPLACE VIEW nba_raw.e AS SELECT 1 AS x FROM elsewhere.t;", "outside"),
    ],
)
def test_what_terraform_cannot_express_fails_loudly(tmp_path: Path, relative: str, ddl: str, message: str):
    root = _schemas(tmp_path, {relative: ddl})
    with pytest.raises(UnsupportedDDLError, match=message):
        terraform_tables(root)


def test_real_pipeline_runs_table_is_partitioned_by_start_day():
    table = terraform_tables()["tables"]["nba_orchestration.pipeline_runs"]
    assert table["time_partitioning"] == {"type": "DAY", "field": "started_at", "expiration_ms": None}
    assert table["clustering"] == ["function_name", "game_date"]
    status = next(field for field in table["schema"] if field["name"] == "status")
    assert status == {
        "name": "status",
        "type": "STRING",
        "mode": "REQUIRED",
        "description": "success | skipped | rejected | failed",
    }
