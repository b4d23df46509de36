"""Ingest: one raw file landed in the raw bucket -> validated, idempotent rows in ``nba_raw``.

``ingest_object`` does the work (the CLI and replays call it directly); ``handle`` adapts the Cloud
Storage OBJECT_FINALIZE delivery to it and publishes ``lines-loaded`` / ``boxscores-loaded`` once per
affected game date. The file kind comes from its columns; every row is validated
(shared/domain/raw_validation.py) and every refused row is kept in ``nba_raw.rejects`` with its reason.
Writes are by natural key and only of new or changed rows, with ``loaded_at`` = the message's publish
time, so a redelivery or an overlapping file changes nothing.

Rules worth knowing:
* within one file, the last row of a natural key wins; earlier ones are refused as ``duplicate_key``;
* a file that cannot be read at all gets ONE rejects row (row 0) and a PermanentError (run ``rejected``,
  acknowledged, never retried);
* a file whose rows are all refused is recorded ``rejected`` and publishes nothing;
* events are published whenever a date has valid rows, even if they were all stored already: the
  downstream steps are idempotent, and a crash between writing and publishing must not lose the event.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NoReturn

from shared.domain.game_status import Transition, transition
from shared.domain.raw_validation import (
    FIRST_GAME_DATE,
    SPECS,
    DateWindow,
    FileKind,
    Problem,
    RawRecord,
    Reason,
    date_or_none,
    detect_kind,
    ignored_columns,
    keep_last_of_duplicates,
    parse_date,
    plausible_window,
    schedule_of,
    validate_records,
)
from shared.domain.season import SEASON_FIRST_MONTH, season_end, season_start, season_start_year
from shared.errors import PermanentError, RefusedError
from shared.events import BoxscoresLoaded, LinesLoaded, StorageObject
from shared.ingest.readers import RawSource, RawTable, UnreadableFileError, open_table
from shared.ingest.writer import replace_rejects, write_new_or_changed
from shared.ports import BlobStore, Row, Warehouse
from shared.sql import load_sql
from shared.step import StepContext, StepResult

log = logging.getLogger("courtside.ingest")

FINALIZE_EVENT_TYPE = "OBJECT_FINALIZE"
# Per-process record of the last report per object, so the operator CLI can show kind/rejects/dates.
REPORTS_CACHE_KEY = "ingest.reports"
_MAX_CACHED_REPORTS = 2000

_EXISTING_SQL: dict[FileKind, str] = {
    FileKind.BOXSCORES: "ingest/existing_boxscores",
    FileKind.INJURIES: "ingest/existing_injuries",
    FileKind.PROP_LINES: "ingest/existing_prop_lines",
}
_DERIVED_COLUMNS: dict[FileKind, tuple[str, ...]] = {FileKind.PROP_LINES: ("is_in_game",)}


@dataclass(frozen=True)
class DateSummary:
    game_date: date
    rows_loaded: int  # valid rows of this date in the file (stored now, new or already identical)
    rows_rejected: int  # refused rows whose game_date reads as this date
    latest_snapshot_at: datetime | None = None  # prop lines only


@dataclass(frozen=True)
class IngestReport:
    source_object: str
    file_kind: FileKind | None
    file_format: str | None
    rows_read: int = 0
    rows_valid: int = 0
    rows_written: int = 0  # new or changed rows actually written
    rows_superseded: int = 0  # schedule rows older than the stored state (shared/domain/game_status.py)
    rows_rejected: int = 0  # distinct data rows refused (row 0 counts when the whole file is refused)
    rejects_written: int = 0
    ignored_columns: tuple[str, ...] = ()
    reasons: Mapping[str, int] = field(default_factory=dict)
    dates: tuple[DateSummary, ...] = ()
    file_problem: str | None = None

    @property
    def dates_affected(self) -> tuple[date, ...]:
        return tuple(summary.game_date for summary in self.dates)

    @property
    def detail(self) -> str:
        kind = self.file_kind.value if self.file_kind else "unknown"
        if self.file_problem:
            return f"{self.source_object}: refused as a whole ({kind}): {self.file_problem}"
        parts = [
            f"{kind} file {self.source_object} ({self.file_format}): {self.rows_read} rows, "
            f"{self.rows_valid} valid ({self.rows_written} new or changed, "
            f"{self.rows_valid - self.rows_written} already stored), {self.rows_rejected} rejected"
        ]
        if self.rows_superseded:
            parts.append(f"{self.rows_superseded} older than the stored game status (kept as stored)")
        if self.reasons:
            parts.append("reasons: " + ", ".join(f"{r} x{n}" for r, n in sorted(self.reasons.items())))
        if self.dates:
            parts.append("dates: " + ", ".join(d.isoformat() for d in self.dates_affected))
        if self.ignored_columns:
            parts.append("ignored extra columns: " + ", ".join(self.ignored_columns))
        return "; ".join(parts)


class IngestRefusedError(RefusedError):
    """The file (or every row of it) was refused; its rejects are already written."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(report.detail)
        self.report = report


