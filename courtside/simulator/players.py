"""Synthetic league rosters.

~15 players per team with roles, minutes, scoring rates, names and ids, plus trades.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from shared.domain.teams import TEAMS

from .season import SeasonCalendar, rng_for

TEAM_CODES: tuple[str, ...] = tuple(sorted(TEAMS))
ROSTER_SIZE = 15

# Per roster slot (0 = the team's first option): typical minutes when playing, their spread, the chance of a
# coach's decision DNP when healthy, and a points-per-minute level before per-team normalisation.
SLOT_MPG = np.array([34.5, 33.0, 31.0, 29.0, 27.0, 24.0, 21.0, 19.0, 16.5, 14.0, 11.0, 9.0, 8.0, 7.0, 6.0])
# Deep-bench minutes swing most (garbage time one night, a few token minutes the next).
SLOT_MIN_SD = np.array([4.0, 4.0, 4.5, 4.5, 4.5, 5.0, 5.0, 5.0, 5.0, 5.5, 6.5, 6.5, 6.5, 6.5, 6.5])
SLOT_COACH_DNP = np.array([0, 0, 0, 0, 0, 0.005, 0.01, 0.02, 0.05, 0.10, 0.30, 0.45, 0.55, 0.65, 0.75])
SLOT_PPM = np.array(
    [0.66, 0.55, 0.49, 0.44, 0.41, 0.45, 0.42, 0.40, 0.38, 0.37, 0.35, 0.34, 0.33, 0.32, 0.31]
)

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "De'Andre", "D'Marcus", "Ja'Kobe", "Andrés", "José", "Nikola", "Luka", "Bogdan", "Dāvis", "Jusuf",
    "Marcus", "Jalen", "Tyrese", "Devin", "Jaylen", "Anthony", "Kevin", "Darius", "Malik", "Isaiah",
    "Cameron", "Trey", "Brandon", "Jordan", "Kawhi", "Zion", "Donovan", "Shai", "Tobias", "Miles",
    "Keegan", "Évan", "Théo", "Rémy", "Joël", "Sérgio", "Çağrı", "Dario", "Goran", "Ömer",
    "Kristaps", "Jonas", "Domantas", "Alperen", "Victor", "Bennedict", "Jarrett", "Mikal", "Aaron", "Coby",
    "Chet", "Scoot", "Amen", "Ausar", "Jabari", "Keyonte", "Dereck", "Precious", "Santi", "Moussa",
)
LAST_NAMES: tuple[str, ...] = (
    "O'Neale", "O'Bryant", "O'Malley", "D'Souza", "McDaniels-O'Hara", "Jokovac", "Dončević", "Marković",
    "Petrović", "Bogdanović", "Šarić", "Jović", "Núñez", "Peña", "Ibáñez", "Müller", "Schröter", "Çelik",
    "Gašparović", "Valančiūnas", "Porziņģis", "Şengün", "Wembanya", "Nurkić", "Vučević", "Hernangómez",
    "Johnson", "Williams", "Brown", "Davis", "Miller", "Wilson", "Moore", "Taylor", "Thomas", "Jackson",
    "White", "Harris", "Martin", "Thompson", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Reed", "Bailey", "Bell", "Howard", "Ward", "Cox", "Richardson", "Wood",
    "Watson", "Brooks", "Bennett", "Gray", "James", "Hughes", "Price", "Sanders", "Myers", "Long", "Ross",
)
# fmt: on


@dataclass(frozen=True)
class Trade:
    trade_date: date  # first game date the player suits up for the new team
    player_index: int
    from_team: int
    to_team: int


@dataclass(frozen=True)
class League:
    """Column arrays, one entry per player (index = position in every array)."""

    player_id: np.ndarray  # str
    player_name: np.ndarray  # str
    initial_team: np.ndarray  # int index into TEAM_CODES
    slot: np.ndarray  # int 0..14
    mpg: np.ndarray
    minutes_sd: np.ndarray
    coach_dnp_prob: np.ndarray
    points_per_minute: np.ndarray  # at season start
    rate_drift: np.ndarray  # log change of the scoring rate over the whole season (development/decline)
    injury_hazard: np.ndarray  # chance per game of a new injury
    three_share: np.ndarray
    rebounds_per_minute: np.ndarray
    assists_per_minute: np.ndarray
    team_offence: np.ndarray  # per team, multiplies the team's expected points
    team_defence: np.ndarray  # per team, multiplies the OPPONENT's expected points (>1 = poor defence)
    team_pace: np.ndarray  # per team
    trades: tuple[Trade, ...]
    age: np.ndarray  # whole years at the start of the season

    @property
    def size(self) -> int:
        return int(self.player_id.shape[0])

    def team_on(self, dates: list[date]) -> np.ndarray:
        """[player, date index] -> team index, applying trades from their date on."""
        teams = np.repeat(self.initial_team[:, None], len(dates), axis=1)
        ordinal = np.array([d.toordinal() for d in dates])
        for trade in self.trades:
            teams[trade.player_index, ordinal >= trade.trade_date.toordinal()] = trade.to_team
        return teams


def _unique_names(rng: np.random.Generator, count: int) -> list[str]:
    combos = rng.permutation(len(FIRST_NAMES) * len(LAST_NAMES))[:count]
    return [f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}" for c in combos]


def plan_trades(
    rng: np.random.Generator, initial_team: np.ndarray, slot: np.ndarray, cal: SeasonCalendar
) -> list[Trade]:
    # Like-for-like swaps (same roster slot) keep every roster at 15; the last date is the trade deadline,
    # a week before the All-Star break (2025-26: 2025-12-18, 2026-01-22 and 2026-02-05 twice).
    deadline = cal.all_star_break[0] - timedelta(days=8)
    opening = cal.first_date
    trade_dates = [opening + timedelta(days=58), opening + timedelta(days=93), deadline, deadline]
    trades: list[Trade] = []
    used_teams: set[int] = set()
    for trade_date in trade_dates:
        if not cal.first_date < trade_date < cal.last_date:
            continue
        free = [t for t in range(len(TEAM_CODES)) if t not in used_teams]
        team_a, team_b = (int(t) for t in rng.choice(free, size=2, replace=False))
        used_teams.update({team_a, team_b})
        for trade_slot in rng.choice(np.arange(1, 12), size=int(rng.integers(1, 3)), replace=False):
            player_a = int(np.flatnonzero((initial_team == team_a) & (slot == trade_slot))[0])
            player_b = int(np.flatnonzero((initial_team == team_b) & (slot == trade_slot))[0])
            trades.append(Trade(trade_date, player_a, team_a, team_b))
            trades.append(Trade(trade_date, player_b, team_b, team_a))
    return trades


def draw_ages(rng: np.random.Generator, count: int) -> np.ndarray:
    """Ages of a league's players: 19 to 39, most between 22 and 31 (own stream: adding ages to the league
    left every other draw of a season unchanged)."""
    return np.clip(np.round(rng.normal(26.0, 3.8, count)), 19, 39).astype(int)


def unique_names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """`count` new names, none in `taken`."""
    names: list[str] = []
    for combo in rng.permutation(len(FIRST_NAMES) * len(LAST_NAMES)):
        name = f"{FIRST_NAMES[combo // len(LAST_NAMES)]} {LAST_NAMES[combo % len(LAST_NAMES)]}"
        if name not in taken:
            names.append(name)
            taken.add(name)
            if len(names) == count:
                return names
    raise RuntimeError("ran out of synthetic names")


def build_league(seed: int, cal: SeasonCalendar) -> League:
    rng = rng_for(seed, "players")
    n_teams = len(TEAM_CODES)
    count = n_teams * ROSTER_SIZE
    team = np.repeat(np.arange(n_teams), ROSTER_SIZE)
    slot = np.tile(np.arange(ROSTER_SIZE), n_teams)

    ids = rng.choice(np.arange(1_626_000, 1_643_000), size=count, replace=False)
    mpg = np.clip(SLOT_MPG[slot] + rng.normal(0, 1.5, count), 4.0, 38.0)
    ppm = SLOT_PPM[slot] * np.exp(rng.normal(0, 0.12, count))
    # Top options vary most: a few teams have a true superstar, some have none.
    ppm[slot == 0] *= np.exp(rng.normal(0.0, 0.08, n_teams))

    team_offence = np.exp(rng.normal(0, 0.03, n_teams))
    team_defence = np.exp(rng.normal(0, 0.035, n_teams))
    team_pace = np.exp(rng.normal(0, 0.025, n_teams))

    hazard = 0.021 * np.exp(rng.normal(0, 0.45, count))
    three_share = np.clip(rng.normal(0.40, 0.12, count), 0.02, 0.75)
    rebounds = np.clip(rng.normal(0.17, 0.06, count), 0.05, 0.45)
    assists = np.clip(rng.normal(0.11, 0.05, count), 0.02, 0.35)

    order = np.lexsort((slot, team))  # already ordered; kept explicit for readability of the invariant
    return League(
        player_id=np.array([str(i) for i in ids[order]]),
        player_name=np.array(_unique_names(rng, count)),
        initial_team=team,
        slot=slot,
        mpg=mpg,
        minutes_sd=SLOT_MIN_SD[slot],
        coach_dnp_prob=SLOT_COACH_DNP[slot],
        points_per_minute=ppm,
        rate_drift=rng.normal(0, 0.07, count),
        injury_hazard=hazard,
        three_share=three_share,
        rebounds_per_minute=rebounds,
        assists_per_minute=assists,
        team_offence=team_offence,
        team_defence=team_defence,
        team_pace=team_pace,
        trades=tuple(plan_trades(rng, team, slot, cal)),
        age=draw_ages(rng_for(seed, "ages"), count),
    )
