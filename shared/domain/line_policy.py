"""The one line policy: which sportsbook line a player-game is predicted, graded and evaluated against.

Every component (features, prediction, grading, evaluation) calls this module; none picks a line itself.
The system this replaces had four ideas of "the line" and averaged books into lines like 13.847 that no
sportsbook ever offered. Here the rule is:

* only real lines are eligible: finite, >= 0, and a whole or half number (x.0 / x.5); anything else is
  refused, never averaged or rounded into eligibility;
* never in-game: a snapshot taken at or after tip-off is excluded;
* never from the future: a snapshot taken after ``as_of`` is excluded (features pass the decision time,
  grading passes tip-off to get the closing line);
* one bookmaker: the highest-priority bookmaker with an eligible snapshot wins (default DraftKings, FanDuel,
  BetMGM, Caesars, then every other book alphabetically, case-insensitively), and its latest eligible
  snapshot is the line. Other books are never mixed in;
* the opening line is that same bookmaker's earliest eligible pre-tip snapshot; movement = line - opening.

Ids are strings (as stored in the warehouse); timestamps must be timezone-aware (compared as UTC instants).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from shared.clock import as_utc

DEFAULT_BOOKMAKER_PRIORITY: tuple[str, ...] = ("DraftKings", "FanDuel", "BetMGM", "Caesars")

# A line is a half-point grid value; the tolerance only absorbs binary float noise (13.5000000001).
LINE_VALUE_TOLERANCE = 1e-9

PlayerGameKey = tuple[str, str]  # (game_id, player_id)


class LineSource(StrEnum):
    ACTUAL_PROP = "ACTUAL_PROP"
    NO_PROP_LINE = "NO_PROP_LINE"


class LineSnapshotLike(Protocol):
    """One observed prop line of one bookmaker at one instant (any object with these attributes)."""

    @property
    def bookmaker(self) -> str: ...
    @property
    def line(self) -> float: ...
    @property
    def over_price(self) -> float | None: ...
    @property
    def under_price(self) -> float | None: ...
    @property
    def snapshot_at(self) -> datetime: ...


class KeyedLineSnapshotLike(LineSnapshotLike, Protocol):
    """A line snapshot that also says which player-game it belongs to (for the bulk policy)."""

    @property
    def game_id(self) -> str: ...
    @property
    def player_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class LineSnapshot:
    """A plain line snapshot; over/under prices are American odds (e.g. -110)."""

    bookmaker: str
    line: float
    over_price: float | None
    under_price: float | None
    snapshot_at: datetime


@dataclass(frozen=True, slots=True)
class KeyedLineSnapshot:
    """A plain line snapshot of a known player-game: the one model of a stored snapshot."""

    game_id: str
    player_id: str
    bookmaker: str
    line: float
    over_price: float | None
    under_price: float | None
    snapshot_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> KeyedLineSnapshot:
        """The snapshot in a row of ``nba_raw.prop_line_snapshots``: features and grading both read it so.

        Ids become strings, prices floats (None stays None) and ``snapshot_at`` an aware UTC instant (a
        naive TIMESTAMP read back is UTC wall time), so the policy sees the same values on every engine.
        """
        return cls(
            game_id=str(row["game_id"]),
            player_id=str(row["player_id"]),
            bookmaker=str(row["bookmaker"]),
            line=float(row["line"]),
            over_price=None if row["over_price"] is None else float(row["over_price"]),
            under_price=None if row["under_price"] is None else float(row["under_price"]),
            snapshot_at=as_utc(row["snapshot_at"]),
        )


@dataclass(frozen=True, slots=True)
class SelectedLine:
    """The outcome of the line policy for one player-game. NO_PROP_LINE has every other field None."""

    line_source: LineSource
    line: float | None = None
    bookmaker: str | None = None
    snapshot_at: datetime | None = None
    minutes_before_tip: float | None = None
    over_price: float | None = None
    under_price: float | None = None
    opening_line: float | None = None
    line_movement: float | None = None

    @property
    def has_line(self) -> bool:
        return self.line_source is LineSource.ACTUAL_PROP


NO_LINE = SelectedLine(line_source=LineSource.NO_PROP_LINE)


def is_valid_line_value(value: object) -> bool:
    """True when ``value`` is a real sportsbook line: a finite number >= 0 on the half-point grid.

    Shared with ingest so that a line refused here is also refused at the door. Booleans are not numbers here.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    as_float = float(value)
    if not math.isfinite(as_float) or as_float < 0:
        return False
    doubled = as_float * 2
    return abs(doubled - round(doubled)) <= LINE_VALUE_TOLERANCE


def _snap_to_half(value: float) -> float:
    """Remove float noise from an already-valid line (13.5000000001 -> 13.5)."""
    return round(float(value) * 2) / 2


def _normalise_book(bookmaker: str) -> str:
    return bookmaker.strip().casefold()


