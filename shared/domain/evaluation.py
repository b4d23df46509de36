"""Evaluating a system over history: the two populations, naive baselines on the same rows, breakdowns and
the paired comparison of two systems. Pure: rows in, figures out (the metrics come from ``metrics``).

Two modes, never mixed (a figure always says which and carries its n):

- ``production-equivalent``: exactly the bets production would have made: an OVER/UNDER call against a real
  line, graded (pushes count as bets but not in the hit rate; voided and pending rows are not bets).
- ``all-rows``: every predicted feature row whose player played (an outcome exists); MAE and bias only.

Baselines are scored on the very rows of the figure they sit next to: the last-10 and season averages (as
of the decision time, from the feature row), an exponentially weighted average of the player's earlier games
(``ewma_before``), the line itself (MAE, rows with a line), and always-UNDER / always-OVER (hit rate on the
same bets against the same lines).

The paired comparison (``paired_comparison``) uses the bets both systems made on the same player-games and a
paired bootstrap over those player-games with a fixed seed (docs/experiments.md).
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.domain.metrics import (
    HitRate,
    brier_score,
    closing_line_value,
    expected_calibration_error,
    hit_rate,
    mean_absolute_error,
    mean_signed_error,
    win_profit_per_unit,
)
from shared.domain.sharpness import player_tier
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.domain.vocabulary import Recommendation

EWMA_ALPHA = 0.15  # weight of the latest game: a half-life of about 4 games
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20240601
INTERVAL_LEVEL = 0.95


class EvaluationMode(StrEnum):
    PRODUCTION_EQUIVALENT = "production-equivalent"
    ALL_ROWS = "all-rows"


@dataclass(frozen=True)
class EvaluationRow:
    """One predicted player-game of a system with what happened; baselines as of the decision time."""

    game_date: date
    player_id: str
    predicted_points: float
    actual_points: float | None  # None: did not play (or not yet known)
    line_value: float | None  # the real line the call was made against, if any
    recommendation: str
    is_bet: bool  # an OVER/UNDER call with a real line that was graded (not voided, not pending)
    is_correct: bool | None  # None for pushes and non-bets
    is_push: bool
    price: int | None  # American odds recorded for the side called
    closing_line: float | None
    p_over: float | None
    baseline_last10: float
    baseline_season: float
    baseline_ewma: float | None

    @property
    def tier(self) -> str:
        return str(player_tier(self.baseline_season))

    @property
    def month(self) -> str:
        return f"{self.game_date:%Y-%m}"


def ewma_before(points_in_order: Sequence[float], alpha: float = EWMA_ALPHA) -> float | None:
    """Exponentially weighted average of a player's earlier games (oldest first); None without games."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha must be in (0, 1], got {alpha}")
    average: float | None = None
    for points in points_in_order:
        average = points if average is None else alpha * points + (1.0 - alpha) * average
    return average


def ewma_by_player_game(
    history: Iterable[tuple[str, date, float]], wanted: Iterable[tuple[str, date]], alpha: float = EWMA_ALPHA
) -> dict[tuple[str, date], float | None]:
    """EWMA of each wanted (player, date) over the player's games STRICTLY before that date."""
    games: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for player_id, day, points in history:
        games[player_id].append((day, points))
    result: dict[tuple[str, date], float | None] = {}
    for player_id, day in wanted:
        earlier = [points for played, points in sorted(games.get(player_id, [])) if played < day]
        result[(player_id, day)] = ewma_before(earlier, alpha)
    return result


def population(rows: Iterable[EvaluationRow], mode: EvaluationMode) -> list[EvaluationRow]:
    """The rows a mode evaluates (see the module docstring)."""
    if mode is EvaluationMode.PRODUCTION_EQUIVALENT:
        return [row for row in rows if row.is_bet]
    return [row for row in rows if row.actual_points is not None]


def bet_profit(row: EvaluationRow) -> float:
    """Units won on a 1-unit stake at the recorded price (standard odds when none was recorded)."""
    if row.is_push or row.is_correct is None:
        return 0.0
    if not row.is_correct:
        return -1.0
    return win_profit_per_unit(
        row.price if row.price is not None else DEFAULT_THRESHOLDS.betting.standard_odds
    )


@dataclass(frozen=True)
class ErrorFigure:
    """MAE and bias (predicted - actual) of one predictor on ``n`` rows."""

    n: int
    mae: float | None
    bias: float | None


def error_figure(pairs: Sequence[tuple[float, float]]) -> ErrorFigure:
    errors = [predicted - actual for predicted, actual in pairs]
    return ErrorFigure(len(errors), mean_absolute_error(errors), mean_signed_error(errors))


