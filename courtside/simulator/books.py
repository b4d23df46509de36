"""Sportsbook player-points lines: six real-named books with their own noise and bias, morning opens,
afternoon and closing snapshots, a few in-game snapshots, and one averaged 'consensus' feed with decimal
lines (the kind of number ingest must refuse)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import numpy as np
import pandas as pd

from .players import League
from .scenarios import ScenarioEffects
from .season import eastern_to_utc, epoch_seconds, rng_for


@dataclass(frozen=True)
class Bookmaker:
    name: str
    coverage: float  # share of eligible players the book posts
    noise: float  # log-scale sd of the book's own error on top of the market's
    bias: float  # additive points
    vig: float  # sum of implied probabilities of over and under
    whole_numbers: bool  # posts x.0 lines as well as x.5
    live: bool  # offers in-game lines
    weight: float  # weight in the consensus average


BOOKMAKERS: tuple[Bookmaker, ...] = (
    Bookmaker("DraftKings", 0.97, 0.030, 0.10, 1.048, False, True, 0.28),
    Bookmaker("FanDuel", 0.97, 0.028, 0.00, 1.045, True, True, 0.27),
    Bookmaker("BetMGM", 0.93, 0.042, 0.25, 1.050, True, True, 0.15),
    Bookmaker("Caesars", 0.90, 0.038, -0.15, 1.050, False, False, 0.12),
    Bookmaker("ESPNBet", 0.88, 0.045, 0.20, 1.045, False, False, 0.10),
    Bookmaker("BetRivers", 0.85, 0.052, -0.25, 1.055, True, False, 0.08),
)
CONSENSUS_FEED = "ConsensusAvg"
MIN_MPG_FOR_PROPS = 14.0  # books do not post deep-bench players
# The market is efficient up to modest errors (docs/simulator.md "Books"): a model that only sees box scores
# should find a small edge at best, never the 65-75% hit rates of a market that ignores what it knows.
MARKET_ERROR_SD = 0.05  # log-scale error shared by all books (the market's common view)
OPEN_EXTRA_SD = 0.045  # the morning line knows less than the close
FORM_CHASE = 0.15  # exponent on recent actual/expected scoring: books over-react a little to streaks
DEFENCE_UNDER_ADJUSTMENT = 0.12  # books apply 88% of the opponent's defensive effect
PRICE_SLOPE = 0.16  # change in over probability per point of line versus the book's estimate
# Player points are right-skewed (a 20-point scorer has more 35s than 5s), so the mean sits about a point
# above the median. Books post the median, the number that splits over and under evenly: for a gamma-like
# distribution median ~ mean - variance / (3 mean), and the simulated variance of points is close to
# POINTS_VARIANCE_SCALE * mean ** POINTS_VARIANCE_POWER (docs/simulator.md).
POINTS_VARIANCE_SCALE = 3.6
POINTS_VARIANCE_POWER = 0.87


def median_of_points(mean: np.ndarray) -> np.ndarray:
    """The book's median of a player's points given its estimate of the mean (gamma approximation)."""
    mean = np.maximum(mean, 0.5)
    variance = POINTS_VARIANCE_SCALE * mean**POINTS_VARIANCE_POWER
    return np.maximum(mean - variance / (3.0 * mean), 0.25 * mean)


def american_price(probability: np.ndarray, integer_step: int) -> np.ndarray:
    """Implied probability (vig included) -> American odds rounded to `integer_step`.

    Never inside (-100, 100)."""
    p = np.clip(probability, 0.05, 0.95)
    favourite = -100 * p / (1 - p)
    underdog = 100 * (1 - p) / p
    price = np.where(p >= 0.5, favourite, underdog)
    price = np.round(price / integer_step) * integer_step
    price = np.where((price > -100) & (price < 100), np.where(p >= 0.5, -100, 100), price)
    return price.astype(int)


def _round_line(center: np.ndarray, whole_numbers: np.ndarray) -> np.ndarray:
    half = np.floor(center) + 0.5
    nearest = np.round(center * 2) / 2
    return np.maximum(np.where(whole_numbers, nearest, half), 0.5)


def _recent_form(box: pd.DataFrame) -> np.ndarray:
    """Actual / expected points over each player's previous 10 roster entries (shrunk), the current game
    excluded."""
    points = pd.Series(np.where(box["final_status"] == "played", box["points"], 0.0), index=box.index)
    expected = pd.Series(np.where(box["final_status"] == "played", box["mu_real"], 0.0), index=box.index)
    by_player = box["player"]

    def trailing(values: pd.Series) -> np.ndarray:
        cumulative = values.groupby(by_player).cumsum()
        before = cumulative - values
        window_start = before.groupby(by_player).shift(10).fillna(0.0)
        window: np.ndarray = (before - window_start).to_numpy()
        return window

    return (trailing(points) + 25.0) / (trailing(expected) + 25.0)


def _eastern_epoch(day: date, hour: int, minute: int) -> int:
    return epoch_seconds(eastern_to_utc(day, time(hour, minute)))


def build_lines(box: pd.DataFrame, league: League, effects: ScenarioEffects, seed: int) -> pd.DataFrame:
    """`box`: roster entries with statuses and points, sorted by player then tip-off, with game_id,
    player_id and player_name columns. Returns every snapshot row plus helper columns (phase, snapshot_epoch,
    points, played, is_close, is_real_book, tipoff_epoch)."""
    rng = rng_for(seed, "books")
    n_books = len(BOOKMAKERS)
    mpg = league.mpg[box["player"].to_numpy()]
    eligible = ~box["report_status"].isin(["OUT", "DOUBTFUL"]).to_numpy() & (mpg >= MIN_MPG_FOR_PROPS)
    form = _recent_form(box) ** FORM_CHASE
    entries = box.loc[eligible].reset_index(drop=True)
    form = form[eligible]
    n = len(entries)
    dates = entries["game_date"].to_numpy()
    after_onset = dates >= effects.onset if effects.onset is not None else np.zeros(n, dtype=bool)

    base = (
        entries["mu_if_available"].to_numpy()
        * form
        * entries["opponent_defence"].to_numpy() ** (-DEFENCE_UNDER_ADJUSTMENT)
    )
    if effects.scoring_multiplier != 1.0 and effects.onset is not None:
        days_in = np.array([(d - effects.onset).days for d in dates])
        lift = effects.scoring_multiplier - 1.0
        adapted = 1.0 + lift * (1.0 - np.exp(-np.maximum(days_in, 0) / effects.book_adaptation_days))
        base = np.where(after_onset, base / effects.scoring_multiplier * adapted, base)

    base = median_of_points(base)
    noise_scale = np.where(after_onset, effects.sharp_noise_scale, 1.0)[:, None]
    book_noise = np.array([b.noise for b in BOOKMAKERS])[None, :]
    book_bias = np.array([b.bias for b in BOOKMAKERS])[None, :]
    market_error = rng.normal(0, MARKET_ERROR_SD, n)[:, None]
    own_error = rng.normal(0, 1, (n, n_books)) * book_noise
    close_center = base[:, None] * np.exp((market_error + own_error) * noise_scale) + book_bias * noise_scale
    open_center = close_center * np.exp(rng.normal(0, OPEN_EXTRA_SD, (n, n_books)) * noise_scale)

    played = (entries["final_status"] == "played").to_numpy()
    points = entries["points"].to_numpy().astype(float)
    if effects.sharp_closing_hindsight > 0:
        hindsight = np.where(after_onset & played, effects.sharp_closing_hindsight, 0.0)[:, None]
        close_center = close_center + hindsight * (points[:, None] - close_center)
        open_center = open_center + 0.6 * hindsight * (points[:, None] - open_center)
    progress = rng.uniform(0.3, 0.9, (n, n_books))
    afternoon_center = open_center + progress * (close_center - open_center)

    covered = rng.random((n, n_books)) < np.array([b.coverage for b in BOOKMAKERS])[None, :]
    pulled = (entries["update_status"] == "OUT").to_numpy()  # ruled out before the close: no close line
    tipoff = entries["tipoff_epoch"].to_numpy()

    # Snapshot clocks: one morning and one afternoon scrape per (date, book),
    # one close per (game, book).
    unique_dates = sorted(set(dates))
    date_pos = np.searchsorted(np.array(unique_dates, dtype=object), dates)
    morning = np.array([_eastern_epoch(d, 9, 0) for d in unique_dates])
    open_at = morning[:, None] + rng.integers(0, 180, (len(unique_dates), n_books)) * 60
    afternoon_at = (
        morning[:, None] + (5 * 3600 + 30 * 60) + rng.integers(0, 120, (len(unique_dates), n_books)) * 60
    )
    games = entries["game"].to_numpy()
    close_offset = rng.integers(3, 26, (int(games.max()) + 1, n_books)) * 60
    open_epoch = open_at[date_pos]
    afternoon_epoch = np.minimum(afternoon_at[date_pos], tipoff[:, None] - 45 * 60)
    close_epoch = tipoff[:, None] - close_offset[games]

    live = np.array([b.live for b in BOOKMAKERS])
    live_game = (rng.random((int(games.max()) + 1, n_books)) < 0.08) & live[None, :]
    in_game = live_game[games] & covered
    live_offset = rng.integers(15, 111, (int(games.max()) + 1, n_books)) * 60
    live_epoch = tipoff[:, None] + live_offset[games]
    elapsed = np.clip(live_offset[games] / 150.0, 0.0, 0.95)
    live_center = (1 - elapsed) * close_center + elapsed * points[:, None] + rng.normal(0, 3.0, (n, n_books))

    whole = np.array([b.whole_numbers for b in BOOKMAKERS])[None, :]
    vig = np.array([b.vig for b in BOOKMAKERS])[None, :]
    frames = []
    phases = (
        ("open", open_center, open_epoch, covered),
        ("afternoon", afternoon_center, afternoon_epoch, covered & ~pulled[:, None]),
        ("close", close_center, close_epoch, covered & ~pulled[:, None]),
        ("in_game", live_center, live_epoch, in_game),
    )
    fair_lines = {}
    for phase, center, epoch, mask in phases:
        line = _round_line(center, whole)
        if phase == "in_game":
            over_probability = rng.uniform(0.3, 0.7, (n, n_books))
        else:
            over_probability = np.clip(
                0.5 + PRICE_SLOPE * (center - line) + rng.normal(0, 0.012, (n, n_books)), 0.2, 0.8
            )
        fair_lines[phase] = (line + (over_probability - 0.5) / PRICE_SLOPE, mask)
        rows, books = np.nonzero(mask)
        frames.append(
            _frame(
                entries, rows, phase, np.array([b.name for b in BOOKMAKERS])[books],
                np.char.mod("%.1f", line[rows, books]),
                american_price(over_probability[rows, books] * vig[0, books], 5),
                american_price((1 - over_probability[rows, books]) * vig[0, books], 5),
                epoch[rows, books], line[rows, books], True,
            )
        )  # fmt: skip
    weights = np.array([b.weight for b in BOOKMAKERS])[None, :]
    for phase, when in (("open", morning[date_pos] + 3.5 * 3600), ("close", tipoff - 30 * 60)):
        fair, mask = fair_lines[phase]
        total_weight = (weights * mask).sum(axis=1)
        rows = np.flatnonzero(total_weight > 0)
        average = (fair * weights * mask).sum(axis=1)[rows] / total_weight[rows]
        average = np.round(average, 3)
        # A consensus never lands on a tradeable number; nudge the rare exact x.0/x.5.
        average = np.where(np.isclose(average * 2, np.round(average * 2)), average + 0.013, average)
        over = np.clip(0.5 + rng.normal(0, 0.01, rows.size), 0.4, 0.6)
        frames.append(
            _frame(
                entries, rows, "consensus_" + phase, np.full(rows.size, CONSENSUS_FEED),
                np.char.mod("%.3f", average), american_price(over * 1.045, 1),
                american_price((1 - over) * 1.045, 1),
                np.minimum(when[rows], tipoff[rows] - 60).astype(np.int64), average, False,
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _frame(
    entries: pd.DataFrame,
    rows: np.ndarray,
    phase: str,
    bookmaker: np.ndarray,
    line_text: np.ndarray,
    over_price: np.ndarray,
    under_price: np.ndarray,
    snapshot_epoch: np.ndarray,
    line_value: np.ndarray,
    real_book: bool,
) -> pd.DataFrame:
    picked = entries.iloc[rows]
    return pd.DataFrame(
        {
            "game_id": picked["game_id"].to_numpy(),
            "game_date": picked["game_date"].to_numpy(),
            "player_id": picked["player_id"].to_numpy(),
            "player_name": picked["player_name"].to_numpy(),
            "bookmaker": bookmaker,
            "line": line_text,
            "over_price": over_price,
            "under_price": under_price,
            "snapshot_epoch": np.asarray(snapshot_epoch, dtype=np.int64),
            "phase": phase,
            "line_value": line_value,
            "points": picked["points"].to_numpy(),
            "played": (picked["final_status"] == "played").to_numpy(),
            "tipoff_epoch": picked["tipoff_epoch"].to_numpy(),
            "is_real_book": real_book,
        }
    )
