"""The champion vs a shadow on the bets both made, and the alerts it and retraining staleness raise."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from shared.domain.alert_rules import (
    PROMOTION_CANDIDATE,
    RETRAINING_STALE,
    promotion_candidate_alerts,
    retraining_stale_alerts,
)
from shared.domain.shadow_comparison import GradedBet, compare_shadow, paired_difference
from shared.domain.thresholds import DEFAULT_THRESHOLDS, ModelLifecycle

DAY = date(2026, 1, 10)


def bets(outcomes: list[bool | None], start: int = 0) -> list[GradedBet]:
    return [GradedBet(DAY - timedelta(days=i % 30), f"p{start + i}", won) for i, won in enumerate(outcomes)]


def thresholds(min_pairs: int):
    return dataclasses.replace(
        DEFAULT_THRESHOLDS, lifecycle=ModelLifecycle(promotion_min_paired_bets=min_pairs)
    )


def test_only_the_bets_both_made_are_compared_and_pushes_leave_the_pair_out():
    champion = bets([True, False, None, True]) + bets([True] * 5, start=100)  # p100.. only the champion bet
    shadow = bets([True, True, True, None])
    result = compare_shadow("champ", "shadow", "m1", champion, shadow)
    assert result.paired_bets == 4
    # Pairs p0 (T,T) and p1 (F,T) are decided; p2 and p3 pushed on one side.
    assert result.decided_pairs == 2
    assert (result.champion.wins, result.champion.n) == (1, 2)
    assert (result.shadow.wins, result.shadow.n) == (2, 2)
    assert result.difference.difference == pytest.approx(0.5)


def test_the_interval_is_the_normal_interval_of_the_paired_differences():
    # 40 pairs: 10 where only the shadow won, 4 where only the champion won, 26 ties.
    diffs = [1] * 10 + [-1] * 4 + [0] * 26
    result = paired_difference(diffs, 0.95)
    mean = 6 / 40
    variance = (10 * (1 - mean) ** 2 + 4 * (-1 - mean) ** 2 + 26 * mean**2) / 39
    half = 1.959963984540054 * (variance / 40) ** 0.5
    assert result.difference == pytest.approx(mean)
    assert result.lower == pytest.approx(mean - half)
    assert result.upper == pytest.approx(mean + half)
    # Identical decisions: no difference, a zero-width interval, not "better".
    same = paired_difference([0] * 50, 0.95)
    assert (same.difference, same.lower, same.upper, same.shadow_better) == (0.0, 0.0, 0.0, False)
    assert paired_difference([1], 0.95).lower is None
    assert paired_difference([], 0.95).difference is None


def shadow_better_by(champion_wins: int, shadow_only: int, n: int) -> tuple[list[GradedBet], list[GradedBet]]:
    """n pairs: both win the first ``champion_wins``, the shadow alone wins the next ``shadow_only``."""
    champion = [i < champion_wins for i in range(n)]
    shadow = [i < champion_wins + shadow_only for i in range(n)]
    return bets(list(champion)), bets(list(shadow))


def test_promotion_candidate_needs_significance_and_the_minimum_of_pairs():
    champion, shadow = shadow_better_by(150, 40, 300)  # 50% vs 63%: clearly better over 300 pairs
    better = compare_shadow("champ", "shadow", "m1", champion, shadow, thresholds(300))
    assert better.difference.shadow_better and better.promotion_candidate
    [alert] = promotion_candidate_alerts(DAY, better)
    assert alert["level"] == "INFO" and alert["kind"] == PROMOTION_CANDIDATE
    assert alert["dedupe_key"] == "promotion_candidate|shadow|m1|INFO"
    assert "300 decided bets" in alert["summary"] and "Nothing is promoted" in alert["summary"]
    # The operator is pointed at the gated promotion of this very model.
    assert "`courtside promote m1 --to champion --reason TEXT`" in alert["summary"]
    assert any("courtside promote m1" in text for text in alert["recommendations"])

    # The same evidence below the minimum of pairs: significant, but no candidate and no alert.
    short = compare_shadow("champ", "shadow", "m1", champion, shadow, thresholds(301))
    assert short.difference.shadow_better and not short.promotion_candidate
    assert promotion_candidate_alerts(DAY, short) == []

    # Enough pairs but not significant (3 more wins in 300): no alert.
    champion, shadow = shadow_better_by(150, 3, 300)
    noise = compare_shadow("champ", "shadow", "m1", champion, shadow, thresholds(300))
    assert noise.decided_pairs == 300 and not noise.difference.shadow_better
    assert promotion_candidate_alerts(DAY, noise) == []

    # A significantly worse shadow is never a candidate.
    champion, shadow = shadow_better_by(150, 40, 300)
    worse = compare_shadow("champ", "shadow", "m1", shadow, champion, thresholds(300))
    assert worse.difference.shadow_worse and promotion_candidate_alerts(DAY, worse) == []


def test_retraining_staleness_warns_after_35_days_while_games_are_scheduled():
    assert DEFAULT_THRESHOLDS.lifecycle.retrain_stale_after_days == 35
    assert retraining_stale_alerts(DAY, DAY - timedelta(days=35), "last retrain", games_scheduled=8) == []
    [alert] = retraining_stale_alerts(DAY, DAY - timedelta(days=36), "last retrain", games_scheduled=8)
    assert (alert["level"], alert["kind"], alert["system_id"]) == ("WARNING", RETRAINING_STALE, "all-systems")
    assert alert["dedupe_key"] == "retraining_stale|all-systems|no-retrain|WARNING"
    assert "36 days" in alert["title"]
    # No games scheduled (off-season) or nothing to measure from: silence.
    assert retraining_stale_alerts(DAY, DAY - timedelta(days=90), "last retrain", games_scheduled=0) == []
    assert retraining_stale_alerts(DAY, None, "last retrain", games_scheduled=8) == []


def test_lifecycle_thresholds_are_validated():
    with pytest.raises(ValueError):
        ModelLifecycle(promotion_min_paired_bets=0)
    with pytest.raises(ValueError):
        ModelLifecycle(retrain_stale_after_days=0)
