"""From one season's league to the next: players age, develop or decline, some retire, some change teams,
rookies fill the rosters, and each team's roster is re-slotted by role. Player ids stay the same for a player
across seasons and are never reused."""

from __future__ import annotations

import numpy as np

from .players import (
    ROSTER_SIZE,
    SLOT_COACH_DNP,
    SLOT_MIN_SD,
    SLOT_MPG,
    SLOT_PPM,
    TEAM_CODES,
    League,
    plan_trades,
    unique_names,
)
from .season import SeasonCalendar, rng_for

PEAK_AGE = 27.0
DEVELOPMENT_PER_YEAR = 0.025  # log change of the scoring rate per year away from the peak age
DEVELOPMENT_LIMITS = (-0.10, 0.08)
DEVELOPMENT_SD = 0.06
FREE_AGENT_SHARE = 0.18  # of the players who stay, the share who sign with a new team
ROOKIE_AGES = (19, 23)  # inclusive low, exclusive high
# Each draft class gets its own block of ids above the first league's (1,626,000-1,643,000), so an id is never
# reused, however many seasons back its player retired.
ROOKIE_ID_BLOCK_START = 1_643_000
ROOKIE_ID_BLOCK = 1_000
TEAM_BALANCE = (
    0.6  # share (in log terms) of a team's scoring-rate gap to the league mean closed each offseason
)


def retirement_chance(age: np.ndarray, slot: np.ndarray) -> np.ndarray:
    """A few leave at any age; from 32 on the chance climbs steeply (15% at 32, 39% at 34); deep-bench
    players drop out of the league more often."""
    by_age = np.clip(0.03 + 0.12 * (age - 31), 0.03, 0.9)
    return np.clip(by_age + np.where(slot >= 11, 0.2, 0.0), 0.0, 0.95)


def next_league(league: League, seed: int, finished: SeasonCalendar, upcoming: SeasonCalendar) -> League:
    """The league of `upcoming`, from `league` as it stood at the end of `finished`."""
    rng = rng_for(seed, f"offseason:{upcoming.season}")
    n_teams = len(TEAM_CODES)
    team_at_end = league.team_on([finished.last_date])[:, 0]
    age = league.age + 1
    growth = np.clip(DEVELOPMENT_PER_YEAR * (PEAK_AGE - age), *DEVELOPMENT_LIMITS)
    growth = growth + rng.normal(0.0, DEVELOPMENT_SD, league.size)
    rate_at_end = league.points_per_minute * np.exp(league.rate_drift)

    stays = rng.random(league.size) >= retirement_chance(age, league.slot)
    veteran = np.flatnonzero(stays)
    moves = rng.random(veteran.size) < FREE_AGENT_SHARE
    team = team_at_end[veteran].copy()
    team[moves] = -1
    open_spots = ROSTER_SIZE - np.bincount(team[team >= 0], minlength=n_teams)
    spots = rng.permutation(np.repeat(np.arange(n_teams), open_spots))
    team[moves] = spots[: moves.sum()]
    rookie_team = spots[moves.sum() :]
    n_rookies = rookie_team.size

    # Role for re-slotting: veterans keep their minutes, scaled by how much they improved; rookies come in at
    # a drafted role (most at the end of the bench, a few lottery picks in the rotation).
    draft_slot = np.clip(rng.integers(3, ROSTER_SIZE, n_rookies) + rng.integers(0, 4, n_rookies), 3, 14)
    role = np.concatenate((league.mpg[veteran] * np.exp(2.0 * growth[veteran]), SLOT_MPG[draft_slot]))
    all_team = np.concatenate((team, rookie_team))
    slot = np.empty(all_team.size, dtype=int)
    for t in range(n_teams):
        members = np.flatnonzero(all_team == t)
        slot[members[np.argsort(-role[members], kind="stable")]] = np.arange(members.size)

    block_start = ROOKIE_ID_BLOCK_START + ROOKIE_ID_BLOCK * (upcoming.first_date.year - 2000)
    rookie_ids = [str(block_start + i) for i in rng.choice(ROOKIE_ID_BLOCK, size=n_rookies, replace=False)]
    rookie_names = unique_names(rng, n_rookies, {str(name) for name in league.player_name})

    player_id: np.ndarray = np.concatenate((league.player_id[veteran], np.array(rookie_ids)))
    player_name = np.concatenate((league.player_name[veteran], rookie_names))
    ppm = np.concatenate(
        (
            rate_at_end[veteran] * np.exp(growth[veteran]),
            SLOT_PPM[draft_slot] * np.exp(rng.normal(0.0, 0.12, n_rookies)),
        )
    )
    count = all_team.size
    mpg = np.clip(SLOT_MPG[slot] + rng.normal(0, 1.5, count), 4.0, 38.0)
    # The cap and the draft keep teams close: a stacked roster's players share the ball, a thin one's get more
    # of it. Without this the spread of team strength doubles within a season or two.
    team_rate = np.bincount(all_team, weights=ppm * mpg * (1 - SLOT_COACH_DNP[slot]), minlength=n_teams)
    ppm = ppm * (team_rate.mean() / team_rate[all_team]) ** TEAM_BALANCE
    hazard = np.concatenate((league.injury_hazard[veteran], 0.021 * np.exp(rng.normal(0, 0.45, n_rookies))))

    def carried(values: np.ndarray, rookie_values: np.ndarray) -> np.ndarray:
        return np.concatenate((values[veteran], rookie_values))

    order = np.lexsort((slot, all_team))  # the league's invariant: by team, then slot
    team_sorted, slot_sorted = all_team[order], slot[order]

    def drift(per_team: np.ndarray, sd: float) -> np.ndarray:
        shifted: np.ndarray = np.exp(0.7 * np.log(per_team) + rng.normal(0, sd * 0.7, n_teams))
        return shifted

    return League(
        player_id=player_id[order],
        player_name=player_name[order],
        initial_team=team_sorted,
        slot=slot_sorted,
        mpg=mpg[order],
        minutes_sd=SLOT_MIN_SD[slot_sorted],
        coach_dnp_prob=SLOT_COACH_DNP[slot_sorted],
        points_per_minute=ppm[order],
        rate_drift=rng.normal(0, 0.07, count),
        injury_hazard=hazard[order],
        three_share=carried(league.three_share, np.clip(rng.normal(0.40, 0.12, n_rookies), 0.02, 0.75))[
            order
        ],
        rebounds_per_minute=carried(
            league.rebounds_per_minute, np.clip(rng.normal(0.17, 0.06, n_rookies), 0.05, 0.45)
        )[order],
        assists_per_minute=carried(
            league.assists_per_minute, np.clip(rng.normal(0.11, 0.05, n_rookies), 0.02, 0.35)
        )[order],
        team_offence=drift(league.team_offence, 0.03),
        team_defence=drift(league.team_defence, 0.035),
        team_pace=drift(league.team_pace, 0.025),
        trades=tuple(plan_trades(rng, team_sorted, slot_sorted, upcoming)),
        age=np.concatenate((age[veteran], rng.integers(*ROOKIE_AGES, n_rookies)))[order],
    )