# -- the service -----------------------------------------------------------------------------------


def ingest_object(
    warehouse: Warehouse,
    blobs: BlobStore,
    bucket: str,
    name: str,
    loaded_at: datetime,
    run_id: str | None = None,
) -> IngestReport:
    """Validate and load one raw object; raises IngestRefusedError if it cannot be read at all."""
    try:
        data = blobs.read_bytes(bucket, name)
    except FileNotFoundError as exc:
        raise PermanentError(f"gs://{bucket}/{name} no longer exists: {exc}") from exc
    try:
        source = open_table(data, name)
    except UnreadableFileError as exc:
        _refuse_file(warehouse, name, None, None, exc.reason, str(exc), exc.raw_value, loaded_at, run_id)
    detection = detect_kind(source.columns)
    kind = detection.kind
    if kind is None:
        message = f"unknown file kind: {detection.problem}"
        _refuse_file(
            warehouse,
            name,
            None,
            source.file_format,
            Reason.UNKNOWN_KIND,
            message,
            ",".join(source.columns),
            loaded_at,
            run_id,
        )
    return _ingest_source(warehouse, name, kind, source, loaded_at, run_id)


@dataclass
class _Tally:
    """What the chunks of one file add up to; only this (not the rows) outlives a chunk."""

    rows_read: int = 0
    rows_written: int = 0
    superseded: int = 0
    problems: list[Problem] = field(default_factory=list)
    reject_rows: list[Row] = field(default_factory=list)
    loaded: Counter[date] = field(default_factory=Counter)
    rejected: Counter[date] = field(default_factory=Counter)
    latest: dict[date, datetime] = field(default_factory=dict)
    row_of_key: dict[tuple[Any, ...], int] = field(default_factory=dict)  # the row kept so far per key
    date_of_row: dict[int, date] = field(default_factory=dict)  # of rows a later chunk turned duplicate


def _earlier_rejects_since(game_dates: Collection[date]) -> datetime:
    """The earliest an object's earlier landings can have written its rejects: the start of the season
    before its earliest game date (a row dated more than a season after its landing is refused as
    implausible), or the first plausible date for a file with no readable game date."""
    first = min(game_dates, default=FIRST_GAME_DATE)
    return datetime.combine(date(season_start_year(first) - 1, SEASON_FIRST_MONTH, 1), time.min, tzinfo=UTC)


def _ingest_source(
    warehouse: Warehouse,
    name: str,
    kind: FileKind,
    source: RawSource,
    loaded_at: datetime,
    run_id: str | None,
) -> IngestReport:
    """Read, validate and write ``source`` one chunk at a time, so memory stays bounded whatever its size."""
    extra = ignored_columns(kind, source.columns)
    if extra:
        log.warning("%s: ignoring column(s) not in the %s format: %s", name, kind.value, ", ".join(extra))
    tally = _Tally()
    window = plausible_window(loaded_at)
    for chunk in source.chunks():
        _ingest_chunk(warehouse, name, kind, chunk, window, loaded_at, run_id, tally)
    if tally.date_of_row:
        _refuse_earlier_duplicates(name, kind, source, loaded_at, run_id, tally)
    dates = set(tally.loaded) | set(tally.rejected)
    rejects_written = replace_rejects(warehouse, name, tally.reject_rows, _earlier_rejects_since(dates))
    rejected_row_numbers = {problem.row_number for problem in tally.problems}
    return IngestReport(
        source_object=name,
        file_kind=kind,
        file_format=source.file_format,
        rows_read=tally.rows_read,
        rows_valid=sum(tally.loaded.values()),
        rows_written=tally.rows_written,
        rows_superseded=tally.superseded,
        rows_rejected=len(rejected_row_numbers),
        rejects_written=rejects_written,
        ignored_columns=extra,
        reasons=dict(Counter(problem.reason.value for problem in tally.problems)),
        dates=tuple(
            DateSummary(day, tally.loaded[day], tally.rejected.get(day, 0), tally.latest.get(day))
            for day in sorted(day for day, n in tally.loaded.items() if n)
        ),
    )


