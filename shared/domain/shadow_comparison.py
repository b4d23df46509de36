"""The daily paired comparison of the champion with one shadow on the bets both made. Pure: rows in, out.

Pairs are player-games (game date, player) where both systems called OVER or UNDER against a real line and
the bet was graded. A pair where either bet pushed is left out of the hit rates (a push is neither a win nor a
loss); what remains are the *decided* pairs, whose count is the comparison's n.

The test: per decided pair, d = win(shadow) - win(champion), in {-1, 0, 1}. The difference in hit rate is the
mean of d; its interval is the normal interval of a mean of paired differences (sample variance, the z of
``BettingThresholds.confidence_level``): the Wald interval for the difference of two paired proportions, which
only the discordant pairs move. With the ``ModelLifecycle.promotion_min_paired_bets`` minimum (300) the normal
approximation is sound. A shadow is significantly better when the lower bound is above 0, and a promotion
candidate when, in addition, n reaches that minimum. Each side's hit rate carries its own Wilson interval
against break-even.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.domain.metrics import HitRate, hit_rate, z_for_confidence
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds


@dataclass(frozen=True)
class GradedBet:
    """One graded OVER/UNDER call of a system: ``is_correct`` is None for a push."""

    game_date: date
    player_id: str
    is_correct: bool | None


@dataclass(frozen=True)
class PairedDifference:
    """Mean of d = win(shadow) - win(champion) over decided pairs, with its interval (None below 2 pairs)."""

    n: int
    difference: float | None
    lower: float | None
    upper: float | None

    @property
    def shadow_better(self) -> bool:
        return self.lower is not None and self.lower > 0.0

    @property
    def shadow_worse(self) -> bool:
        return self.upper is not None and self.upper < 0.0


@dataclass(frozen=True)
class ShadowComparison:
    champion_system_id: str
    shadow_system_id: str
    shadow_model_id: str
    paired_bets: int  # player-games both bet (pushes included)
    champion: HitRate  # on the decided pairs
    shadow: HitRate  # on the same decided pairs
    difference: PairedDifference
    min_paired_bets: int

    @property
    def decided_pairs(self) -> int:
        return self.difference.n

    @property
    def promotion_candidate(self) -> bool:
        """Significantly better than the champion over at least ``min_paired_bets`` decided pairs."""
        return self.difference.shadow_better and self.decided_pairs >= self.min_paired_bets


def paired_difference(differences: list[int], confidence: float) -> PairedDifference:
    n = len(differences)
    if n < 2:
        return PairedDifference(n, statistics.fmean(differences) if differences else None, None, None)
    mean = statistics.fmean(differences)
    half_width = z_for_confidence(confidence) * math.sqrt(statistics.variance(differences) / n)
    return PairedDifference(n, mean, mean - half_width, mean + half_width)


def compare_shadow(
    champion_system_id: str,
    shadow_system_id: str,
    shadow_model_id: str,
    champion_bets: Iterable[GradedBet],
    shadow_bets: Iterable[GradedBet],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ShadowComparison:
    """The champion and one shadow on the bets both made (see the module docstring)."""
    champion = {(bet.game_date, bet.player_id): bet for bet in champion_bets}
    shadow = {(bet.game_date, bet.player_id): bet for bet in shadow_bets}
    both = sorted(champion.keys() & shadow.keys())
    decided = [
        (bool(champion[key].is_correct), bool(shadow[key].is_correct))
        for key in both
        if champion[key].is_correct is not None and shadow[key].is_correct is not None
    ]
    break_even = thresholds.betting.break_even_probability
    confidence = thresholds.betting.confidence_level
    champion_wins = sum(c for c, _ in decided)
    shadow_wins = sum(s for _, s in decided)
    return ShadowComparison(
        champion_system_id=champion_system_id,
        shadow_system_id=shadow_system_id,
        shadow_model_id=shadow_model_id,
        paired_bets=len(both),
        champion=hit_rate(champion_wins, len(decided), break_even, confidence),
        shadow=hit_rate(shadow_wins, len(decided), break_even, confidence),
        difference=paired_difference([int(s) - int(c) for c, s in decided], confidence),
        min_paired_bets=thresholds.lifecycle.promotion_min_paired_bets,
    )
