"""Roster entries per game and their box-score numbers: minutes, points (negative binomial around a rate
tied to minutes, home/away, rest, opponent defence, pace, teammates' absences) and the secondary stats."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .injuries import INACTIVE, PLAYED
from .players import League
from .scenarios import ScenarioEffects
from .schedule import Schedule, days_since_previous_game
from .season import SeasonCalendar, rng_for

LEAGUE_SCALE = 1.005  # tuned so league team scoring lands near 115 points per game
TEAM_DISPERSION = 800.0  # negative-binomial size of a team's total: sd about 12 around 115
# Dirichlet concentration of how a team's points split among its players: lower = more game-to-game variance
# of a player's points (sd about 7-9 around the pre-game expectation for 20+ point scorers) that no line or
# model can predict. 85 puts naive averages' errors where the real season's are (docs/simulator.md).
SHARE_CONCENTRATION = 85.0
USAGE_REDISTRIBUTION = 0.6  # share (in log terms) of missing teammates' scoring picked up by the others
HOME_FACTOR = 1.014
BACK_TO_BACK_FACTOR = 0.965
RESTED_FACTOR = 1.01  # three or more days off
# Form and role persist from game to game (real players have streaks and move up or down the rotation): each
# player's scoring rate and minutes carry an AR(1) log-multiplier over his games. Calibrated so the lag-1
# correlation of points around the season-to-date mean approaches the real season's (docs/simulator.md).
FORM_PERSISTENCE = 0.9  # game-to-game autocorrelation of the scoring-rate multiplier
FORM_SD = 0.10  # its stationary log-sd
ROLE_PERSISTENCE = 0.95  # game-to-game autocorrelation of the minutes multiplier
# Its stationary log-sd by roster slot: a team's first options play their minutes whatever happens; the
# middle of the rotation is where roles change.
ROLE_SD_BY_SLOT = np.array(
    [0.03, 0.03, 0.04, 0.06, 0.08, 0.10, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12]
)


def build_entries(schedule: Schedule, league: League, cal: SeasonCalendar) -> pd.DataFrame:
    """One row per (played game, rostered player), sorted by player then tip-off."""
    days = cal.playable_dates()
    day_index = {d: i for i, d in enumerate(days)}
    team_on_day = league.team_on(days)
    home_rest, away_rest = days_since_previous_game(schedule)
    span = (cal.last_date - cal.first_date).days
    frames: list[dict[str, np.ndarray]] = []
    for g in np.flatnonzero(~schedule.postponed):
        d = day_index[schedule.game_date[g]]
        for is_home, team, opponent, rest in (
            (True, schedule.home[g], schedule.away[g], home_rest[g]),
            (False, schedule.away[g], schedule.home[g], away_rest[g]),
        ):
            roster = np.flatnonzero(team_on_day[:, d] == team)
            frames.append(
                {
                    "game": np.full(roster.size, g),
                    "player": roster,
                    "team": np.full(roster.size, team),
                    "opponent": np.full(roster.size, opponent),
                    "is_home": np.full(roster.size, is_home),
                    "rest_days": np.full(roster.size, rest),
                }
            )
    entries = pd.DataFrame({key: np.concatenate([f[key] for f in frames]) for key in frames[0]})
    entries["tipoff_epoch"] = schedule.tipoff_epoch[entries["game"].to_numpy()]
    entries["game_date"] = schedule.game_date[entries["game"].to_numpy()]
    entries["season_fraction"] = [(d - cal.first_date).days / span for d in entries["game_date"]]
    entries = entries.sort_values(["player", "tipoff_epoch"], kind="stable").reset_index(drop=True)
    return entries


def persistent_multiplier(
    rng: np.random.Generator, player: np.ndarray, persistence: float, sd: np.ndarray
) -> np.ndarray:
    """exp(AR(1)) per row of entries sorted by player then tip-off: autocorrelation `persistence` from one of
    the player's games to the next, stationary log-sd `sd` (per row, constant within a player), mean 1 (so
    league scoring keeps its level); his first game starts from the stationary law."""
    starts = np.concatenate(([0], np.flatnonzero(np.diff(player)) + 1))
    lengths = np.diff(np.concatenate((starts, [len(player)])))
    game_number = np.arange(len(player)) - np.repeat(starts, lengths)
    shocks = rng.normal(0.0, 1.0, (len(starts), int(lengths.max()))) * sd[starts, None]
    state = np.empty_like(shocks)
    state[:, 0] = shocks[:, 0]
    innovation_scale = np.sqrt(1.0 - persistence**2)
    for k in range(1, shocks.shape[1]):
        state[:, k] = persistence * state[:, k - 1] + innovation_scale * shocks[:, k]
    log_multiplier: np.ndarray = state[np.repeat(np.arange(len(starts)), lengths), game_number] - sd**2 / 2
    multiplier: np.ndarray = np.exp(log_multiplier)
    return multiplier


def _team_game_sum(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(keys, weights=values, minlength=size)


def _allocate_points(
    rng: np.random.Generator, team_game: np.ndarray, mu: np.ndarray, size: int
) -> np.ndarray:
    """Team total ~ negative binomial around the sum of its players' rates, split by a Dirichlet-multinomial
    with means proportional to the rates: player points are over-dispersed (roughly negative binomial) yet
    teammates compete for the same shots, so team totals vary as little as real ones."""
    team_mu = _team_game_sum(team_game, mu, size)
    team_points = rng.negative_binomial(TEAM_DISPERSION, TEAM_DISPERSION / (TEAM_DISPERSION + team_mu))
    shape = SHARE_CONCENTRATION * mu / np.maximum(team_mu[team_game], 1e-9)
    weight = np.where(mu > 0, rng.gamma(np.maximum(shape, 1e-9)), 0.0)
    order = np.lexsort((np.arange(len(mu)), team_game))
    position = np.empty(len(mu), dtype=int)
    group_start = np.searchsorted(team_game[order], team_game[order], side="left")
    position[order] = np.arange(len(mu)) - group_start
    points_left = team_points.astype(np.int64)
    weight_left = _team_game_sum(team_game, weight, size)
    points = np.zeros(len(mu), dtype=np.int64)
    for step in range(int(position.max()) + 1):
        rows = np.flatnonzero(position == step)
        groups = team_game[rows]
        chance = np.clip(weight[rows] / np.maximum(weight_left[groups], 1e-12), 0.0, 1.0)
        drawn = rng.binomial(points_left[groups], chance)
        points[rows] = drawn
        points_left[groups] -= drawn
        weight_left[groups] -= weight[rows]
    return points


def simulate_box_scores(
    entries: pd.DataFrame, league: League, effects: ScenarioEffects, seed: int, n_games: int
) -> pd.DataFrame:
    """Adds minutes, points, the true pre-game expectation (mu_pre), the realised rate (mu_real),
    starter and the optional counting stats."""
    rng = rng_for(seed, "box_scores")
    n = len(entries)
    player = entries["player"].to_numpy()
    game = entries["game"].to_numpy()
    is_home = entries["is_home"].to_numpy()
    team_game = game * 2 + (~is_home).astype(int)
    size = n_games * 2
    status = entries["final_status"].to_numpy()
    played = status == PLAYED
    expected = status != INACTIVE  # what is known before tip-off: late scratches still look available

    # Its own stream: form and role draws never shift the numbers the rest of the box score draws.
    form_rng = rng_for(seed, "form")
    form = persistent_multiplier(form_rng, player, FORM_PERSISTENCE, np.full(len(player), FORM_SD))
    role = persistent_multiplier(form_rng, player, ROLE_PERSISTENCE, ROLE_SD_BY_SLOT[league.slot[player]])
    ppm = league.points_per_minute[player] * np.exp(league.rate_drift[player] * entries["season_fraction"])
    ppm = ppm.to_numpy() * form
    mpg = league.mpg[player] * role
    rotation_weight = mpg * (1 - league.coach_dnp_prob[player])

    overtime_periods = np.where(rng.random(n_games) < 0.055, 1, 0) + np.where(
        rng.random(n_games) < 0.01, 1, 0
    )
    team_minutes = 240.0 + 25.0 * overtime_periods[game]

    raw_minutes = np.clip(rng.normal(mpg, league.minutes_sd[player]), 3.0, 44.0) * played
    # Fill (or trim) to the team's minutes mostly through the players far from a heavy workload.
    headroom = raw_minutes * np.clip(41.0 - raw_minutes, 0.5, None) * played
    missing = team_minutes - _team_game_sum(team_game, raw_minutes, size)[team_game]
    share = headroom / np.maximum(_team_game_sum(team_game, headroom, size)[team_game], 1e-9)
    minutes = np.round(np.clip(raw_minutes + missing * share, 1.0, 56.0) * played, 2)

    healthy_rate = _team_game_sum(team_game, ppm * rotation_weight, size) / np.maximum(
        _team_game_sum(team_game, rotation_weight, size), 1e-9
    )
    reference_total = 240.0 * healthy_rate[team_game]

    opponent = entries["opponent"].to_numpy()
    team = entries["team"].to_numpy()
    rest = entries["rest_days"].to_numpy()
    dates = entries["game_date"].to_numpy()
    factor = (
        np.where(is_home, HOME_FACTOR, 2 - HOME_FACTOR)
        * np.where(rest == 1, BACK_TO_BACK_FACTOR, np.where((rest >= 3) & (rest < 99), RESTED_FACTOR, 1.0))
        * league.team_defence[opponent]
        * league.team_offence[team]
        * np.sqrt(league.team_pace[team] * league.team_pace[opponent])
        * LEAGUE_SCALE
    )
    if effects.onset is not None and effects.scoring_multiplier != 1.0:
        factor = factor * np.where(dates >= effects.onset, effects.scoring_multiplier, 1.0)

    realised_total = _team_game_sum(team_game, ppm * minutes, size)[team_game]
    usage = (reference_total / np.maximum(realised_total, 1.0)) ** USAGE_REDISTRIBUTION
    mu_real = ppm * minutes * usage * factor

    expected_weight = rotation_weight * expected
    expected_minutes = (
        mpg * 240.0 / np.maximum(_team_game_sum(team_game, expected_weight, size)[team_game], 1.0)
    )
    expected_minutes = np.minimum(expected_minutes, 42.0) * expected
    expected_total = _team_game_sum(
        team_game, ppm * expected_minutes * (1 - league.coach_dnp_prob[player]), size
    )
    usage_pre = (reference_total / np.maximum(expected_total[team_game], 1.0)) ** USAGE_REDISTRIBUTION
    mu_pre = ppm * expected_minutes * usage_pre * factor

    points = _allocate_points(rng, team_game, mu_real * played, size)

    fga = np.maximum(0, np.round(points * 0.8 + rng.normal(0, 1.6, n))).astype(int) * played
    fta = rng.poisson(points * 0.22) * played
    fg3a = rng.binomial(fga, league.three_share[player])
    rebounds = rng.poisson(league.rebounds_per_minute[player] * minutes) * played
    assists = rng.poisson(league.assists_per_minute[player] * minutes) * played

    out = entries.copy()
    out["minutes"] = minutes
    out["points"] = points.astype(int)
    out["mu_pre"] = mu_pre
    out["mu_real"] = mu_real
    # What a book would expect had the player been available (used for lines posted before he was ruled out).
    out["mu_if_available"] = np.where(mu_pre > 0, mu_pre, ppm * mpg * factor)
    out["opponent_defence"] = league.team_defence[opponent]
    out["fga"], out["fta"], out["fg3a"] = fga, fta, fg3a
    out["rebounds"], out["assists"] = rebounds, assists
    out["team_game"] = team_game
    # Starters: the five highest-slotted players who played.
    rank = (
        out.assign(slot=league.slot[player], played=played)
        .sort_values(["team_game", "played", "slot"], ascending=[True, False, True], kind="stable")
        .groupby("team_game", sort=False)
        .cumcount()
    )
    out["starter"] = (rank.reindex(out.index).to_numpy() < 5) & played
    return out


def game_dates_of(entries: pd.DataFrame) -> list[date]:
    return sorted(set(entries["game_date"]))
