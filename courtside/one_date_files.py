"""The raw files of one emulated game date: a tiny, consistent set that exercises the whole chain.

Two games, four players each, two books: the schedule, two injury reports, opening and closing lines, the
final schedule and box scores, plus two earlier dates of results that give the feature store rosters and
form. ``plan_day`` says when things happen on that date.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.clock import game_date_of
from shared.domain.raw_validation import SPECS, FileKind

HISTORY_DAYS = 2


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DayPlan:
    """When things happen on the emulated date: two tip-offs, two line snapshots, two injury reports."""

    game_date: date
    tipoffs: tuple[datetime, datetime]
    open_snapshot: datetime
    close_snapshot: datetime
    injury_reports: tuple[datetime, datetime]


def plan_day(game_date: date | None, now: datetime) -> DayPlan:
    """A given (past) date keeps fixed evening tip-offs, one after midnight UTC. With no date, the
    games tip off later today (US Eastern) and the lines were taken earlier, so the chain runs as it
    would live: features are built before tip-off from lines already published."""
    if game_date is not None:
        next_day = datetime(game_date.year, game_date.month, game_date.day, tzinfo=UTC) + timedelta(days=1)
        tips = (next_day + timedelta(minutes=30), next_day + timedelta(hours=3, minutes=30))
        day = next_day - timedelta(days=1)
        return DayPlan(
            game_date,
            tips,
            day + timedelta(hours=14),
            day + timedelta(hours=22),
            (day - timedelta(hours=2), day + timedelta(hours=18)),
        )
    first = (now + timedelta(minutes=90)).replace(second=0, microsecond=0)
    if game_date_of(first) != game_date_of(first + timedelta(minutes=10)):
        first += timedelta(minutes=30)  # never straddle US Eastern midnight
    tips = (first, first + timedelta(minutes=10))
    return DayPlan(
        game_date_of(first),
        tips,
        now - timedelta(minutes=60),
        now - timedelta(minutes=10),
        (now - timedelta(hours=3), now - timedelta(hours=2)),
    )


def raw_files_for(plan: DayPlan) -> list[tuple[str, bytes]]:
    """Two games, four players each, two books: every file of one date, in landing order."""
    game_date = plan.game_date
    games = [  # game_id, tip-off (UTC), home, away
        ("0022500601", plan.tipoffs[0], "BOS", "NYK"),
        ("0022500602", plan.tipoffs[1], "LAL", "GSW"),
    ]
    players = {  # team -> (player_id, name, points scored, line)
        "BOS": [("1628369", "Jayson Tatum", 31, 27.5), ("1627759", "Jaylen Brown", 19, 23.5)],
        "NYK": [("1628973", "Jalen Brunson", 28, 26.5), ("1626157", "Karl-Anthony Towns", 22, 24.0)],
        "LAL": [("1629029", "Luka Dončić", 35, 30.5), ("2544", "LeBron James", 21, 22.5)],
        "GSW": [("201939", "Stephen Curry", 24, 25.5), ("1641764", "Brandin Podziemski", 9, 11.5)],
    }
    schedule_header = SPECS[FileKind.SCHEDULE].columns
    lines_header = SPECS[FileKind.PROP_LINES].columns

    def schedule(status: str, days_back: int = 0) -> bytes:
        day = (game_date - timedelta(days=days_back)).isoformat()
        rows = [
            (_game_id(g, days_back), day, utc_stamp(tip - timedelta(days=days_back)), home, away, status)
            for g, tip, home, away in games
        ]
        return _csv(schedule_header, rows)

    def lines(snapshot: datetime, shift: float) -> bytes:
        rows = []
        for game_id, _, home, away in games:
            for team in (home, away):
                for player_id, name, _, line in players[team]:
                    for book, book_shift in (("DraftKings", 0.0), ("FanDuel", 0.5)):
                        rows.append(
                            (
                                game_id,
                                game_date.isoformat(),
                                player_id,
                                name,
                                book,
                                f"{line + shift + book_shift:.1f}",
                                -110,
                                -110,
                                utc_stamp(snapshot),
                            )
                        )
        return _csv(lines_header, rows)

    injuries = _csv(
        ("game_date", "player_id", "status", "reported_at"),
        [
            (game_date.isoformat(), "1626157", "QUESTIONABLE", utc_stamp(plan.injury_reports[0])),
            (game_date.isoformat(), "1626157", "AVAILABLE", utc_stamp(plan.injury_reports[1])),
        ],
    )

    def boxscores(days_back: int = 0) -> bytes:
        return _csv(boxscore_header, box_rows(days_back))

    def box_rows(days_back: int) -> list[tuple[Any, ...]]:
        return [
            (_game_id(row[0], days_back), (game_date - timedelta(days=days_back)).isoformat(), *row[2:8],
             max(0, row[8] - 3 * days_back), *row[9:])
            for row in today_rows
        ]  # fmt: skip

    today_rows = []
    for game_id, _, home, away in games:
        for team, opponent, is_home in ((home, away, True), (away, home, False)):
            for index, (player_id, name, points, _) in enumerate(players[team]):
                today_rows.append(
                    (
                        game_id,
                        game_date.isoformat(),
                        player_id,
                        name,
                        team,
                        opponent,
                        "true" if is_home else "false",
                        f"{34 - 4 * index:.2f}",
                        points,
                        "played",
                        points // 2 + 3,
                        4,
                        6,
                        5 + index,
                        4,
                        "true",
                    )
                )
    boxscore_header = SPECS[FileKind.BOXSCORES].columns
    iso = game_date.isoformat()
    history: list[tuple[str, bytes]] = []
    for days_back in (HISTORY_DAYS, 1):  # earlier games give the feature store rosters and form
        day = (game_date - timedelta(days=days_back)).isoformat()
        history += [
            (f"schedule/{day}.csv", schedule("final", days_back)),
            (f"boxscores/{day}.csv", boxscores(days_back)),
        ]
    return [
        *history,
        ("schedule/season.csv", schedule("scheduled")),
        (f"injuries/{iso}.csv", injuries),
        (f"lines/{iso}_open.csv", lines(plan.open_snapshot, 0.0)),
        (f"lines/{iso}_close.csv", lines(plan.close_snapshot, 0.5)),
        (f"schedule/{iso}.csv", schedule("final")),
        (f"boxscores/{iso}.csv", boxscores()),
    ]


def _game_id(game_id: str, days_back: int) -> str:
    return f"{int(game_id) - 10 * days_back:010d}"
