"""Reading a raw file's bytes into a header and text records: CSV, NDJSON or Parquet.

The format is recognised from the content (Parquet magic bytes, a leading ``{`` for NDJSON, else CSV),
never trusted from the name alone. Every value becomes text (or ``None`` when absent) so that one set
of validators serves all formats; typed Parquet/JSON values are rendered back losslessly (an aware
timestamp keeps its offset, a naive one stays naive and is refused later). Records that cannot even be
split into columns are reported as problems; a file that cannot be read at all raises UnreadableFileError.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.domain.raw_validation import Problem, RawRecord, Reason

PARQUET_MAGIC = b"PAR1"


class UnreadableFileError(ValueError):
    """The file as a whole cannot be read (garbage bytes, no header, duplicate columns)."""

    def __init__(self, reason: Reason, message: str, raw_value: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.raw_value = raw_value


@dataclass
class RawTable:
    file_format: str  # csv | ndjson | parquet
    columns: list[str]
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # records refused before validation
    raw_rows: dict[int, str] = field(default_factory=dict)  # row_number -> raw JSON of refused records


def read_table(data: bytes, name: str = "") -> RawTable:
    if data.startswith(PARQUET_MAGIC):
        return _read_parquet(data)
    text = _decode(data)
    first = text.lstrip()[:1]
    if first == "{" or name.lower().endswith((".ndjson", ".jsonl")):
        return _read_ndjson(text)
    return _read_csv(text)


def as_text(value: Any) -> str | None:
    """A typed value (JSON, Parquet) rendered as the text a CSV would carry."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(
            Reason.UNREADABLE_FILE, "binary content (NUL bytes): not CSV, NDJSON or Parquet"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            Reason.UNREADABLE_FILE, f"not UTF-8 text at byte {exc.start}: not CSV, NDJSON or Parquet"
        ) from None


def _header(names: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in names]
    if not any(columns):
        raise UnreadableFileError(Reason.NO_HEADER, "no header line")
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise UnreadableFileError(
            Reason.DUPLICATE_COLUMN,
            f"the header names column(s) {duplicates} more than once",
            ",".join(names),
        )
    return columns


def _read_csv(text: str) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UnreadableFileError(Reason.UNREADABLE_FILE, f"not CSV: {exc}") from None
    if header is None:
        raise UnreadableFileError(Reason.NO_HEADER, "empty file")
    table = RawTable("csv", _header(header))
    width = len(table.columns)
    columns = table.columns
    row_number = 0
    try:
        for fields in reader:
            row_number += 1
            if not fields:  # a blank line: numbered (so numbers follow the lines) but not a row
                continue
            if len(fields) != width:
                table.problems.append(
                    Problem(
                        row_number, "", Reason.WRONG_FIELD_COUNT, f"{len(fields)} fields, header has {width}"
                    )
                )
                table.raw_rows[row_number] = json.dumps(fields, ensure_ascii=False)
                continue
            table.records.append(
                RawRecord(
                    row_number, {c: (v if v != "" else None) for c, v in zip(columns, fields, strict=True)}
                )
            )
    except csv.Error as exc:
        raise UnreadableFileError(Reason.UNREADABLE_FILE, f"not CSV near row {row_number}: {exc}") from None
    return table


def _read_ndjson(text: str) -> RawTable:
    objects: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    raw_rows: dict[int, str] = {}
    row_number = 0
    for line in text.splitlines():
        row_number += 1  # blank lines are numbered too, so row numbers follow the lines
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than any record can be
            value = None
        if not isinstance(value, dict):
            problems.append(Problem(row_number, "", Reason.INVALID_JSON, line[:500]))
            raw_rows[row_number] = json.dumps(line, ensure_ascii=False)
            continue
        objects.append((row_number, value))
    if not objects:
        raise UnreadableFileError(Reason.NO_HEADER, "no JSON object lines: cannot tell the columns")
    seen: dict[str, None] = {}
    for _, value in objects:
        for key in value:
            seen.setdefault(key, None)
    table = RawTable("ndjson", _header(list(seen)), problems=problems, raw_rows=raw_rows)
    for row_number, value in objects:
        table.records.append(RawRecord(row_number, {k.strip().lower(): as_text(v) for k, v in value.items()}))
    return table


def _read_parquet(data: bytes) -> RawTable:
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise UnreadableFileError(Reason.UNREADABLE_FILE, f"not a readable Parquet file: {exc}") from None
    table = RawTable("parquet", _header(list(arrow.column_names)))
    values = [[as_text(v) for v in arrow.column(i).to_pylist()] for i in range(arrow.num_columns)]
    columns = table.columns
    for index, row in enumerate(zip(*values, strict=True)):
        table.records.append(RawRecord(index + 1, dict(zip(columns, row, strict=True))))
    return table
