"""Unit tests of raw file reading (shared.ingest.readers): formats, numbering, whole-file refusals."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from shared.domain.raw_validation import Reason
from shared.ingest.readers import UnreadableFileError, as_text, read_table


def test_csv_with_bom_quotes_blank_lines_and_empty_fields() -> None:
    data = '\ufeffGame_ID, player_name ,points\nG1,"O\'Neale, Royce",12\n\nG2,Jokić,\n'.encode()
    table = read_table(data, "x.csv")
    assert table.file_format == "csv"
    assert table.columns == ["game_id", "player_name", "points"]  # header trimmed and lower-cased
    assert [(r.row_number, dict(r.values)) for r in table.records] == [
        (1, {"game_id": "G1", "player_name": "O'Neale, Royce", "points": "12"}),
        (3, {"game_id": "G2", "player_name": "Jokić", "points": None}),  # blank line 2 keeps its number
    ]


def test_csv_record_with_wrong_field_count_is_a_problem_with_its_raw_fields() -> None:
    table = read_table(b"a,b\n1,2,3\n4,5\n")
    assert [(p.row_number, p.reason) for p in table.problems] == [(1, Reason.WRONG_FIELD_COUNT)]
    assert json.loads(table.raw_rows[1]) == ["1", "2", "3"]
    assert [r.row_number for r in table.records] == [2]


def test_ndjson_is_recognised_by_content_and_values_become_text() -> None:
    lines = [{"a": 1, "b": True, "c": None, "d": 13.5}, {"a": "x", "e": "new"}]
    table = read_table("\n".join(map(json.dumps, lines)).encode(), "file.txt")
    assert table.file_format == "ndjson"
    assert table.columns == ["a", "b", "c", "d", "e"]
    assert dict(table.records[0].values) == {"a": "1", "b": "true", "c": None, "d": "13.5"}
    assert table.records[1].values.get("b") is None


def test_ndjson_line_that_is_not_an_object_is_a_problem() -> None:
    table = read_table(b'{"a": 1}\n[1, 2]\n{"a": 2}\n', "f.ndjson")
    assert [(p.row_number, p.reason) for p in table.problems] == [(2, Reason.INVALID_JSON)]
    assert len(table.records) == 2


def test_parquet_typed_values_are_rendered_losslessly() -> None:
    buffer = io.BytesIO()
    pq.write_table(
        pa.table(
            {
                "d": [date(2025, 1, 14)],
                "t": pa.array([datetime(2025, 1, 15, 3, 30, tzinfo=UTC)], pa.timestamp("us", tz="UTC")),
                "naive": pa.array([datetime(2025, 1, 15, 3, 30)], pa.timestamp("us")),
                "n": [-110],
            }
        ),
        buffer,
    )
    (record,) = read_table(buffer.getvalue()).records
    assert dict(record.values) == {
        "d": "2025-01-14",
        "t": "2025-01-15T03:30:00+00:00",
        "naive": "2025-01-15T03:30:00",  # stays naive, so validation refuses it
        "n": "-110",
    }


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.NO_HEADER),
        (b"\n\n", Reason.NO_HEADER),
        (b"a,b,a\n1,2,3\n", Reason.DUPLICATE_COLUMN),
        (b"\x00\x01binary", Reason.UNREADABLE_FILE),
        (b"caf\xe9,b\n", Reason.UNREADABLE_FILE),
        (b"PAR1garbage", Reason.UNREADABLE_FILE),
        (b"not json at all\n", Reason.NO_HEADER),
    ],
)
def test_files_that_cannot_be_read_at_all(data: bytes, reason: Reason) -> None:
    with pytest.raises(UnreadableFileError) as raised:
        read_table(data, "f.jsonl" if data.startswith(b"not json") else "f.csv")
    assert raised.value.reason is reason


def test_as_text() -> None:
    assert as_text(False) == "false"
    assert as_text(25.0) == "25.0"
    assert as_text([1, "é"]) == '[1, "é"]'
