"""Replays a season folder day by day through the configured bus: the production path, not a shortcut.

Each game date happens as it would in production: in the morning the injury report and the opening
lines land in the raw bucket (ingest -> feature_store -> prediction); after the games the results,
the closing lines and the box scores land (ingest -> grading -> sharpness + diagnostics -> alerts).
On the embedded default every queued event is delivered before the next step. Where the chain runs
elsewhere (Google Cloud), ``courtside/paced_replay.py`` lands the same ``landings`` one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import Dependencies
from shared.clock import SettableClock, date_range, eastern_datetime
from shared.domain.season import DECISION_TIME_ET, RESULTS_TIME_ET
from shared.events import ScheduledRun
from shared.services.raw_files import land_raw_file
from shared.topology import schedule

# US Eastern wall-clock times at which a replayed day's files land (shared/domain/season.py's clock).
MORNING = DECISION_TIME_ET  # after the morning line scrape, hours before the first tip-off
AFTER_GAMES = RESULTS_TIME_ET  # the next day, once the late West-coast games are final
# Cloud Scheduler jobs a replay ticks on the embedded bus each day (the dead man's switch runs whatever
# happened upstream, so a replay must run it too); on Google Cloud the deployed jobs do it.
REPLAYED_SCHEDULES = ("morning-watchdog",)
# What a Landing is: the season schedule once, then per date its morning files and its results.
SEASON_SCHEDULE, MORNING_FILES, RESULTS = "season schedule", "morning", "after the games"


@dataclass
class DayReport:
    game_date: date
    files: list[str] = field(default_factory=list)
    dead_letters: int = 0


def season_files(folder: Path, day: date) -> tuple[list[Path], list[Path]]:
    """(morning files, after-the-games files) of one date; a file that is absent simply is not landed."""
    stamp = day.isoformat()
    morning = [folder / "injuries" / f"{stamp}.csv", folder / "lines" / f"{stamp}_open.csv"]
    evening = [
        folder / "schedule" / f"{stamp}.csv",
        folder / "lines" / f"{stamp}_close.csv",
        folder / "boxscores" / f"{stamp}.csv",
    ]
    return [p for p in morning if p.is_file()], [p for p in evening if p.is_file()]


def land(deps: Dependencies, folder: Path, paths: Iterable[Path], at: datetime) -> list[str]:
    """Land files at simulated instant ``at``: every message they trigger is published at that time."""
    names = []
    with replay_clock(deps).set_to(at):
        for path in paths:
            names.append(land_raw_file(deps, path, path.relative_to(folder).as_posix()))
            deliver_pending(deps)
    return names


def replay_clock(deps: Dependencies) -> SettableClock:
    if not isinstance(deps.clock, SettableClock):
        raise TypeError("a replay needs dependencies built with build_dependencies(clock=SettableClock())")
    return deps.clock


def deliver_pending(deps: Dependencies) -> int:
    """Deliver everything queued on the in-process bus; returns how many deliveries dead-lettered."""
    if not isinstance(deps.bus, InProcessBus):
        return 0
    before = len(deps.bus.dead_letters)
    deps.bus.drain()
    return len(deps.bus.dead_letters) - before


def tick(deps: Dependencies, schedule_name: str, day: date) -> None:
    """Publish what the Cloud Scheduler job ``schedule_name`` publishes on ``day``, at its cron time (US
    Eastern), and deliver it; only on the embedded bus (on Google Cloud the deployed job ticks)."""
    if not isinstance(deps.bus, InProcessBus):
        return
    job = schedule(schedule_name)
    minute, hour = (int(field) for field in job.cron.split()[:2])
    with replay_clock(deps).set_to(eastern_datetime(day, hour, minute)):
        deps.bus.publish(job.topic, ScheduledRun(schedule=job.name, relative_day=job.relative_day))
        deliver_pending(deps)


@dataclass(frozen=True)
class Landing:
    """Files that land together at one simulated instant, on behalf of one game date."""

    game_date: date
    label: str
    paths: list[Path]
    at: datetime


def landings(folder: Path, start: date, end: date) -> Iterator[Landing]:
    """The season's own clock (US Eastern): the season schedule the morning before ``start``, then per
    date the morning files at MORNING and the results after the games. Raises before yielding anything
    when ``folder`` is not a season folder."""
    season = folder / "schedule" / "season.csv"
    if not season.is_file():
        raise FileNotFoundError(f"{season} is missing: is {folder} a season folder (courtside simulate)?")
    days = date_range(start, end)
    yield Landing(start, SEASON_SCHEDULE, [season], eastern_datetime(start - timedelta(days=1), *MORNING))
    for day in days:
        morning, evening = season_files(folder, day)
        yield Landing(day, MORNING_FILES, morning, eastern_datetime(day, *MORNING))
        yield Landing(day, RESULTS, evening, eastern_datetime(day + timedelta(days=1), *AFTER_GAMES))


def replay(
    deps: Dependencies,
    folder: Path,
    start: date,
    end: date,
    on_day: Callable[[DayReport], None] | None = None,
) -> list[DayReport]:
    """Replay ``start`` .. ``end`` on the season's own clock (US Eastern), so the chain sees each
    message at the time it would have arrived: morning files at MORNING, results after the games."""
    reports: list[DayReport] = []
    schedule_first = landings(folder, start, end)
    season = next(schedule_first)
    land(deps, folder, season.paths, season.at)
    # After the season schedule, each date yields its morning landing then its after-the-games one.
    for morning, evening in zip(schedule_first, schedule_first, strict=True):
        report = DayReport(morning.game_date)
        before = _dead_letters(deps)
        report.files += land(deps, folder, morning.paths, morning.at)
        report.files += land(deps, folder, evening.paths, evening.at)
        for name in REPLAYED_SCHEDULES:
            tick(deps, name, morning.game_date + timedelta(days=1))
        report.dead_letters = _dead_letters(deps) - before
        reports.append(report)
        if on_day:
            on_day(report)
    return reports


def _dead_letters(deps: Dependencies) -> int:
    return len(deps.bus.dead_letters) if isinstance(deps.bus, InProcessBus) else 0
