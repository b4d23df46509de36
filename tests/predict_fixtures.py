"""Raw-table fixtures for the feature store, training and prediction tests.

Rows are written through ``warehouse.replace_rows`` with each raw table's natural key, exactly as ingest
would leave them. ``synthetic_league`` generates a small deterministic league (schedule, box scores with a
per-player scoring level, lines near that level, a few injury reports) for end-to-end tests and timings.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.clock import eastern_datetime
from shared.ports import Warehouse

LOADED_AT = datetime(2020, 1, 1, tzinfo=UTC)

SCHEDULE = "nba_raw.schedule"
BOXSCORES = "nba_raw.boxscores"
INJURIES = "nba_raw.injuries"
LINES = "nba_raw.prop_line_snapshots"

RAW_KEYS: dict[str, tuple[str, ...]] = {
    SCHEDULE: ("game_id",),
    BOXSCORES: ("game_id", "player_id"),
    INJURIES: ("game_date", "player_id", "reported_at"),
    LINES: ("game_id", "player_id", "bookmaker", "snapshot_at"),
}


def game(
    game_id: str, game_date: date, home: str, away: str, hour: int = 19, status: str = "scheduled"
) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "game_date": game_date,
        "tipoff_utc": eastern_datetime(game_date, hour),
        "home_team": home,
        "away_team": away,
        "status": status,
        "source_object": "fixture/schedule.csv",
        "source_row": 1,
        "loaded_at": LOADED_AT,
    }


def box(
    game_id: str,
    game_date: date,
    player_id: str,
    team: str,
    opponent: str,
    points: int,
    minutes: float = 30.0,
    *,
    is_home: bool = True,
    status: str = "played",
    fga: int | None = None,
    fta: int | None = None,
    fg3a: int | None = None,
    player_name: str | None = None,
) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "game_date": game_date,
        "player_id": player_id,
        "player_name": player_name or f"Player {player_id}",
        "team": team,
        "opponent": opponent,
        "is_home": is_home,
        "minutes": minutes,
        "points": points,
        "status": status,
        "fga": fga,
        "fta": fta,
        "fg3a": fg3a,
        "rebounds": None,
        "assists": None,
        "starter": None,
        "source_object": "fixture/boxscores.csv",
        "source_row": 1,
        "loaded_at": LOADED_AT,
    }


def injury(game_date: date, player_id: str, status: str, reported_at: datetime) -> dict[str, Any]:
    return {
        "game_date": game_date,
        "player_id": player_id,
        "status": status,
        "reported_at": reported_at,
        "source_object": "fixture/injuries.csv",
        "source_row": 1,
        "loaded_at": LOADED_AT,
    }


def line(
    game_id: str,
    game_date: date,
    player_id: str,
    value: float,
    snapshot_at: datetime,
    bookmaker: str = "DraftKings",
    *,
    over_price: int = -110,
    under_price: int = -110,
    is_in_game: bool = False,
) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "game_date": game_date,
        "player_id": player_id,
        "player_name": f"Player {player_id}",
        "bookmaker": bookmaker,
        "line": value,
        "over_price": over_price,
        "under_price": under_price,
        "snapshot_at": snapshot_at,
        "is_in_game": is_in_game,
        "source_object": "fixture/lines.csv",
        "source_row": 1,
        "loaded_at": LOADED_AT,
    }


def write_raw(
    warehouse: Warehouse,
    *,
    schedule: Sequence[Mapping[str, Any]] = (),
    boxscores: Sequence[Mapping[str, Any]] = (),
    injuries: Sequence[Mapping[str, Any]] = (),
    lines: Sequence[Mapping[str, Any]] = (),
) -> None:
    for table, rows in ((SCHEDULE, schedule), (BOXSCORES, boxscores), (INJURIES, injuries), (LINES, lines)):
        if rows:
            warehouse.replace_rows(table, list(rows), RAW_KEYS[table])


def table_rows(warehouse: Warehouse, table: str, order_by: str) -> list[dict[str, Any]]:
    """Every row of a table in a fixed order (to compare whole tables before and after)."""
    return warehouse.query(f"SELECT * FROM {table} ORDER BY {order_by}")


# -- a small synthetic league ----------------------------------------------------------------------------


@dataclass
class League:
    schedule: list[dict[str, Any]] = field(default_factory=list)
    boxscores: list[dict[str, Any]] = field(default_factory=list)
    injuries: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    game_dates: list[date] = field(default_factory=list)

    def write(self, warehouse: Warehouse) -> None:
        write_raw(
            warehouse,
            schedule=self.schedule,
            boxscores=self.boxscores,
            injuries=self.injuries,
            lines=self.lines,
        )


def synthetic_league(
    start: date,
    days: int,
    teams: Iterable[str] = ("BOS", "NYK", "LAL", "MIA"),
    players_per_team: int = 9,
    seed: int = 7,
) -> League:
    """Every other day each team plays once (teams paired in rotation); players score around a level.

    Box scores have FGA/FTA/FG3A; each played game gets DraftKings lines at 10:00 ET and 17:00 ET (the
    later one moved by up to a point) and an in-game snapshot; some players get injury reports.
    """
    rng = random.Random(seed)
    team_list = list(teams)
    levels = {
        f"{team}-{index}": rng.uniform(4.0, 28.0) for team in team_list for index in range(players_per_team)
    }
    league = League()
    for day_index in range(0, days, 2):
        game_date = start + timedelta(days=day_index)
        league.game_dates.append(game_date)
        rotation = team_list[:1] + team_list[1:][day_index // 2 % (len(team_list) - 1) :]
        rotation += team_list[1:][: day_index // 2 % (len(team_list) - 1)]
        for pair in range(len(rotation) // 2):
            home, away = rotation[pair], rotation[-1 - pair]
            game_id = f"G{game_date:%Y%m%d}{home}{away}"
            tipoff = eastern_datetime(game_date, 19 + pair % 2)
            league.schedule.append(game(game_id, game_date, home, away, 19 + pair % 2, "final"))
            for team, opponent, is_home in ((home, away, True), (away, home, False)):
                for index in range(players_per_team):
                    player_id = f"{team}-{index}"
                    level = levels[player_id]
                    out = rng.random() < 0.05
                    points = 0 if out else max(0, round(rng.gauss(level, 5.0)))
                    minutes = 0.0 if out else max(1.0, round(rng.gauss(12 + level, 4.0), 1))
                    league.boxscores.append(
                        box(
                            game_id,
                            game_date,
                            player_id,
                            team,
                            opponent,
                            points,
                            minutes,
                            is_home=is_home,
                            status="dnp" if out else "played",
                            fga=None if out else max(0, round(points / 1.2 + rng.gauss(0, 2))),
                            fta=None if out else max(0, round(points / 5 + rng.gauss(0, 1))),
                            fg3a=None if out else max(0, round(points / 4 + rng.gauss(0, 1))),
                        )
                    )
                    if out:
                        league.injuries.append(
                            injury(game_date, player_id, "OUT", eastern_datetime(game_date, 12))
                        )
                    elif rng.random() < 0.1:
                        league.injuries.append(
                            injury(game_date, player_id, "QUESTIONABLE", eastern_datetime(game_date, 12))
                        )
                    if index < players_per_team - 2:  # the deepest bench gets no line
                        opening = round(level * 2) / 2
                        moved = opening + rng.choice((-1.0, -0.5, 0.0, 0.5, 1.0))
                        league.lines.append(
                            line(game_id, game_date, player_id, opening, eastern_datetime(game_date, 10))
                        )
                        league.lines.append(
                            line(
                                game_id,
                                game_date,
                                player_id,
                                max(0.5, moved),
                                eastern_datetime(game_date, 17),
                            )
                        )
                        league.lines.append(
                            line(
                                game_id,
                                game_date,
                                player_id,
                                max(0.5, moved + 3),
                                tipoff + timedelta(minutes=30),
                                is_in_game=True,
                            )
                        )
    return league
