"""Row validation of raw files (schedule, box scores, injuries, prop lines): pure, no I/O.

Every value arrives as text (or ``None`` when absent/empty), whatever the file format; each column
is parsed into its typed value or refused with one reason code. A row with any problem is refused as a
whole (one problem per column, so the caller can write one ``nba_raw.rejects`` row per problem) and is
never loaded. Cross-file facts (the schedule of the games a box-score or line file mentions) are passed
in by the caller. Names and ids are kept exactly as written (only surrounding whitespace is stripped): no
accent, case or Unicode-form folding. The rules are documented in docs/data-formats.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from shared.clock import game_date_of
from shared.domain.line_policy import is_valid_line_value
from shared.domain.season import SEASON_FIRST_MONTH, season_start_year
from shared.domain.teams import TEAMS
from shared.domain.vocabulary import BoxScoreStatus, GameStatus, InjuryStatus


class FileKind(StrEnum):
    SCHEDULE = "schedule"
    BOXSCORES = "boxscores"
    INJURIES = "injuries"
    PROP_LINES = "prop_lines"


class Reason(StrEnum):
    """Why a value, a row or a whole file was refused (``nba_raw.rejects.reason``)."""

    # whole file (row_number 0)
    UNREADABLE_FILE = "unreadable_file"  # not UTF-8 text / not a valid Parquet file
    NO_HEADER = "no_header"  # empty file or no header line
    DUPLICATE_COLUMN = "duplicate_column"  # the header names a column twice
    UNKNOWN_KIND = "unknown_kind"  # the columns match no known file kind
    # whole record, before any column is read
    WRONG_FIELD_COUNT = "wrong_field_count"  # CSV record with more or fewer fields than the header
    INVALID_JSON = "invalid_json"  # NDJSON line that is not a JSON object
    # one value
    MISSING_VALUE = "missing_value"
    INVALID_INTEGER = "invalid_integer"
    INVALID_NUMBER = "invalid_number"
    INVALID_BOOLEAN = "invalid_boolean"
    INVALID_DATE = "invalid_date"
    INVALID_TIMESTAMP = "invalid_timestamp"
    IMPLAUSIBLE_DATE = "implausible_date"  # a game_date outside the plausible window (e.g. 1900, 2999)
    IMPLAUSIBLE_TIMESTAMP = "implausible_timestamp"  # reported_at / snapshot_at far from the row's game_date
    TIMESTAMP_WITHOUT_ZONE = "timestamp_without_zone"
    INVALID_STATUS = "invalid_status"
    UNKNOWN_TEAM = "unknown_team"
    OUT_OF_RANGE = "out_of_range"
    LINE_NOT_HALF_POINT = "line_not_half_point"  # e.g. 13.847: an averaged line no book offered
    IMPLAUSIBLE_PRICE = "implausible_price"
    # across values of a row, or against the schedule
    SAME_TEAM = "same_team"
    GAME_DATE_NOT_TIPOFF_DATE = "game_date_not_tipoff_date"  # schedule: date != US Eastern date of tip-off
    UNKNOWN_GAME = "unknown_game"  # game_id not in nba_raw.schedule
    GAME_DATE_MISMATCH = "game_date_mismatch"  # game_date differs from the schedule's
    TEAM_NOT_IN_GAME = "team_not_in_game"
    IS_HOME_MISMATCH = "is_home_mismatch"
    INCONSISTENT_STATUS = "inconsistent_status"  # dnp/inactive with minutes or points
    # against the stored state
    STATUS_CONFLICT = "status_conflict"  # schedule: final vs postponed for a game already decided
    # across rows of one file
    DUPLICATE_KEY = "duplicate_key"  # an earlier row with the same natural key; the last one wins


SCHEDULE_STATUSES = frozenset(status.value for status in GameStatus)
BOXSCORE_STATUSES = frozenset(status.value for status in BoxScoreStatus)
INJURY_STATUSES = frozenset(status.value for status in InjuryStatus)

MAX_MINUTES = 70.0
MAX_LINE = 80.0
MIN_ABS_PRICE = 100
MAX_ABS_PRICE = 1000


@dataclass(frozen=True)
class KindSpec:
    kind: FileKind
    table: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SPECS: dict[FileKind, KindSpec] = {
    FileKind.SCHEDULE: KindSpec(
        FileKind.SCHEDULE,
        "nba_raw.schedule",
        ("game_id", "game_date", "tipoff_utc", "home_team", "away_team", "status"),
        (),
        ("game_id",),
    ),
    FileKind.BOXSCORES: KindSpec(
        FileKind.BOXSCORES,
        "nba_raw.boxscores",
        (
            "game_id",
            "game_date",
            "player_id",
            "player_name",
            "team",
            "opponent",
            "is_home",
            "minutes",
            "points",
            "status",
        ),
        ("fga", "fta", "fg3a", "rebounds", "assists", "starter"),
        ("game_id", "player_id"),
    ),
    FileKind.INJURIES: KindSpec(
        FileKind.INJURIES,
        "nba_raw.injuries",
        ("game_date", "player_id", "status", "reported_at"),
        (),
        ("game_date", "player_id", "reported_at"),
    ),
    FileKind.PROP_LINES: KindSpec(
        FileKind.PROP_LINES,
        "nba_raw.prop_line_snapshots",
        (
            "game_id",
            "game_date",
            "player_id",
            "player_name",
            "bookmaker",
            "line",
            "over_price",
            "under_price",
            "snapshot_at",
        ),
        (),
        ("game_id", "player_id", "bookmaker", "snapshot_at"),
    ),
}


# One column only a given kind has: it names the kind (docs/data-formats.md, "Kind from columns").
DISTINCTIVE_COLUMNS: dict[str, FileKind] = {
    "tipoff_utc": FileKind.SCHEDULE,
    "minutes": FileKind.BOXSCORES,
    "reported_at": FileKind.INJURIES,
    "snapshot_at": FileKind.PROP_LINES,
}


@dataclass(frozen=True)
class KindDetection:
    kind: FileKind | None
    problem: str = ""  # why no kind, naming the missing or conflicting columns


def detect_kind(columns: Iterable[str]) -> KindDetection:
    """The kind named by the file's one distinctive column, provided all its required columns are present."""
    present = list(columns)
    kinds = [(column, kind) for column, kind in DISTINCTIVE_COLUMNS.items() if column in present]
    if not kinds:
        return KindDetection(
            None, f"no distinctive column ({', '.join(DISTINCTIVE_COLUMNS)}) among {present}"
        )
    if len(kinds) > 1:
        named = ", ".join(f"{column} ({kind.value})" for column, kind in kinds)
        return KindDetection(None, f"conflicting distinctive columns: {named}")
    kind = kinds[0][1]
    missing = [column for column in SPECS[kind].required if column not in present]
    if missing:
        return KindDetection(None, f"looks like {kind.value} but lacks required column(s) {missing}")
    return KindDetection(kind)


