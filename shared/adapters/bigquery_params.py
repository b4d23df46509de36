"""Python values -> BigQuery query parameter types, decided once so every query binds the same way.

Kept apart from the client so the mapping is testable without google-cloud-bigquery. The rules:

- ``bool`` -> BOOL, ``int`` -> INT64, ``float`` -> FLOAT64, ``str`` -> STRING, ``bytes`` -> BYTES,
  ``Decimal`` -> NUMERIC, ``date`` -> DATE, timezone-aware ``datetime`` -> TIMESTAMP (sent in UTC).
- A naive ``datetime`` is refused: every timestamp in Courtside is aware UTC, and guessing a zone is
  exactly the kind of silent date shift this project exists to prevent.
- ``list``/``tuple`` -> ARRAY of the element type (ints mixed with floats -> FLOAT64). An empty array or
  one holding only ``None`` is ARRAY<STRING>: BigQuery needs a type and has no untyped empty array.
- ``None`` -> a NULL STRING. BigQuery coerces STRING parameters to DATE/DATETIME/TIMESTAMP, so a
  nullable string or date parameter works as is; for a nullable INT64/FLOAT64/BOOL parameter write
  ``CAST(@p AS INT64)`` in the SQL (portable: DuckDB runs the same cast).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

NULL_TYPE = "STRING"
EMPTY_ARRAY_TYPE = "STRING"


class QueryParameterError(TypeError):
    """A value cannot be sent as a BigQuery query parameter (wrong type, naive datetime, mixed array)."""


def scalar_type(name: str, value: Any) -> str:
    """The BigQuery type of one scalar value; ``bool`` is checked before ``int`` (it is a subclass)."""
    if value is None:
        return NULL_TYPE
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, int):
        return "INT64"
    if isinstance(value, float):
        return "FLOAT64"
    if isinstance(value, Decimal):
        return "NUMERIC"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, bytes):
        return "BYTES"
    if isinstance(value, datetime):  # before date: datetime is a subclass of date
        if value.tzinfo is None or value.utcoffset() is None:
            raise QueryParameterError(f"@{name}: naive datetime {value!r}; pass an aware UTC datetime")
        return "TIMESTAMP"
    if isinstance(value, date):
        return "DATE"
    raise QueryParameterError(f"@{name}: cannot send {type(value).__name__} as a query parameter")


def array_type(name: str, values: Sequence[Any]) -> str:
    """The element type of an array parameter: one type for all non-null elements."""
    types = {scalar_type(name, value) for value in values if value is not None}
    if not types:
        return EMPTY_ARRAY_TYPE
    if types == {"INT64", "FLOAT64"}:
        return "FLOAT64"
    if len(types) > 1:
        raise QueryParameterError(f"@{name}: array mixes types {sorted(types)}")
    return types.pop()


def wire_value(value: Any) -> Any:
    """The value as the client should send it (aware datetimes normalised to UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def describe(name: str, value: Any) -> tuple[str, str, Any]:
    """``(kind, type, value)`` with kind ``scalar`` or ``array``; the value ready for the client."""
    if isinstance(value, list | tuple):
        element_type = array_type(name, value)
        values = [wire_value(v) for v in value]
        if element_type == "FLOAT64":
            values = [float(v) if v is not None else None for v in values]
        return "array", element_type, values
    return "scalar", scalar_type(name, value), wire_value(value)
