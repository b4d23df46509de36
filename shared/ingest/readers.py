"""Reading a raw file's bytes into a header and text records: CSV, NDJSON or Parquet.

The format is recognised from the content (Parquet magic bytes, a leading ``{`` for NDJSON, else CSV),
never trusted from the name alone. Every value becomes text (or ``None`` when absent) so that one set
of validators serves all formats; typed Parquet/JSON values are rendered back losslessly (an aware
timestamp keeps its offset, a naive one stays naive and is refused later). Records that cannot even be
split into columns are reported as problems; a file that cannot be read at all raises UnreadableFileError.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from shared.domain.raw_validation import Problem, RawRecord, Reason

PARQUET_MAGIC = b"PAR1"
_SNIFF_BYTES = 1 << 16
_DECODE_BLOCK = 1 << 20


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


# Records per chunk: ingest reads, validates and writes a file this many records at a time, so a large file
# is held once as bytes plus one chunk of records, never as one list of every record.
CHUNK_RECORDS = 20_000


@dataclass(frozen=True)
class RawSource:
    """A raw file checked as a whole (readable, a header, no duplicate column), read chunk by chunk."""

    file_format: str
    columns: list[str]
    _chunks: Callable[[int], Iterator[RawTable]]

    def chunks(self, size: int | None = None) -> Iterator[RawTable]:
        """Consecutive chunks of at most ``size`` (default CHUNK_RECORDS) records, refused ones included;
        row numbers go on from chunk to chunk."""
        return self._chunks(size or CHUNK_RECORDS)


def open_table(data: bytes, name: str = "") -> RawSource:
    """Check the whole file first (so it is refused before any row is written), then read it in chunks."""
    if data.startswith(PARQUET_MAGIC):
        return _open_parquet(data)
    _check_utf8(data)
    first = data[:_SNIFF_BYTES].decode("utf-8-sig", errors="ignore").lstrip()[:1]
    if first == "{" or name.lower().endswith((".ndjson", ".jsonl")):
        return _open_ndjson(data)
    return _open_csv(data)


def read_table(data: bytes, name: str = "") -> RawTable:
    """The whole file as one table (small files, tests); ingest uses :func:`open_table` chunk by chunk."""
    source = open_table(data, name)
    table = RawTable(source.file_format, source.columns)
    for chunk in source.chunks():
        table.records += chunk.records
        table.problems += chunk.problems
        table.raw_rows.update(chunk.raw_rows)
    return table


def sniff_columns(path: Path) -> list[str]:
    """The column names of a local raw file, reading only its header (or Parquet schema); [] if unreadable.

    Used to order files by kind before landing them; the ingest itself re-reads and validates everything.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if head.startswith(PARQUET_MAGIC):
            import pyarrow.parquet as pq

            return [name.strip().lower() for name in pq.read_schema(path).names]
        text = head.decode("utf-8-sig", errors="ignore")
        first = text.lstrip().split("\n", 1)[0]
        if first.startswith("{"):
            value = json.loads(first)
            return [str(key).strip().lower() for key in value] if isinstance(value, dict) else []
        return [name.strip().lower() for name in next(csv.reader([first]), [])]
    except (OSError, ValueError, csv.Error):
        return []
    except Exception:  # pyarrow raises several types for a corrupt file; ingest will refuse it loudly
        return []


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


def _check_utf8(data: bytes) -> None:
    """Refuse binary or non-UTF-8 content as a whole, decoding block by block (no full copy as text)."""
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(
            Reason.UNREADABLE_FILE, "binary content (NUL bytes): not CSV, NDJSON or Parquet"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for offset in range(0, len(data), _DECODE_BLOCK):
        block = view[offset : offset + _DECODE_BLOCK]
        try:
            decoder.decode(block, final=offset + _DECODE_BLOCK >= len(data))
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                Reason.UNREADABLE_FILE,
                f"not UTF-8 text at byte {offset + exc.start}: not CSV, NDJSON or Parquet",
            ) from None