def bookmaker_rank(bookmaker: str, priority: Sequence[str] = DEFAULT_BOOKMAKER_PRIORITY) -> tuple[int, str]:
    """Sort key of a bookmaker: listed books by their position, every other book after them alphabetically.

    Names compare case-insensitively ("draftkings" is DraftKings) so feed spelling cannot change the pick.
    """
    normalised = _normalise_book(bookmaker)
    for position, listed in enumerate(priority):
        if _normalise_book(listed) == normalised:
            return (position, "")
    return (len(priority), normalised)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware UTC datetime, got naive {moment!r}")


def _latest_key(snapshot: LineSnapshotLike) -> tuple[datetime, float, float, float]:
    # Ties at the same instant are broken deterministically (higher line, then prices), never by input order.
    return (
        snapshot.snapshot_at,
        float(snapshot.line),
        -math.inf if snapshot.over_price is None else float(snapshot.over_price),
        -math.inf if snapshot.under_price is None else float(snapshot.under_price),
    )


def select_line(
    snapshots: Iterable[LineSnapshotLike],
    tip_off: datetime,
    as_of: datetime,
    priority: Sequence[str] = DEFAULT_BOOKMAKER_PRIORITY,
) -> SelectedLine:
    """Apply the line policy to the snapshots of ONE player-game.

    ``as_of`` is the decision time for features/prediction and the tip-off for grading (closing line).
    Runs in one pass over the snapshots.
    """
    _require_aware(tip_off, "tip_off")
    _require_aware(as_of, "as_of")
    # per normalised book: (rank, earliest eligible, latest eligible)
    books: dict[str, tuple[tuple[int, str], LineSnapshotLike, LineSnapshotLike]] = {}
    for snapshot in snapshots:
        _require_aware(snapshot.snapshot_at, "snapshot_at")
        if snapshot.snapshot_at >= tip_off or snapshot.snapshot_at > as_of:
            continue
        if not is_valid_line_value(snapshot.line):
            continue
        book = _normalise_book(snapshot.bookmaker)
        known = books.get(book)
        if known is None:
            books[book] = (bookmaker_rank(snapshot.bookmaker, priority), snapshot, snapshot)
            continue
        rank, earliest, latest = known
        if (snapshot.snapshot_at, float(snapshot.line)) < (earliest.snapshot_at, float(earliest.line)):
            earliest = snapshot
        if _latest_key(snapshot) > _latest_key(latest):
            latest = snapshot
        books[book] = (rank, earliest, latest)
    if not books:
        return NO_LINE
    _, opening, chosen = min(books.values(), key=lambda entry: entry[0])
    line = _snap_to_half(chosen.line)
    opening_line = _snap_to_half(opening.line)
    return SelectedLine(
        line_source=LineSource.ACTUAL_PROP,
        line=line,
        bookmaker=chosen.bookmaker,
        snapshot_at=chosen.snapshot_at,
        minutes_before_tip=(tip_off - chosen.snapshot_at).total_seconds() / 60.0,
        over_price=chosen.over_price,
        under_price=chosen.under_price,
        opening_line=opening_line,
        line_movement=line - opening_line,
    )


def select_lines(
    snapshots: Iterable[KeyedLineSnapshotLike],
    tip_offs: Mapping[str, datetime],
    as_of: datetime | Mapping[str, datetime] | None = None,
    priority: Sequence[str] = DEFAULT_BOOKMAKER_PRIORITY,
    player_games: Iterable[PlayerGameKey] | None = None,
) -> dict[PlayerGameKey, SelectedLine]:
    """Apply the line policy to many player-games at once, grouping snapshots by (game_id, player_id).

    ``tip_offs`` maps game_id -> tip-off. ``as_of`` is one instant for all games, a per-game_id mapping, or
    None for the closing line (as_of = each game's tip-off). When ``player_games`` is given the result has
    exactly those keys (NO_PROP_LINE where no snapshot qualifies) and other snapshots are ignored; otherwise
    it has one entry per player-game seen in ``snapshots``. A game without a tip-off (or without an as_of
    in the mapping) raises ValueError: the policy cannot be applied without it.
    """
    wanted: set[PlayerGameKey] | None = None if player_games is None else set(player_games)
    grouped: dict[PlayerGameKey, list[KeyedLineSnapshotLike]] = {}
    for snapshot in snapshots:
        key = (snapshot.game_id, snapshot.player_id)
        if wanted is not None and key not in wanted:
            continue
        grouped.setdefault(key, []).append(snapshot)
    keys = wanted if wanted is not None else set(grouped)

    missing_tips = sorted({game_id for game_id, _ in keys if game_id not in tip_offs})
    if missing_tips:
        raise ValueError(f"no tip-off for game(s) {missing_tips}; the line policy needs one")
    if isinstance(as_of, Mapping):
        missing_as_of = sorted({game_id for game_id, _ in keys if game_id not in as_of})
        if missing_as_of:
            raise ValueError(f"no as_of for game(s) {missing_as_of}")

    selected: dict[PlayerGameKey, SelectedLine] = {}
    for key in sorted(keys):
        game_id = key[0]
        tip_off = tip_offs[game_id]
        if as_of is None:
            game_as_of = tip_off
        elif isinstance(as_of, Mapping):
            game_as_of = as_of[game_id]
        else:
            game_as_of = as_of
        selected[key] = select_line(grouped.get(key, ()), tip_off, game_as_of, priority)
    return selected
