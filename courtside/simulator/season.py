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


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nba_calendar(season: str) -> SeasonCalendar:
    """The NBA's usual shape for season 'YYYY-YY': opening night on the Tuesday of 20-26 October, the last day
    on the Sunday of 9-15 April, the All-Star break from the Friday of 13-19 February to the Wednesday after,
    no game on Thanksgiving (fourth Thursday of November). 2025-26 is exactly the published calendar."""
    if len(season) != 7 or season[4] != "-" or not (season[:4] + season[5:]).isdigit():
        raise ValueError(f"season must look like 2025-26, got {season!r}")
    first_year = int(season[:4])
    if int(season[5:]) != (first_year + 1) % 100:
        raise ValueError(f"season {season!r} must span two consecutive years")
    break_start = _weekday_on_or_after(date(first_year + 1, 2, 13), 4)
    return SeasonCalendar(
        season=season,
        first_date=_weekday_on_or_after(date(first_year, 10, 20), 1),
        last_date=_weekday_on_or_after(date(first_year + 1, 4, 9), 6),
        all_star_break=(break_start, break_start + timedelta(days=5)),
        no_game_dates=(_weekday_on_or_after(date(first_year, 11, 22), 3),),
    )


def calendar_for(season: str) -> SeasonCalendar:
    return nba_calendar(season)


def next_season(season: str) -> str:
    """'2026-27' after '2025-26'."""
    first_year = int(season[:4]) + 1
    return f"{first_year}-{(first_year + 1) % 100:02d}"


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