def _ingest_chunk(
    warehouse: Warehouse,
    name: str,
    kind: FileKind,
    chunk: RawTable,
    window: DateWindow,
    loaded_at: datetime,
    run_id: str | None,
    tally: _Tally,
) -> None:
    spec = SPECS[kind]
    games = schedule_of(_schedule_rows(warehouse, chunk.records)) if kind in _NEEDS_SCHEDULE else {}
    validation = validate_records(kind, chunk.records, games, window)
    kept, duplicates = keep_last_of_duplicates(kind, validation.rows)
    problems = chunk.problems + validation.problems + duplicates
    if kept:
        stored_columns = spec.columns + _DERIVED_COLUMNS.get(kind, ())
        for row in kept:
            row["source_object"] = name
            row["loaded_at"] = loaded_at
        existing = _existing_rows(warehouse, kind, kept)
        to_write = kept
        if kind is FileKind.SCHEDULE:
            to_write, superseded, conflicts = _forward_only(kept, existing)
            tally.superseded += superseded
            problems += conflicts
            kept = [row for row in kept if row["source_row"] not in {p.row_number for p in conflicts}]
        content = [c for c in stored_columns if c not in spec.key]
        # Every kind is written by key AND game_date (the date its existing rows were read for), so the
        # write touches that date's partitions only; a rescheduled game (same id, another date) first
        # leaves its old date.
        write_key = spec.key if "game_date" in spec.key else (*spec.key, "game_date")
        if kind is FileKind.SCHEDULE:
            _delete_moved_games(warehouse, to_write, existing)
        tally.rows_written += write_new_or_changed(
            warehouse, spec.table, to_write, existing, write_key, content
        )

    for row in kept:
        # The last row of a key wins in the whole file: one kept by an earlier chunk is now a duplicate
        # (the write above already replaced it by key).
        key = tuple(row[column] for column in spec.key)
        earlier = tally.row_of_key.get(key)
        if earlier is not None:  # same key, same date for every kind that publishes per date
            tally.date_of_row[earlier] = row["game_date"]
        tally.row_of_key[key] = row["source_row"]
        tally.loaded[row["game_date"]] += 1
        if kind is FileKind.PROP_LINES:
            day, moment = row["game_date"], row["snapshot_at"]
            if day not in tally.latest or moment > tally.latest[day]:
                tally.latest[day] = moment
    records_by_row = {record.row_number: record for record in chunk.records}
    _tally_problems(name, kind, problems, records_by_row, chunk.raw_rows, loaded_at, run_id, tally)
    tally.rows_read += len(chunk.records) + len(chunk.problems)


def _tally_problems(
    name: str,
    kind: FileKind,
    problems: Sequence[Problem],
    records_by_row: Mapping[int, RawRecord],
    raw_rows: Mapping[int, str],
    loaded_at: datetime,
    run_id: str | None,
    tally: _Tally,
) -> None:
    tally.problems += problems
    tally.reject_rows += _reject_rows(name, kind, problems, records_by_row, raw_rows, loaded_at, run_id)
    for row_number in {problem.row_number for problem in problems}:
        record = records_by_row.get(row_number)
        if record is None:
            continue
        try:
            tally.rejected[parse_date(record.values.get("game_date"))] += 1
        except Exception:  # an unreadable date belongs to no date; it is still in the file's total
            continue


def _refuse_earlier_duplicates(
    name: str, kind: FileKind, source: RawSource, loaded_at: datetime, run_id: str | None, tally: _Tally
) -> None:
    """Rows a later chunk repeated by key are refused as ``duplicate_key`` (rare: read the file again for
    their raw records rather than keep every record of every chunk)."""
    wanted = tally.date_of_row
    for day in wanted.values():
        tally.loaded[day] -= 1
    problems = [Problem(row_number, "", Reason.DUPLICATE_KEY, None) for row_number in sorted(wanted)]
    records: dict[int, RawRecord] = {}
    for chunk in source.chunks():
        records.update((r.row_number, r) for r in chunk.records if r.row_number in wanted)
    _tally_problems(name, kind, problems, records, {}, loaded_at, run_id, tally)


def _delete_moved_games(
    warehouse: Warehouse, rows: Sequence[Mapping[str, Any]], stored: Sequence[Row]
) -> None:
    stored_date = {str(row["game_id"]): row["game_date"] for row in stored}
    moved = [row for row in rows if stored_date.get(row["game_id"], row["game_date"]) != row["game_date"]]
    if moved:
        params = {
            "old_dates": sorted({stored_date[row["game_id"]] for row in moved}),
            "game_ids": sorted({row["game_id"] for row in moved}),
        }
        warehouse.execute(load_sql("ingest/delete_moved_games"), params)


