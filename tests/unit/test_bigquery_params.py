"""Python value -> BigQuery parameter type mapping (no client, no network)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from shared.adapters.bigquery_params import QueryParameterError, describe


@pytest.mark.parametrize(
    ("value", "expected_type"),
    [
        ("LeBron", "STRING"),
        (True, "BOOL"),
        (False, "BOOL"),
        (0, "INT64"),
        (-7, "INT64"),
        (2.5, "FLOAT64"),
        (Decimal("1.10"), "NUMERIC"),
        (b"\x00\x01", "BYTES"),
        (date(2026, 1, 2), "DATE"),
        (datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "TIMESTAMP"),
        (None, "STRING"),
    ],
)
def test_scalar_types(value: Any, expected_type: str) -> None:
    assert describe("p", value) == ("scalar", expected_type, value)


def test_aware_datetime_is_sent_in_utc() -> None:
    eastern = datetime(2026, 1, 2, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
    kind, type_name, value = describe("tipoff", eastern)
    assert (kind, type_name) == ("scalar", "TIMESTAMP")
    assert value == datetime(2026, 1, 3, 3, 0, tzinfo=UTC)
    assert value.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(QueryParameterError, match="@tipoff: naive datetime"):
        describe("tipoff", datetime(2026, 1, 2, 22, 0))


def test_unknown_type_is_refused() -> None:
    with pytest.raises(QueryParameterError, match="cannot send set"):
        describe("p", {1, 2})


@pytest.mark.parametrize(
    ("values", "element_type", "sent"),
    [
        ([date(2026, 1, 1), date(2026, 1, 2)], "DATE", [date(2026, 1, 1), date(2026, 1, 2)]),
        (("a", "b"), "STRING", ["a", "b"]),
        ([1, 2], "INT64", [1, 2]),
        ([True, False], "BOOL", [True, False]),
        ([1, 2.5], "FLOAT64", [1.0, 2.5]),
        (["a", None], "STRING", ["a", None]),
        ([], "STRING", []),
        ([None], "STRING", [None]),
    ],
)
def test_array_types(values: Any, element_type: str, sent: list[Any]) -> None:
    kind, type_name, value = describe("xs", values)
    assert (kind, type_name, value) == ("array", element_type, sent)
    assert [type(v) for v in value] == [type(v) for v in sent]


def test_array_of_mixed_types_is_refused() -> None:
    with pytest.raises(QueryParameterError, match=r"@xs: array mixes types \['INT64', 'STRING'\]"):
        describe("xs", [1, "2"])


def test_array_of_bools_and_ints_is_refused_not_coerced() -> None:
    with pytest.raises(QueryParameterError, match="mixes types"):
        describe("xs", [True, 2])


def test_query_parameters_bind_only_what_the_sql_names() -> None:
    bigquery = pytest.importorskip("google.cloud.bigquery")
    from shared.adapters.bigquery_warehouse import query_parameters

    params = query_parameters(
        "SELECT 1 FROM t WHERE d IN UNNEST(@dates) AND s = @status",
        {"dates": [date(2026, 1, 1)], "status": "final", "unused": 3},
    )
    assert [p.to_api_repr() for p in params] == [
        bigquery.ArrayQueryParameter("dates", "DATE", [date(2026, 1, 1)]).to_api_repr(),
        bigquery.ScalarQueryParameter("status", "STRING", "final").to_api_repr(),
    ]


def test_query_parameters_refuse_a_missing_value() -> None:
    pytest.importorskip("google.cloud.bigquery")
    from shared.adapters.bigquery_warehouse import query_parameters

    with pytest.raises(KeyError, match="@day"):
        query_parameters("SELECT @day, @n", {"n": 1})
