"""BigQuery-dialect SQL files, one source for both engines: ``load_sql("grading/gradable_predictions")``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_ROOT = Path(__file__).resolve().parent


@cache
def load_sql(name: str) -> str:
    path = (SQL_ROOT / f"{name}.sql").resolve()
    if not path.is_relative_to(SQL_ROOT) or not path.is_file():
        raise FileNotFoundError(f"no SQL file shared/sql/{name}.sql")
    return path.read_text(encoding="utf-8")
