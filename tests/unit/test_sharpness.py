"""Sharpness bands, regimes and tiers at their boundaries; a hand-computed sharpness summary."""

from __future__ import annotations

import math
from datetime import date

import pytest

from shared.domain.sharpness import (
    MarketRegime,
    PlayerGame,
    PlayerTier,
    SharpnessRow,
    SharpnessStatus,
    market_regime,
    player_tier,
    player_tier_on,
    sharpness_status,
    summarise_sharpness,
    summarise_sharpness_by_tier,
    tier_window,
)
from shared.domain.vocabulary import Recommendation


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (0.0, SharpnessStatus.VERY_SHARP),
        (44.99, SharpnessStatus.VERY_SHARP),
        (45.0, SharpnessStatus.SHARP),
        (49.99, SharpnessStatus.SHARP),
        (50.0, SharpnessStatus.NORMAL),
        (54.99, SharpnessStatus.NORMAL),
        (55.0, SharpnessStatus.SOFT),
        (100.0, SharpnessStatus.SOFT),
    ],
)
def test_sharpness_status_boundaries(score: float, status: SharpnessStatus) -> None:
    assert sharpness_status(score) is status


def test_sharpness_status_rejects_a_share_instead_of_a_percent() -> None:
    with pytest.raises(ValueError):
        sharpness_status(-0.1)
    with pytest.raises(ValueError):
        sharpness_status(100.5)


@pytest.mark.parametrize(
    ("mae", "regime"),
    [
        (3.0, MarketRegime.TIGHT),
        (4.49, MarketRegime.TIGHT),
        (4.5, MarketRegime.NORMAL),
        (5.5, MarketRegime.NORMAL),
        (5.51, MarketRegime.LOOSE),
    ],
)
def test_market_regime_boundaries(mae: float, regime: MarketRegime) -> None:
    assert market_regime(mae) is regime


@pytest.mark.parametrize(
    ("points", "tier"),
    [
        (30.0, PlayerTier.STAR),
        (22.0, PlayerTier.STAR),
        (21.99, PlayerTier.STARTER),
        (14.0, PlayerTier.STARTER),
        (13.99, PlayerTier.ROTATION),
        (6.0, PlayerTier.ROTATION),
        (5.99, PlayerTier.BENCH),
        (0.0, PlayerTier.BENCH),
    ],
)
def test_player_tier_boundaries(points: float, tier: PlayerTier) -> None:
    assert player_tier(points) is tier


def test_tier_window_is_the_60_days_before_the_date() -> None:
    assert tier_window(date(2025, 3, 1)) == (date(2024, 12, 31), date(2025, 2, 28))


def test_player_tier_on_uses_only_qualifying_games_before_the_date() -> None:
    games = [
        PlayerGame(date(2025, 2, 28), 30, 35.0),  # day before: counts
        PlayerGame(date(2024, 12, 31), 20, 30.0),  # 60 days before: counts
        PlayerGame(date(2024, 12, 30), 50, 40.0),  # 61 days before: outside
        PlayerGame(date(2025, 3, 1), 60, 38.0),  # the date itself: never (leakage)
        PlayerGame(date(2025, 2, 10), 40, 10.0),  # exactly 10 minutes: not over 10
        PlayerGame(date(2025, 2, 11), 16, 10.5),  # counts
    ]
    # (30 + 20 + 16) / 3 = 22.0 -> exactly the Star cut-off.
    assert player_tier_on(games, date(2025, 3, 1)) is PlayerTier.STAR
    assert player_tier_on(games[2:5], date(2025, 3, 1)) is None


def _rows() -> list[SharpnessRow]:
    return [
        SharpnessRow(24.0, 21.5, 25, Recommendation.OVER, True),  # model -1, vegas -3.5, edge 2.5, beats
        SharpnessRow(16.0, 21.5, 18, Recommendation.UNDER, True),  # model -2, vegas 3.5, edge -5.5, beats
        SharpnessRow(27.0, 21.0, 21, Recommendation.OVER, None),  # push; model 6, vegas 0, edge 6
        SharpnessRow(20.0, 19.5, 12, Recommendation.PASS, None),  # model 8, vegas 7.5, edge 0.5
        SharpnessRow(30.0, 24.5, 22, Recommendation.OVER, False),  # model 8, vegas 2.5, edge 5.5
    ]


def test_summarise_sharpness_hand_computed() -> None:
    summary = summarise_sharpness(_rows())
    assert (summary.n_rows, summary.n_bets, summary.n_pushes) == (5, 4, 1)
    assert summary.model_beats_vegas_pct == pytest.approx(40.0)
    assert summary.sharpness_score == pytest.approx(40.0)
    assert summary.status is SharpnessStatus.VERY_SHARP

    assert summary.model.mae == pytest.approx(5.0)  # (1 + 2 + 6 + 8 + 8) / 5
    assert summary.model.bias == pytest.approx(3.8)  # 19 / 5
    assert summary.model.within_3 == pytest.approx(0.4)
    assert summary.model.within_5 == pytest.approx(0.4)

    assert summary.vegas.mae == pytest.approx(3.4)  # (3.5 + 3.5 + 0 + 7.5 + 2.5) / 5
    assert summary.vegas.bias == pytest.approx(2.0)
    assert summary.vegas.std == pytest.approx(math.sqrt(67 / 4))  # squared deviations from 2.0 sum to 67
    assert summary.vegas.within_3 == pytest.approx(0.4)
    assert summary.vegas.within_5 == pytest.approx(0.8)

    assert summary.edges.share_moderate_edge == pytest.approx(0.6)  # 5.5, 6, 5.5 of 5
    assert summary.edges.share_high_edge == pytest.approx(0.6)
    assert summary.edges.mean_abs_edge == pytest.approx(4.0)  # (2.5 + 5.5 + 6 + 0.5 + 5.5) / 5

    assert (summary.win_rate.wins, summary.win_rate.n) == (2, 3)  # the push is not decided
    assert (summary.high_edge_win_rate.wins, summary.high_edge_win_rate.n) == (1, 2)


def test_summarise_sharpness_empty() -> None:
    summary = summarise_sharpness([])
    assert summary.n_rows == 0
    assert summary.model_beats_vegas_pct is None
    assert summary.status is None
    assert summary.vegas.mae is None
    assert summary.edges.mean_abs_edge is None
    assert summary.win_rate.n == 0 and summary.win_rate.rate is None


def test_summarise_by_tier_includes_all_and_empty_tiers() -> None:
    rows = _rows()
    by_tier = summarise_sharpness_by_tier(
        [(PlayerTier.STAR, rows[0]), (None, rows[1]), (PlayerTier.BENCH, rows[2])]
    )
    assert set(by_tier) == set(PlayerTier)
    assert by_tier[PlayerTier.ALL].n_rows == 3
    assert by_tier[PlayerTier.STAR].n_rows == 1
    assert by_tier[PlayerTier.BENCH].n_rows == 1
    assert by_tier[PlayerTier.STARTER].n_rows == 0
    with pytest.raises(ValueError):
        summarise_sharpness_by_tier([(PlayerTier.ALL, rows[0])])