def _baseline_errors(rows: Sequence[EvaluationRow]) -> dict[str, ErrorFigure]:
    with_outcome = [row for row in rows if row.actual_points is not None]

    def figure(pick: Callable[[EvaluationRow], float | None]) -> ErrorFigure:
        pairs = []
        for row in with_outcome:
            value = pick(row)
            if value is not None and row.actual_points is not None:
                pairs.append((value, row.actual_points))
        return error_figure(pairs)

    return {
        "model": figure(lambda row: row.predicted_points),
        "last-10 average": figure(lambda row: row.baseline_last10),
        "season average": figure(lambda row: row.baseline_season),
        "EWMA": figure(lambda row: row.baseline_ewma),
        "the line": figure(lambda row: row.line_value),
        "model (rows with a line)": figure(
            lambda row: row.predicted_points if row.line_value is not None else None
        ),
    }


@dataclass(frozen=True)
class BetFigures:
    """Hit rate and ROI of a set of bets (n bets includes pushes; the hit rate counts decided bets)."""

    bets: int
    pushes: int
    hit: HitRate
    roi: float | None


def bet_figures(rows: Sequence[EvaluationRow]) -> BetFigures:
    decided = [row.is_correct for row in rows if row.is_correct is not None]
    pushes = sum(1 for row in rows if row.is_push)
    roi = statistics.fmean(bet_profit(row) for row in rows) if rows else None
    return BetFigures(len(rows), pushes, hit_rate(sum(decided), len(decided)), roi)


def _always(rows: Sequence[EvaluationRow], direction: Recommendation) -> HitRate:
    """Hit rate of calling ``direction`` on every bet's line (pushes excluded)."""
    wins = n = 0
    for row in rows:
        if row.actual_points is None or row.line_value is None or row.actual_points == row.line_value:
            continue
        n += 1
        over = row.actual_points > row.line_value
        wins += over if direction is Recommendation.OVER else not over
    return hit_rate(wins, n)


@dataclass(frozen=True)
class Evaluation:
    mode: EvaluationMode
    n: int
    errors: Mapping[str, ErrorFigure]  # the model and each baseline, on this population
    bets: BetFigures | None = None  # production-equivalent only
    always_over: HitRate | None = None
    always_under: HitRate | None = None
    brier: float | None = None  # of P(over) against over/under (pushes excluded), n = calibration_n
    ece: float | None = None
    calibration_n: int = 0
    clv_mean: float | None = None  # points of line value vs the closing line, n = clv_n
    clv_n: int = 0
    by_tier: Mapping[str, BetFigures | ErrorFigure] | None = None
    by_direction: Mapping[str, BetFigures | ErrorFigure] | None = None
    by_month: Mapping[str, BetFigures | ErrorFigure] | None = None


def _grouped(
    rows: Sequence[EvaluationRow], key: Callable[[EvaluationRow], str], mode: EvaluationMode
) -> dict[str, BetFigures | ErrorFigure]:
    groups: dict[str, list[EvaluationRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    result: dict[str, BetFigures | ErrorFigure] = {}
    for name in sorted(groups):
        members = groups[name]
        if mode is EvaluationMode.PRODUCTION_EQUIVALENT:
            result[name] = bet_figures(members)
        else:
            result[name] = error_figure(
                [
                    (row.predicted_points, row.actual_points)
                    for row in members
                    if row.actual_points is not None
                ]
            )
    return result


def _clv(row: EvaluationRow) -> float | None:
    if row.closing_line is None or row.line_value is None:
        return None
    return closing_line_value(Recommendation(row.recommendation), row.line_value, row.closing_line)


def evaluate(rows: Iterable[EvaluationRow], mode: EvaluationMode) -> Evaluation:
    """Every figure of one mode, on that mode's population only."""
    chosen = population(rows, mode)
    errors = _baseline_errors(chosen)
    if mode is EvaluationMode.ALL_ROWS:
        return Evaluation(
            mode,
            len(chosen),
            errors,
            by_tier=_grouped(chosen, lambda row: row.tier, mode),
            by_month=_grouped(chosen, lambda row: row.month, mode),
        )
    calibrated = [
        (row.p_over, row.actual_points > row.line_value)
        for row in chosen
        if row.p_over is not None
        and row.actual_points is not None
        and row.line_value is not None
        and row.actual_points != row.line_value
    ]
    probabilities = [p for p, _ in calibrated]
    outcomes = [o for _, o in calibrated]
    clv = [
        value
        for row in chosen
        if row.closing_line is not None and row.line_value is not None
        for value in [
            closing_line_value(Recommendation(row.recommendation), row.line_value, row.closing_line)
        ]
        if value is not None
    ]
    return Evaluation(
        mode,
        len(chosen),
        errors,
        bets=bet_figures(chosen),
        always_over=_always(chosen, Recommendation.OVER),
        always_under=_always(chosen, Recommendation.UNDER),
        brier=brier_score(probabilities, outcomes),
        ece=expected_calibration_error(probabilities, outcomes),
        calibration_n=len(calibrated),
        clv_mean=statistics.fmean(clv) if clv else None,
        clv_n=len(clv),
        by_tier=_grouped(chosen, lambda row: row.tier, mode),
        by_direction=_grouped(chosen, lambda row: row.recommendation, mode),
        by_month=_grouped(chosen, lambda row: row.month, mode),
    )


@dataclass(frozen=True)
class Difference:
    """Mean difference (A - B) over paired items with a paired-bootstrap percentile interval."""

    n: int
    difference: float | None
    lower: float | None
    upper: float | None

    @property
    def significant(self) -> bool:
        """The interval excludes 0."""
        return self.lower is not None and self.upper is not None and (self.lower > 0 or self.upper < 0)


@dataclass(frozen=True)
class PairedComparison:
    """Two systems on the bets both made (same game date and player). ``hit_rate``: per decided pair,
    win(A) - win(B) (pairs where either pushed are left out); ``roi``: profit(A) - profit(B) per pair;
    ``opportunities``: profit(A) - profit(B) on every player-game both predicted with a line."""

    pairs: int
    a_hit: HitRate
    b_hit: HitRate
    hit_rate: Difference
    roi: Difference
    same_direction: int
    resamples: int
    seed: int
    # Bets both made in the same direction win or lose together, so they differ only where the calls
    # differ; what a system chooses to bet shows on every player-game both priced against a real line and
    # whose player played (a PASS earns 0): profit(A) - profit(B) per such player-game.
    opportunities: Difference | None = None
    # Accuracy on the same rows: |predicted(A) - actual| - |predicted(B) - actual| (points) on every
    # player-game both predicted whose player played (the all-rows population); negative = A is closer.
    absolute_error: Difference | None = None


def paired_bootstrap(
    differences: Sequence[float],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = INTERVAL_LEVEL,
) -> Difference:
    """Percentile interval of the mean of paired differences, resampling pairs with a fixed seed."""
    n = len(differences)
    if n == 0:
        return Difference(0, None, None, None)
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(differences, k=n)) for _ in range(resamples))
    tail = (1.0 - level) / 2.0
    lower = means[min(resamples - 1, int(tail * resamples))]
    upper = means[min(resamples - 1, int((1.0 - tail) * resamples))]
    return Difference(n, statistics.fmean(differences), lower, upper)