def ignored_columns(kind: FileKind, columns: Iterable[str]) -> tuple[str, ...]:
    known = set(SPECS[kind].columns)
    return tuple(column for column in columns if column not in known)


# The first game of the league (BAA, 1946-11-01): no real game date is older. Backfills of any past season
# are welcome; a date before that (1900) is a typo or a placeholder.
FIRST_GAME_DATE = date(1946, 11, 1)
# A report or snapshot belongs to its game: published at most this long before it, or a little after.
TIMESTAMP_DAYS_BEFORE_GAME = 30
TIMESTAMP_DAYS_AFTER_GAME = 2
# Timestamps checked against the row's game_date (tipoff_utc already must fall on it).
_TIMESTAMPS_OF_A_GAME = ("reported_at", "snapshot_at")


@dataclass(frozen=True)
class DateWindow:
    """The plausible game dates of a file landed at one instant: any past season, up to the end of the
    season after the current one (a schedule is published months ahead, never years)."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def plausible_window(landed_at: datetime) -> DateWindow:
    current_season = season_start_year(landed_at.date())
    return DateWindow(FIRST_GAME_DATE, date(current_season + 2, SEASON_FIRST_MONTH, 1) - timedelta(days=1))


ANY_DATE = DateWindow(date.min, date.max)


@dataclass(frozen=True, slots=True)
class Problem:
    row_number: int  # 1 = first data row; 0 = the file as a whole
    column: str  # '' when it concerns the whole row or file
    reason: Reason
    raw_value: str | None


@dataclass(frozen=True, slots=True)
class ScheduledGame:
    """What the schedule says about one game; box scores and lines are checked against it."""

    game_id: str
    game_date: date
    tipoff_utc: datetime
    home_team: str
    away_team: str


@dataclass(frozen=True, slots=True)
class RawRecord:
    row_number: int
    values: Mapping[str, str | None]


@dataclass
class Validation:
    """Typed rows (each with ``source_row``) ready to load, and every problem found."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _BadValueError(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.value)
        self.reason = reason


