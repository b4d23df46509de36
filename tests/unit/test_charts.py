"""Server-side SVG charts: one ``mark`` per value present, none for a missing value, labelled with n."""

from __future__ import annotations

import re
from datetime import date, timedelta

from courtside.dashboard.charts import Band, Series, bar_chart, calendar, line_chart


def marks(svg: str) -> int:
    return len(re.findall(r'class="mark[ "]', svg))


def test_a_line_has_one_mark_per_present_value() -> None:
    svg = line_chart(
        "c",
        "t",
        ["a", "b", "c", "d"],
        [Series("one", [1.0, None, 3.0, 4.0]), Series("two", [None, None, 2.0, None])],
    )
    assert marks(svg) == 4
    assert svg.count('data-series="one"') == 1 and svg.count('data-series="two"') == 1


def test_bands_and_references_are_drawn_but_are_not_marks() -> None:
    svg = line_chart(
        "c",
        "t",
        ["a", "b"],
        [Series("rate", [0.5, 0.6])],
        bands=[Band("fixed", 0.4, 0.45), Band("wilson", lows=[0.4, 0.5], highs=[0.6, 0.7])],
        references=[("break-even", 0.5238)],
    )
    assert marks(svg) == 2
    assert svg.count("<rect") == 1 and svg.count("<polygon") == 1 and 'class="reference"' in svg


def test_no_data_is_an_empty_chart_with_its_reason() -> None:
    svg = line_chart("c", "t", ["a"], [Series("one", [None])])
    assert marks(svg) == 0 and "no data" in svg and 'data-chart="c"' in svg


def test_bars_show_their_n_and_skip_missing_values() -> None:
    svg = bar_chart("tiers", "t", [("Star", 50.0, 10), ("Bench", None, 0), ("All", 47.5, 30)])
    assert marks(svg) == 2
    assert "Star (n=10)" in svg and "Bench (n=0)" in svg


def test_the_calendar_has_one_day_per_date_with_its_state() -> None:
    first = date(2026, 1, 5)
    days = [
        (first + timedelta(days=i), "complete" if i % 2 else "nothing_graded", "detail") for i in range(10)
    ]
    svg = calendar("completeness", "t", days)
    assert marks(svg) == 10
    assert svg.count("mark day complete") == 5 and svg.count("mark day nothing_graded") == 5


def test_text_is_escaped() -> None:
    svg = line_chart("c", "<script>", ["<b>"], [Series("<i>", [1.0])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
