"""The translation cache beside the DuckDB file: a fresh process reuses translations, never stale ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.adapters import sql_translation
from shared.adapters.duckdb_warehouse import TRANSLATIONS_SUFFIX, DuckDBWarehouse
from shared.adapters.sql_translation import TranslationCache, UnsupportedSqlError, to_duckdb

SQL = "SELECT game_id FROM nba_raw.schedule WHERE game_date = @d"


def refuse_translation(sql: str, dataset_suffix: str = "") -> list[str]:
    raise AssertionError(f"translated again: {sql[:60]}")


def test_a_new_warehouse_on_the_same_file_reuses_stored_translations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = DuckDBWarehouse(tmp_path / "w.duckdb")
    first.ensure_tables()
    assert first.query(SQL, {"d": "2026-01-02"}) == []
    first.close()
    stored = json.loads((tmp_path / f"w.duckdb{TRANSLATIONS_SUFFIX}").read_text(encoding="utf-8"))
    assert stored["translations"][f"\n{SQL}"] == to_duckdb(SQL)

    monkeypatch.setattr(sql_translation, "to_duckdb", refuse_translation)
    second = DuckDBWarehouse(tmp_path / "w.duckdb")
    second.ensure_tables()  # every DDL statement comes from the file
    assert second.query(SQL, {"d": "2026-01-02"}) == []


def test_the_dataset_suffix_is_part_of_the_key(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "t.json")
    assert "nba_raw_dev.schedule" in cache.to_duckdb(SQL, "_dev")[0]
    assert "nba_raw.schedule" in cache.to_duckdb(SQL)[0]
    assert "nba_raw_dev" not in TranslationCache(tmp_path / "t.json").to_duckdb(SQL)[0]


def test_a_file_written_by_another_translator_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps({"translator": "someone-else", "translations": {f"\n{SQL}": ["SELECT 'stale'"]}}),
        encoding="utf-8",
    )
    assert TranslationCache(path).to_duckdb(SQL) == to_duckdb(SQL)
    assert json.loads(path.read_text(encoding="utf-8"))["translator"] == sql_translation.translator_identity()


def test_an_unreadable_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("{not json", encoding="utf-8")
    assert TranslationCache(path).to_duckdb(SQL) == to_duckdb(SQL)
    assert TranslationCache(path).to_duckdb(SQL) == to_duckdb(SQL)


def test_portability_is_checked_even_for_a_stored_translation(tmp_path: Path) -> None:
    forbidden = "SELECT DATE_TRUNC(game_date, MONTH) FROM nba_raw.schedule"
    path = tmp_path / "t.json"
    identity = sql_translation.translator_identity()
    path.write_text(
        json.dumps({"translator": identity, "translations": {f"\n{forbidden}": ["SELECT 1"]}}),
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedSqlError):
        TranslationCache(path).to_duckdb(forbidden)


def test_an_in_memory_warehouse_keeps_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    warehouse = DuckDBWarehouse(":memory:")
    warehouse.ensure_tables()
    assert warehouse.query("SELECT 1 AS one") == [{"one": 1}]
    assert list(tmp_path.iterdir()) == []
