"""The one place that turns instants into NBA game dates.

Game dates are US Eastern calendar dates (America/New_York, daylight saving included); timestamps are
UTC. A 22:30 ET tip-off is 03:30 UTC the next day and still belongs to the Eastern date: computing
"today" in UTC is exactly the bug this module exists to prevent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")


class NaiveTimestampError(ValueError):
    """A timestamp without a time zone reached code that must know which instant it is."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class SettableClock:
    """A clock a replay sets to each simulated instant (real time while unset).

    Passed to the composition root as the clock override (``build_dependencies(clock=SettableClock())``),
    so a replay moves time through the one clock every adapter already reads, instead of swapping it.
    """

    def __init__(self) -> None:
        self._at: datetime | None = None

    def __call__(self) -> datetime:
        return self._at if self._at is not None else utc_now()

    @contextmanager
    def set_to(self, at: datetime) -> Iterator[None]:
        previous, self._at = self._at, require_aware(at)
        try:
            yield
        finally:
            self._at = previous


def require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimestampError(f"timestamp {moment.isoformat()} has no time zone")
    return moment


def to_utc(moment: datetime) -> datetime:
    return require_aware(moment).astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """A timestamp read back from the warehouse, as aware UTC (both engines return TIMESTAMP columns as UTC;
    a naive value can only be a UTC wall time)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_eastern(value: datetime) -> datetime:
    """A timestamp read back from the warehouse (naive means UTC, see ``as_utc``) as US Eastern wall time."""
    return as_utc(value).astimezone(EASTERN)


def eastern_text(value: datetime) -> str:
    """A stored instant as operators read it: US Eastern date and time, e.g. ``2026-01-15 03:00 ET``."""
    return to_eastern(value).strftime("%Y-%m-%d %H:%M ET")


def game_date_of(moment: datetime) -> date:
    """The US Eastern calendar date of an instant (e.g. a tip-off)."""
    return require_aware(moment).astimezone(EASTERN).date()


def today_et(now: datetime | None = None) -> date:
    return game_date_of(now or utc_now())


def yesterday_et(now: datetime | None = None) -> date:
    return today_et(now) - timedelta(days=1)


def eastern_datetime(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in US Eastern on ``day``, as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=EASTERN).astimezone(UTC)


def parse_utc(text: str) -> datetime:
    """Parse an ISO-8601 timestamp that must carry its offset ('Z' or +hh:mm); returns UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return to_utc(moment)


def date_range(start: date, end: date) -> list[date]:
    if end < start:
        raise ValueError(f"date range ends ({end}) before it starts ({start})")
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
