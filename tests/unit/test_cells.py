"""One formatting rule for every table cell, in the CLI and on the dashboard's pages: counts as integers
whatever type the warehouse returns them in, instants in US Eastern."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pytest

from courtside.cells import cell_text
from courtside.dashboard.app import create_app
from courtside.output import cell_text as cli_cell_text

COUNTS = [31, np.int64(31), np.int32(31), Decimal("31"), Decimal("31.000")]


@pytest.mark.parametrize("count", COUNTS, ids=[type(c).__name__ + repr(c) for c in COUNTS])
def test_counts_read_as_integers_on_pages_and_in_the_cli(count: Any) -> None:
    assert cell_text(count, 2) == "31"
    assert cli_cell_text(count) == "31"
    assert render_table([{"runs": count, "failed_runs": count - count}], ["runs", "failed_runs"]) == [
        "31",
        "0",
    ]


def test_other_numbers_keep_their_decimals() -> None:
    assert cell_text(20.5, 2) == "20.50"
    assert cell_text(Decimal("0.52380"), 2) == "0.52"
    assert cli_cell_text(Decimal("0.52380")) == "0.524"
    assert cli_cell_text(-4.0) == "-4"  # the CLI drops trailing zeros, as before
    assert cell_text(np.float64(1.5), 1) == "1.5"


def test_booleans_missing_values_and_lists() -> None:
    assert (cell_text(True), cell_text(np.bool_(False))) == ("yes", "no")
    assert (cell_text(None), cell_text(None, 2, "–")) == ("", "–")
    assert cell_text(["lines missing", "nothing graded"]) == "lines missing; nothing graded"


def test_instants_read_in_us_eastern_never_utc() -> None:
    winter = datetime(2026, 1, 15, 3, 30, tzinfo=UTC)
    assert cell_text(winter) == "2026-01-14 22:30 ET"
    assert cli_cell_text(winter) == "2026-01-14 22:30 ET"
    assert cell_text(datetime(2026, 7, 1, 12, 0)) == "2026-07-01 08:00 ET"  # naive from the warehouse: UTC
    assert render_table([{"trained_at": winter}], ["trained_at"]) == ["2026-01-14 22:30 ET"]
    assert cli_cell_text(winter, exact=True) == str(winter)  # `courtside query` shows data as it is


def test_a_page_table_labels_a_column_when_asked() -> None:
    html = template_html(
        '{% from "macros.html" import table %}{{ table(rows, ["at", "n"], {"at": "at (ET)"}) }}',
        rows=[{"at": "2026-01-14 22:30 ET", "n": 1}],
    )
    assert "<th>at (ET)</th><th>n</th>" in html


def render_table(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    html = template_html(
        '{% from "macros.html" import table %}{{ table(rows, columns) }}', rows=rows, columns=columns
    )
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [cell.split("</td>")[0] for cell in body.split("<td>")[1:]]


def template_html(source: str, **context: Any) -> str:
    app = create_app(cast(Any, None))  # the templates need no dependencies
    return app.jinja_env.from_string(source).render(**context)