# -- value parsers: text -> typed value, or _BadValueError(reason) -------------------------------------------


def _present(text: str | None) -> str:
    if text is None or not text.strip():
        raise _BadValueError(Reason.MISSING_VALUE)
    return text


def parse_text(text: str | None) -> str:
    """Kept exactly as written (apostrophes, accents, case, Unicode form); only surrounding spaces go."""
    return _present(text).strip()


def parse_integer(text: str | None) -> int:
    value = _present(text).strip()
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        raise _BadValueError(Reason.INVALID_INTEGER) from None
    if not math.isfinite(number) or number != int(number):
        raise _BadValueError(Reason.INVALID_INTEGER)
    return int(number)


def parse_number(text: str | None) -> float:
    try:
        number = float(_present(text).strip())
    except ValueError:
        raise _BadValueError(Reason.INVALID_NUMBER) from None
    if not math.isfinite(number):
        raise _BadValueError(Reason.INVALID_NUMBER)
    return number


_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n"})


def parse_boolean(text: str | None) -> bool:
    value = _present(text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _BadValueError(Reason.INVALID_BOOLEAN)


def parse_date(text: str | None) -> date:
    """``YYYY-MM-DD``; also a midnight timestamp of that day (Parquet writers often store dates as
    timestamps: ``2025-01-14T00:00:00``, optionally ``Z``/``+00:00``). Any other time of day is refused."""
    value = _present(text).strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise _BadValueError(Reason.INVALID_DATE) from None
    if moment.time() != time(0) or (moment.utcoffset() or timedelta(0)) != timedelta(0):
        raise _BadValueError(Reason.INVALID_DATE)
    return moment.date()


def date_or_none(text: str | None) -> date | None:
    """``parse_date``'s date, or None where it would refuse the text."""
    try:
        return parse_date(text)
    except _BadValueError:
        return None


def parse_timestamp(text: str | None) -> datetime:
    """An ISO-8601 instant that must carry its zone ('Z' or an offset); returned in UTC."""
    value = _present(text).strip()
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise _BadValueError(Reason.INVALID_TIMESTAMP) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _BadValueError(Reason.TIMESTAMP_WITHOUT_ZONE)
    return moment.astimezone(UTC)


def parse_team(text: str | None) -> str:
    value = _present(text)
    if value not in TEAMS:
        raise _BadValueError(Reason.UNKNOWN_TEAM)
    return value


def _status_parser(allowed: frozenset[str]) -> Callable[[str | None], str]:
    by_folded = {status.casefold(): status for status in allowed}

    def parse_status(text: str | None) -> str:
        status = by_folded.get(_present(text).strip().casefold())
        if status is None:
            raise _BadValueError(Reason.INVALID_STATUS)
        return status

    return parse_status


def parse_line(text: str | None) -> float:
    line = parse_number(text)
    if not is_valid_line_value(line):
        raise _BadValueError(Reason.OUT_OF_RANGE if line < 0 else Reason.LINE_NOT_HALF_POINT)
    if line <= 0 or line > MAX_LINE:
        raise _BadValueError(Reason.OUT_OF_RANGE)
    return round(line * 2) / 2  # drop float noise of an already valid half-point line


def parse_price(text: str | None) -> int:
    """American odds: -110, +150; never inside (-100, 100) and never beyond +-1000."""
    price = parse_integer(text)
    if not MIN_ABS_PRICE <= abs(price) <= MAX_ABS_PRICE:
        raise _BadValueError(Reason.IMPLAUSIBLE_PRICE)
    return price


def parse_minutes(text: str | None) -> float:
    minutes = parse_number(text)
    if not 0 <= minutes <= MAX_MINUTES:
        raise _BadValueError(Reason.OUT_OF_RANGE)
    return minutes


def parse_count(text: str | None) -> int:
    count = parse_integer(text)
    if count < 0:
        raise _BadValueError(Reason.OUT_OF_RANGE)
    return count


def _optional(parser: Callable[[str | None], Any]) -> Callable[[str | None], Any]:
    def parse_optional(text: str | None) -> Any:
        if text is None or not text.strip():
            return None
        return parser(text)

    return parse_optional


Parser = Callable[[str | None], Any]

PARSERS: dict[FileKind, dict[str, Parser]] = {
    FileKind.SCHEDULE: {
        "game_id": parse_text,
        "game_date": parse_date,
        "tipoff_utc": parse_timestamp,
        "home_team": parse_team,
        "away_team": parse_team,
        "status": _status_parser(SCHEDULE_STATUSES),
    },
    FileKind.BOXSCORES: {
        "game_id": parse_text,
        "game_date": parse_date,
        "player_id": parse_text,
        "player_name": parse_text,
        "team": parse_team,
        "opponent": parse_team,
        "is_home": parse_boolean,
        "minutes": parse_minutes,
        "points": parse_count,
        "status": _status_parser(BOXSCORE_STATUSES),
        "fga": _optional(parse_count),
        "fta": _optional(parse_count),
        "fg3a": _optional(parse_count),
        "rebounds": _optional(parse_count),
        "assists": _optional(parse_count),
        "starter": _optional(parse_boolean),
    },
    FileKind.INJURIES: {
        "game_date": parse_date,
        "player_id": parse_text,
        "status": _status_parser(INJURY_STATUSES),
        "reported_at": parse_timestamp,
    },
    FileKind.PROP_LINES: {
        "game_id": parse_text,
        "game_date": parse_date,
        "player_id": parse_text,
        "player_name": parse_text,
        "bookmaker": parse_text,
        "line": parse_line,
        "over_price": parse_price,
        "under_price": parse_price,
        "snapshot_at": parse_timestamp,
    },
}

# Timestamps and dates repeat thousands of times in one file (every snapshot of a batch): parse each once.
_CACHED = frozenset({parse_timestamp, parse_date})


# -- cross-value checks: typed row -> problems ------------------------------------------------------


def _check_schedule_row(row: dict[str, Any], _games: Mapping[str, ScheduledGame]) -> list[tuple[str, Reason]]:
    problems: list[tuple[str, Reason]] = []
    if "home_team" in row and row.get("away_team") == row["home_team"]:
        problems.append(("away_team", Reason.SAME_TEAM))
    if "game_date" in row and "tipoff_utc" in row and game_date_of(row["tipoff_utc"]) != row["game_date"]:
        problems.append(("game_date", Reason.GAME_DATE_NOT_TIPOFF_DATE))
    return problems


def _check_against_schedule(
    row: dict[str, Any], games: Mapping[str, ScheduledGame]
) -> tuple[ScheduledGame | None, list[tuple[str, Reason]]]:
    if "game_id" not in row:
        return None, []
    game = games.get(row["game_id"])
    if game is None:
        return None, [("game_id", Reason.UNKNOWN_GAME)]
    if "game_date" in row and row["game_date"] != game.game_date:
        return game, [("game_date", Reason.GAME_DATE_MISMATCH)]
    return game, []


def _check_boxscore_row(row: dict[str, Any], games: Mapping[str, ScheduledGame]) -> list[tuple[str, Reason]]:
    problems: list[tuple[str, Reason]] = []
    team, opponent = row.get("team"), row.get("opponent")
    if team is not None and team == opponent:
        problems.append(("opponent", Reason.SAME_TEAM))
    status = row.get("status")
    if status in ("dnp", "inactive") and (row.get("minutes") or row.get("points")):
        problems.append(("status", Reason.INCONSISTENT_STATUS))
    game, schedule_problems = _check_against_schedule(row, games)
    problems.extend(schedule_problems)
    if game is not None and team is not None and opponent is not None and team != opponent:
        if {team, opponent} != {game.home_team, game.away_team}:
            problems.append(("team", Reason.TEAM_NOT_IN_GAME))
        elif "is_home" in row and row["is_home"] != (team == game.home_team):
            problems.append(("is_home", Reason.IS_HOME_MISMATCH))
    return problems


def _check_line_row(row: dict[str, Any], games: Mapping[str, ScheduledGame]) -> list[tuple[str, Reason]]:
    game, problems = _check_against_schedule(row, games)
    if game is not None and "snapshot_at" in row:
        # Kept, but marked: an in-game snapshot is never "the line" (shared/domain/line_policy.py).
        row["is_in_game"] = row["snapshot_at"] >= game.tipoff_utc
    return problems


def _no_checks(_row: dict[str, Any], _games: Mapping[str, ScheduledGame]) -> list[tuple[str, Reason]]:
    return []


_ROW_CHECKS: dict[
    FileKind, Callable[[dict[str, Any], Mapping[str, ScheduledGame]], list[tuple[str, Reason]]]
] = {
    FileKind.SCHEDULE: _check_schedule_row,
    FileKind.BOXSCORES: _check_boxscore_row,
    FileKind.INJURIES: _no_checks,
    FileKind.PROP_LINES: _check_line_row,
}


def _check_plausible_dates(row: dict[str, Any], window: DateWindow) -> list[tuple[str, Reason]]:
    day = row.get("game_date")
    if day is None:
        return []
    if day not in window:
        return [("game_date", Reason.IMPLAUSIBLE_DATE)]
    problems = []
    for column in _TIMESTAMPS_OF_A_GAME:
        moment = row.get(column)
        if moment is not None and not (
            -TIMESTAMP_DAYS_BEFORE_GAME <= (moment.date() - day).days <= TIMESTAMP_DAYS_AFTER_GAME
        ):
            problems.append((column, Reason.IMPLAUSIBLE_TIMESTAMP))
    return problems


def validate_records(
    kind: FileKind,
    records: Iterable[RawRecord],
    games: Mapping[str, ScheduledGame] | None = None,
    window: DateWindow = ANY_DATE,
) -> Validation:
    """Parse and check every record of a ``kind`` file; ``games`` = the schedule of its game ids,
    ``window`` = the plausible game dates (:func:`plausible_window` of the landing instant).

    Returned rows carry the typed columns of the kind (optional ones as ``None`` when absent), plus
    ``source_row`` and, for prop lines, ``is_in_game``. Duplicate keys are not resolved here
    (see :func:`keep_last_of_duplicates`).
    """
    games = games or {}
    parsers = list(PARSERS[kind].items())
    check = _ROW_CHECKS[kind]
    caches: dict[str, dict[str | None, Any]] = {column: {} for column, parser in parsers if parser in _CACHED}
    result = Validation()
    for record in records:
        values = record.values
        row: dict[str, Any] = {}
        row_problems: list[tuple[str, Reason]] = []
        for column, parser in parsers:
            text = values.get(column)
            cache = caches.get(column)
            try:
                if cache is None:
                    row[column] = parser(text)
                elif text in cache:
                    row[column] = cache[text]
                else:
                    row[column] = cache[text] = parser(text)
            except _BadValueError as bad:
                row_problems.append((column, bad.reason))
        row_problems.extend(_check_plausible_dates(row, window))
        row_problems.extend(check(row, games))
        if row_problems:
            seen: set[str] = set()
            for column, reason in row_problems:
                if column not in seen:  # one problem per column: the rejects key is (row, column)
                    seen.add(column)
                    result.problems.append(Problem(record.row_number, column, reason, values.get(column)))
            continue
        row["source_row"] = record.row_number
        result.rows.append(row)
    return result


def keep_last_of_duplicates(
    kind: FileKind, rows: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """In one file the last row of a natural key wins; each earlier one is refused as ``duplicate_key``."""
    key_columns = SPECS[kind].key
    last_index: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(rows):
        last_index[tuple(row[column] for column in key_columns)] = index
    if len(last_index) == len(rows):
        return list(rows), []
    kept: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows):
        if last_index[tuple(row[column] for column in key_columns)] == index:
            kept.append(row)
        else:
            problems.append(Problem(row["source_row"], "", Reason.DUPLICATE_KEY, None))
    return kept, problems


def schedule_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, ScheduledGame]:
    """Schedule rows (from the warehouse or a validated schedule file) by game id."""
    return {
        str(row["game_id"]): ScheduledGame(
            game_id=str(row["game_id"]),
            game_date=row["game_date"],
            tipoff_utc=row["tipoff_utc"],
            home_team=str(row["home_team"]),
            away_team=str(row["away_team"]),
        )
        for row in rows
    }