def _forward_only(
    rows: Sequence[dict[str, Any]], stored: Sequence[Row]
) -> tuple[list[dict[str, Any]], int, list[Problem]]:
    """Schedule rows that may be applied, how many are superseded, and the status conflicts refused."""
    stored_status = {str(row["game_id"]): str(row["status"]) for row in stored}
    to_write: list[dict[str, Any]] = []
    conflicts: list[Problem] = []
    superseded = 0
    for row in rows:
        move = transition(stored_status.get(row["game_id"]), row["status"])
        if move is Transition.APPLY:
            to_write.append(row)
        elif move is Transition.SUPERSEDED:
            superseded += 1
        else:
            conflicts.append(Problem(row["source_row"], "status", Reason.STATUS_CONFLICT, row["status"]))
    return to_write, superseded, conflicts


_NEEDS_SCHEDULE = frozenset({FileKind.BOXSCORES, FileKind.PROP_LINES})


def _schedule_rows(warehouse: Warehouse, records: Sequence[RawRecord]) -> list[Row]:
    game_ids = {v for r in records if (v := r.values.get("game_id"))}
    game_dates = {d for r in records if (d := date_or_none(r.values.get("game_date")))}
    return _scheduled_games(warehouse, game_ids, game_dates)


def _scheduled_games(
    warehouse: Warehouse, game_ids: Collection[str], game_dates: Collection[date]
) -> list[Row]:
    """The stored schedule rows of ``game_ids``: first in the seasons of ``game_dates`` only (partitions
    pruned: the cost does not grow with the seasons stored), then, for ids not found there, in every season.
    Either way every stored row of those ids is found (one row per game id)."""
    if not game_ids:
        return []
    found: list[Row] = []
    if game_dates:
        params = {
            "game_ids": sorted(game_ids),
            "season_from": season_start(min(game_dates)),
            "season_to": season_end(max(game_dates)),
        }
        found = warehouse.query(load_sql("ingest/schedule_games"), params)
    missing = sorted(set(game_ids) - {str(row["game_id"]) for row in found})
    if missing:
        found += warehouse.query(load_sql("ingest/schedule_games_any_season"), {"game_ids": missing})
    return found


def _existing_rows(warehouse: Warehouse, kind: FileKind, rows: Sequence[dict[str, Any]]) -> list[Row]:
    params: dict[str, Any]
    if kind is FileKind.SCHEDULE:
        return _scheduled_games(
            warehouse, {row["game_id"] for row in rows}, {row["game_date"] for row in rows}
        )
    if kind is FileKind.INJURIES:
        params = {
            "game_dates": sorted({row["game_date"] for row in rows}),
            "player_ids": sorted({row["player_id"] for row in rows}),
        }
    else:
        params = {
            "game_dates": sorted({row["game_date"] for row in rows}),
            "game_ids": sorted({row["game_id"] for row in rows}),
        }
    return warehouse.query(load_sql(_EXISTING_SQL[kind]), params)


def _reject_rows(
    name: str,
    kind: FileKind | None,
    problems: Sequence[Problem],
    records_by_row: Mapping[int, RawRecord],
    raw_rows: Mapping[int, str],
    rejected_at: datetime,
    run_id: str | None,
) -> list[Row]:
    rows: dict[tuple[int, str], Row] = {}
    for problem in problems:
        key = (problem.row_number, problem.column)
        if key in rows:
            continue
        record = records_by_row.get(problem.row_number)
        raw_row = (
            json.dumps(dict(record.values), ensure_ascii=False)
            if record
            else raw_rows.get(problem.row_number)
        )
        rows[key] = {
            "source_object": name,
            "file_kind": kind.value if kind else "unknown",
            "row_number": problem.row_number,
            "column_name": problem.column,
            "reason": problem.reason.value,
            "raw_value": problem.raw_value,
            "raw_row": raw_row,
            "rejected_at": rejected_at,
            "run_id": run_id,
        }
    return list(rows.values())


def _refuse_file(
    warehouse: Warehouse,
    name: str,
    kind: FileKind | None,
    file_format: str | None,
    reason: Reason,
    message: str,
    raw_value: str | None,
    loaded_at: datetime,
    run_id: str | None,
) -> NoReturn:
    """Record ONE rejects row (row 0) for the whole file, then raise: it is never retried."""
    problem = Problem(0, "", reason, raw_value[:2000] if raw_value else None)
    rejects_written = replace_rejects(
        warehouse,
        name,
        _reject_rows(name, kind, [problem], {}, {}, loaded_at, run_id),
        _earlier_rejects_since(()),
    )
    report = IngestReport(
        source_object=name,
        file_kind=kind,
        file_format=file_format,
        rows_rejected=1,
        rejects_written=rejects_written,
        reasons={reason.value: 1},
        file_problem=f"{reason.value}: {message}",
    )
    log.warning("%s", report.detail)
    raise IngestRefusedError(report)


