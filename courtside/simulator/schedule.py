"""The regular-season schedule.

82 games per team, dates, tip-off times in US Eastern -> UTC, postponements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import numpy as np

from shared.domain.teams import MOUNTAIN_TEAMS, PACIFIC_TEAMS

from .players import TEAM_CODES
from .season import SeasonCalendar, eastern_to_utc, epoch_seconds, rng_for

EAST: frozenset[str] = frozenset(
    {"ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DET", "IND", "MIA", "MIL", "NYK", "ORL", "PHI", "TOR", "WAS"}
)
CENTRAL_TEAMS: frozenset[str] = frozenset({"CHI", "DAL", "HOU", "MEM", "MIL", "MIN", "NOP", "OKC", "SAS"})
POSTPONED_GAMES = 2
WEEKDAY_WEIGHT = np.array([0.95, 1.0, 1.2, 0.8, 1.15, 1.05, 0.85])  # Mon..Sun


@dataclass(frozen=True)
class Schedule:
    """One row per game ever listed (1230 originals + make-ups). Arrays share the index."""

    game_id: np.ndarray  # str
    game_date: np.ndarray  # datetime.date objects
    tipoff_epoch: np.ndarray  # int64 UTC epoch seconds
    home: np.ndarray  # team index
    away: np.ndarray  # team index
    postponed: np.ndarray  # bool: listed, then not played on that date
    is_makeup: np.ndarray  # bool: not in the pre-season schedule


def _matchups(rng: np.random.Generator) -> list[tuple[int, int]]:
    """(home, away) pairs: 4 games vs 10 conference rivals, 3 vs 4 (2 home vs two of them), 2 vs the other
    conference: 82 games, 41 at home, for every team."""
    index = {code: i for i, code in enumerate(TEAM_CODES)}
    games: list[tuple[int, int]] = []
    conferences = [sorted(EAST), sorted(set(TEAM_CODES) - EAST)]
    for conference in conferences:
        ring = [index[c] for c in rng.permutation(conference)]
        size = len(ring)
        for i in range(size):
            for j in range(i + 1, size):
                a, b = ring[i], ring[j]
                gap = (j - i) % size
                if gap in (1, 2):  # a hosts b twice, b hosts a once
                    games += [(a, b), (a, b), (b, a)]
                elif gap in (size - 1, size - 2):
                    games += [(b, a), (b, a), (a, b)]
                else:
                    games += [(a, b), (a, b), (b, a), (b, a)]
    for east in conferences[0]:
        for west in conferences[1]:
            games += [(index[east], index[west]), (index[west], index[east])]
    return games


def _daily_targets(days: list[date], total: int) -> np.ndarray:
    weights = np.array([WEEKDAY_WEIGHT[d.weekday()] for d in days])
    weights[0] = 0.25  # opening night is a small showcase
    raw = weights / weights.sum() * total
    targets: np.ndarray = np.floor(raw).astype(int)
    remainder = total - targets.sum()
    targets[np.argsort(-(raw - targets), kind="stable")[:remainder]] += 1
    return targets


def _assign_dates(rng: np.random.Generator, games: list[tuple[int, int]], days: list[date]) -> np.ndarray:
    n_teams = len(TEAM_CODES)
    home = np.array([g[0] for g in games])
    away = np.array([g[1] for g in games])
    day_of_game = np.full(len(games), -1)
    targets = _daily_targets(days, len(games))
    remaining = np.full(n_teams, 82)
    played_on = np.zeros((len(days), n_teams), dtype=bool)
    jitter = rng.random(len(games))
    for d in range(len(days)):
        days_left = len(days) - d
        open_games = np.flatnonzero(day_of_game < 0)
        urgency = remaining / days_left
        yesterday = played_on[d - 1] if d >= 1 else np.zeros(n_teams, dtype=bool)
        two_in_a_row = yesterday & (played_on[d - 2] if d >= 2 else np.zeros(n_teams, dtype=bool))
        score = urgency[home[open_games]] + urgency[away[open_games]] + 0.6 * jitter[open_games]
        score -= 0.02 * (yesterday[home[open_games]].astype(float) + yesterday[away[open_games]])
        busy = np.zeros(n_teams, dtype=bool)
        busy |= two_in_a_row  # never three nights in a row
        placed = 0
        for g in open_games[np.argsort(-score, kind="stable")]:
            if placed >= targets[d]:
                break
            if busy[home[g]] or busy[away[g]]:
                continue
            day_of_game[g] = d
            busy[home[g]] = busy[away[g]] = True
            played_on[d, home[g]] = played_on[d, away[g]] = True
            remaining[home[g]] -= 1
            remaining[away[g]] -= 1
            placed += 1
    # Whatever the greedy pass could not fit goes on the latest date both teams are free.
    for g in np.flatnonzero(day_of_game < 0):
        free = np.flatnonzero(~played_on[:, home[g]] & ~played_on[:, away[g]])
        if free.size == 0:
            raise RuntimeError("schedule generation could not place every game")
        d = int(free[-1])
        day_of_game[g] = d
        played_on[d, home[g]] = played_on[d, away[g]] = True
    return day_of_game


def _eastern_tip(rng: np.random.Generator, home_code: str, game_date: date) -> time:
    weekend_matinee = game_date.weekday() >= 5 and rng.random() < 0.12
    if home_code in PACIFIC_TEAMS:
        return time(22, 0) if rng.random() < 0.6 else time(22, 30)  # 19:00/19:30 Pacific
    if home_code in MOUNTAIN_TEAMS:
        return time(21, 0) if rng.random() < 0.75 else time(22, 0)
    if weekend_matinee:
        return time(15, 30) if rng.random() < 0.5 else time(18, 0)
    if home_code in CENTRAL_TEAMS:
        return time(20, 0) if rng.random() < 0.7 else time(20, 30)
    return time(19, 0) if rng.random() < 0.55 else time(19, 30)


def _makeup_day(day_of_game: np.ndarray, home: np.ndarray, away: np.ndarray, g: int, n_days: int) -> int:
    teams = (home[g], away[g])
    busy = np.zeros(n_days + 2, dtype=bool)
    for team in teams:
        days = day_of_game[(home == team) | (away == team)]
        busy[days] = True
    for d in range(day_of_game[g] + 21, n_days):
        if not busy[d - 1 : d + 2].any():
            return d
    for d in range(day_of_game[g] + 1, n_days):
        if not busy[d]:
            return d
    raise RuntimeError("no date left for a make-up game")


def build_schedule(seed: int, cal: SeasonCalendar) -> Schedule:
    rng = rng_for(seed, "schedule")
    days = cal.playable_dates()
    games = _matchups(rng)
    order = rng.permutation(len(games))
    games = [games[i] for i in order]
    day_of_game = _assign_dates(rng, games, days)
    home = np.array([g[0] for g in games])
    away = np.array([g[1] for g in games])

    # Postpone a couple of mid-season games; each is replayed later under a new game id.
    mid_season = np.flatnonzero((day_of_game > len(days) * 0.3) & (day_of_game < len(days) * 0.6))
    postponed_games = [int(g) for g in rng.choice(mid_season, size=POSTPONED_GAMES, replace=False)]
    makeup_days = []
    for g in postponed_games:
        d = _makeup_day(day_of_game, home, away, g, len(days))
        makeup_days.append(d)
        day_of_game = np.append(day_of_game, d)
        home = np.append(home, home[g])
        away = np.append(away, away[g])
    n_original = len(games)
    postponed = np.zeros(len(home), dtype=bool)
    postponed[postponed_games] = True
    is_makeup = np.arange(len(home)) >= n_original

    game_dates = [days[d] for d in day_of_game]
    tip_local = [_eastern_tip(rng, TEAM_CODES[h], gd) for h, gd in zip(home, game_dates, strict=True)]
    tipoff = np.array(
        [epoch_seconds(eastern_to_utc(gd, t)) for gd, t in zip(game_dates, tip_local, strict=True)]
    )

    # NBA-style ids in order of tip-off for the published schedule; make-ups are numbered after it.
    sort_key = np.lexsort((home, tipoff, is_makeup))
    sequence = np.empty(len(home), dtype=int)
    sequence[sort_key] = np.arange(1, len(home) + 1)
    prefix = f"002{cal.nba_season_code}"
    game_ids = np.array([f"{prefix}{n:05d}" for n in sequence])

    by_time = np.lexsort((game_ids, tipoff))
    return Schedule(
        game_id=game_ids[by_time],
        game_date=np.array(game_dates, dtype=object)[by_time],
        tipoff_epoch=tipoff[by_time],
        home=home[by_time],
        away=away[by_time],
        postponed=postponed[by_time],
        is_makeup=is_makeup[by_time],
    )


def days_since_previous_game(schedule: Schedule) -> tuple[np.ndarray, np.ndarray]:
    """Rest days before each game for the home and the away team (99 for a team's first game), ignoring
    postponed listings."""
    rest = {0: np.full(len(schedule.home), 99), 1: np.full(len(schedule.home), 99)}
    last_played: dict[int, date] = {}
    for g in range(len(schedule.home)):
        if schedule.postponed[g]:
            continue
        for side, team in ((0, schedule.home[g]), (1, schedule.away[g])):
            previous = last_played.get(int(team))
            if previous is not None:
                rest[side][g] = (schedule.game_date[g] - previous) // timedelta(days=1)
            last_played[int(team)] = schedule.game_date[g]
    return rest[0], rest[1]