def paired_comparison(
    a_rows: Iterable[EvaluationRow],
    b_rows: Iterable[EvaluationRow],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> PairedComparison:
    """A vs B on the production-equivalent bets both made (see ``PairedComparison``)."""
    a_rows_list, b_rows_list = list(a_rows), list(b_rows)
    a_bets = {(row.game_date, row.player_id): row for row in a_rows_list if row.is_bet}
    b_bets = {(row.game_date, row.player_id): row for row in b_rows_list if row.is_bet}
    keys = sorted(a_bets.keys() & b_bets.keys())
    pairs = [(a_bets[key], b_bets[key]) for key in keys]
    decided = [
        (a.is_correct, b.is_correct)
        for a, b in pairs
        if a.is_correct is not None and b.is_correct is not None
    ]
    hit_differences = [float(a) - float(b) for a, b in decided]
    roi_differences = [bet_profit(a) - bet_profit(b) for a, b in pairs]
    a_all = {(row.game_date, row.player_id): row for row in a_rows_list if _is_opportunity(row)}
    b_all = {(row.game_date, row.player_id): row for row in b_rows_list if _is_opportunity(row)}
    opportunity_differences = [
        bet_profit(a_all[key]) - bet_profit(b_all[key]) for key in sorted(a_all.keys() & b_all.keys())
    ]
    a_played = {(row.game_date, row.player_id): row for row in a_rows_list if row.actual_points is not None}
    b_played = {(row.game_date, row.player_id): row for row in b_rows_list if row.actual_points is not None}
    error_differences = [
        _absolute_error(a_played[key]) - _absolute_error(b_played[key])
        for key in sorted(a_played.keys() & b_played.keys())
    ]
    return PairedComparison(
        pairs=len(pairs),
        a_hit=hit_rate(sum(a for a, _ in decided), len(decided)),
        b_hit=hit_rate(sum(b for _, b in decided), len(decided)),
        hit_rate=paired_bootstrap(hit_differences, resamples, seed),
        roi=paired_bootstrap(roi_differences, resamples, seed),
        same_direction=sum(1 for a, b in pairs if a.recommendation == b.recommendation),
        resamples=resamples,
        seed=seed,
        opportunities=paired_bootstrap(opportunity_differences, resamples, seed),
        absolute_error=paired_bootstrap(error_differences, resamples, seed),
    )


def _absolute_error(row: EvaluationRow) -> float:
    assert row.actual_points is not None  # only rows whose player played are paired
    return abs(row.predicted_points - row.actual_points)


def _is_opportunity(row: EvaluationRow) -> bool:
    """A player-game predicted against a real line whose player played: a bet or a PASS on it."""
    return row.line_value is not None and row.actual_points is not None
