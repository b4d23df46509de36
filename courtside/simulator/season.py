"""Season calendar facts and the US Eastern <-> UTC conversion the whole simulator relies on."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class SeasonCalendar:
    season: str
    first_date: date
    last_date: date
    all_star_break: tuple[date, date]
    no_game_dates: tuple[date, ...]

    @property
    def nba_season_code(self) -> str:
        """'25' for 2025-26: the two digits NBA game ids carry after the '002' regular-season prefix."""
        return self.season[2:4]

    def playable_dates(self) -> list[date]:
        days: list[date] = []
        day = self.first_date
        while day <= self.last_date:
            in_break = self.all_star_break[0] <= day <= self.all_star_break[1]
            if not in_break and day not in self.no_game_dates:
                days.append(day)
            day += timedelta(days=1)
        return days


CALENDARS: dict[str, SeasonCalendar] = {
    "2025-26": SeasonCalendar(
        season="2025-26",
        first_date=date(2025, 10, 21),
        last_date=date(2026, 4, 12),
        all_star_break=(date(2026, 2, 13), date(2026, 2, 18)),
        no_game_dates=(date(2025, 11, 27),),  # Thanksgiving: the NBA does not play.
    ),
}


def calendar_for(season: str) -> SeasonCalendar:
    try:
        return CALENDARS[season]
    except KeyError:
        raise ValueError(f"unknown season {season!r}; known: {sorted(CALENDARS)}") from None


def eastern_to_utc(game_date: date, eastern_wall_clock: time) -> datetime:
    """A US Eastern wall-clock time on a game date as an aware UTC datetime (DST handled by zoneinfo)."""
    local = datetime.combine(game_date, eastern_wall_clock, tzinfo=EASTERN)
    return local.astimezone(UTC)


def utc_to_eastern_date(moment: datetime) -> date:
    return moment.astimezone(EASTERN).date()


def format_utc(moment: datetime) -> str:
    """ISO-8601 UTC with a trailing 'Z', second precision: the only timestamp format the files use."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_utc_seconds(epoch_seconds: np.ndarray) -> np.ndarray:
    """Vectorised `format_utc` for int64 epoch seconds."""
    stamps = np.asarray(epoch_seconds, dtype="int64").astype("datetime64[s]")
    return np.char.add(np.datetime_as_string(stamps, unit="s"), "Z")


def epoch_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent, reproducible random stream per component, so changing one part (e.g. a scenario's
    books) never shifts the random numbers another part draws."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])