def _text_stream(data: bytes) -> io.TextIOWrapper:
    """The bytes as text lines without copying them into one string (newlines kept as written)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _header(names: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in names]
    if not any(columns):
        raise UnreadableFileError(Reason.NO_HEADER, "no header line")
    duplicates = sorted(name for name, times in Counter(columns).items() if times > 1)  # linear in width
    if duplicates:
        raise UnreadableFileError(
            Reason.DUPLICATE_COLUMN,
            f"the header names column(s) {duplicates} more than once",
            ",".join(names),
        )
    return columns


def _open_csv(data: bytes) -> RawSource:
    reader = csv.reader(_text_stream(data))
    row_number = 0
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFileError(Reason.NO_HEADER, "empty file")
        for _ in reader:  # a malformed record refuses the whole file: find it before anything is written
            row_number += 1
    except csv.Error as exc:
        raise UnreadableFileError(Reason.UNREADABLE_FILE, f"not CSV near row {row_number}: {exc}") from None
    columns = _header(header)
    return RawSource("csv", columns, lambda size: _csv_chunks(data, columns, size))


def _csv_chunks(data: bytes, columns: list[str], size: int) -> Iterator[RawTable]:
    reader = csv.reader(_text_stream(data))
    next(reader)
    width = len(columns)
    table = RawTable("csv", columns)
    for row_number, fields in enumerate(reader, start=1):
        if not fields:  # a blank line: numbered (so numbers follow the lines) but not a row
            continue
        if len(fields) != width:
            table.problems.append(
                Problem(row_number, "", Reason.WRONG_FIELD_COUNT, f"{len(fields)} fields, header has {width}")
            )
            table.raw_rows[row_number] = json.dumps(fields, ensure_ascii=False)
        else:
            values = {c: (v if v != "" else None) for c, v in zip(columns, fields, strict=True)}
            table.records.append(RawRecord(row_number, values))
        if len(table.records) + len(table.problems) >= size:
            yield table
            table = RawTable("csv", columns)
    yield table


def _ndjson_lines(data: bytes) -> Iterator[tuple[int, str, dict[str, Any] | None]]:
    """(line number, line, its JSON object or None) for every non-blank line."""
    for row_number, line in enumerate(_text_stream(data), start=1):
        if not line.strip():  # blank lines are numbered too, so row numbers follow the lines
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than any record can be
            value = None
        yield row_number, line.rstrip("\r\n"), value if isinstance(value, dict) else None


def _open_ndjson(data: bytes) -> RawSource:
    seen: dict[str, None] = {}
    for _, _, value in _ndjson_lines(data):
        for key in value or ():
            seen.setdefault(key, None)
    if not seen:
        raise UnreadableFileError(Reason.NO_HEADER, "no JSON object lines: cannot tell the columns")
    columns = _header(list(seen))
    return RawSource("ndjson", columns, lambda size: _ndjson_chunks(data, columns, size))


def _ndjson_chunks(data: bytes, columns: list[str], size: int) -> Iterator[RawTable]:
    table = RawTable("ndjson", columns)
    for row_number, line, value in _ndjson_lines(data):
        if value is None:
            table.problems.append(Problem(row_number, "", Reason.INVALID_JSON, line[:500]))
            table.raw_rows[row_number] = json.dumps(line, ensure_ascii=False)
        else:
            values = {k.strip().lower(): as_text(v) for k, v in value.items()}
            table.records.append(RawRecord(row_number, values))
        if len(table.records) + len(table.problems) >= size:
            yield table
            table = RawTable("ndjson", columns)
    yield table


def _open_parquet(data: bytes) -> RawSource:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        for _ in parquet.iter_batches():  # a corrupt page refuses the whole file, before anything is written
            pass
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise UnreadableFileError(Reason.UNREADABLE_FILE, f"not a readable Parquet file: {exc}") from None
    columns = _header(list(parquet.schema_arrow.names))
    return RawSource("parquet", columns, lambda size: _parquet_chunks(parquet, columns, size))


def _parquet_chunks(parquet: Any, columns: list[str], size: int) -> Iterator[RawTable]:
    row_number = 0
    for batch in parquet.iter_batches(batch_size=size):
        table = RawTable("parquet", columns)
        values = [[as_text(v) for v in batch.column(i).to_pylist()] for i in range(batch.num_columns)]
        for row in zip(*values, strict=True):
            row_number += 1
            table.records.append(RawRecord(row_number, dict(zip(columns, row, strict=True))))
        yield table
