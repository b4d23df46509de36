"""Operator output: CSV that a spreadsheet never evaluates, and SQL errors as one line."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from courtside.output import csv_cell, sql_error_line, to_csv


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_leading_text_is_escaped(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Nikola Jokić", "OVER", "a=b", "x-1", ""])
def test_other_text_is_unchanged(value: str) -> None:
    assert csv_cell(value) == value


def test_numbers_stay_numbers_even_when_negative() -> None:
    assert csv_cell(-3.5) == -3.5
    assert csv_cell(-2) == -2
    assert csv_cell(None) == ""


def test_csv_round_trip_keeps_the_escape_in_the_cell() -> None:
    text = to_csv([{"player": "=cmd|' /C calc'!A0", "edge": -4.5}, {"player": "@SUM(1)", "edge": None}])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {"player": "'=cmd|' /C calc'!A0", "edge": "-4.5"},
        {"player": "'@SUM(1)", "edge": ""},
    ]


def test_header_cells_are_escaped_too() -> None:
    assert to_csv([{"=x": 1}]).splitlines()[0] == "'=x"


def test_sql_error_is_one_line_with_the_engine_message() -> None:
    with pytest.raises(duckdb.Error) as caught:
        duckdb.connect(":memory:").execute("SELEC 1")
    line = sql_error_line(caught.value)
    assert "\n" not in line
    assert line.startswith("ParserException: ")
    assert "SELEC" in line