# -- the Cloud Function handler --------------------------------------------------------------------


def handle(event: StorageObject, context: StepContext) -> StepResult:
    event_type = context.attributes.get("eventType")
    if event_type is not None and event_type != FINALIZE_EVENT_TYPE:
        return StepResult(
            None, 0, 0, f"ignored {event_type} notification for gs://{event.bucket}/{event.name}", "skipped"
        )
    reports = context.deps.cache.setdefault(REPORTS_CACHE_KEY, {})
    if len(reports) >= _MAX_CACHED_REPORTS:  # a warm instance must not grow without bound
        reports.clear()
    try:
        report = ingest_object(
            context.warehouse,
            context.deps.blobs,
            event.bucket,
            event.name,
            loaded_at=context.publish_time,
            run_id=context.run_id,
        )
    except IngestRefusedError as exc:
        reports[event.name] = exc.report
        raise
    reports[event.name] = report
    single_date = report.dates_affected[0] if len(report.dates) == 1 else None
    if report.rows_read == 0:
        return StepResult(None, 0, 0, f"{report.detail}; no data rows, nothing to load", "skipped")
    if report.rows_valid == 0:
        raise IngestRefusedError(report)  # every row refused: recorded, rejects kept, nothing published
    published = publish_loaded_events(context, report)
    detail = report.detail + (f"; published {', '.join(published)}" if published else "")
    if report.file_kind is FileKind.SCHEDULE:
        # Even when nothing new was written: a crash after the write must not strand the held rows.
        redriven = redrive_held_objects(context, event.bucket, reports, report.dates_affected)
        detail += f"; re-drove held file(s): {', '.join(redriven)}" if redriven else ""
    return StepResult(single_date, report.rows_read, report.rows_written, detail)


# A file refused for a game the schedule did not know yet landed at most this long before that game.
HELD_DAYS = 60


def redrive_held_objects(
    context: StepContext, bucket: str, reports: dict[str, IngestReport], game_dates: Sequence[date]
) -> list[str]:
    """Ingest again every object with rows refused as ``unknown_game`` whose game the schedule now knows
    (on one of ``game_dates``, the dates of the schedule file just ingested). Only rejects recorded from
    ``HELD_DAYS`` before the earliest of those dates are read, so the lookup does not grow with history.

    Such rows are held, not lost: they stay in ``nba_raw.rejects`` (with the raw row) until their game
    arrives, and re-driving the whole object is idempotent (stored rows are not rewritten, its rejects are
    replaced as a set). Returns the re-driven object names.
    """
    redriven: list[str] = []
    if not game_dates:
        return redriven
    held_since = datetime.combine(min(game_dates) - timedelta(days=HELD_DAYS), time.min, tzinfo=UTC)
    params = {"game_dates": sorted(game_dates), "held_since": held_since}
    for row in context.warehouse.query(load_sql("ingest/held_objects"), params):
        name = str(row["source_object"])
        try:
            report = ingest_object(
                context.warehouse, context.deps.blobs, bucket, name, context.publish_time, context.run_id
            )
        except PermanentError as exc:  # gone or unreadable now: its rejects stay, and say why
            log.warning("could not re-drive held rows of %s: %s", name, exc)
            continue
        reports[name] = report
        publish_loaded_events(context, report)
        redriven.append(name)
    return redriven


def publish_loaded_events(context: StepContext, report: IngestReport) -> list[str]:
    """One ``lines-loaded``/``boxscores-loaded`` per affected date; schedule and injuries: nothing."""
    published: list[str] = []
    for summary in report.dates:
        if report.file_kind is FileKind.PROP_LINES:
            context.publish(
                "lines-loaded",
                LinesLoaded(
                    **context.event_fields(summary.game_date),
                    source_object=report.source_object,
                    rows_loaded=summary.rows_loaded,
                    rows_rejected=summary.rows_rejected,
                    latest_snapshot_at=summary.latest_snapshot_at,
                ),
            )
            published.append(f"lines-loaded {summary.game_date.isoformat()}")
        elif report.file_kind is FileKind.BOXSCORES:
            context.publish(
                "boxscores-loaded",
                BoxscoresLoaded(
                    **context.event_fields(summary.game_date),
                    source_object=report.source_object,
                    rows_loaded=summary.rows_loaded,
                    rows_rejected=summary.rows_rejected,
                ),
            )
            published.append(f"boxscores-loaded {summary.game_date.isoformat()}")
    return published
