"""The threshold set: documented defaults and construction-time validation."""

from __future__ import annotations

import dataclasses

import pytest

from shared.domain.thresholds import (
    BREAK_EVEN_110,
    DEFAULT_THRESHOLDS,
    DriftThresholds,
    RegimeBands,
    SharpnessBands,
    TierCutoffs,
)


def test_break_even_solves_minus_110() -> None:
    # A bettor winning with probability p at -110 breaks even when p * 100 == (1 - p) * 110.
    assert BREAK_EVEN_110 * 100 == pytest.approx((1 - BREAK_EVEN_110) * 110)
    assert DEFAULT_THRESHOLDS.betting.break_even_probability == BREAK_EVEN_110


def test_defaults_match_docs() -> None:
    t = DEFAULT_THRESHOLDS
    assert (t.sharpness.very_sharp_below, t.sharpness.sharp_below, t.sharpness.normal_below) == (45, 50, 55)
    assert (t.regime.tight_below, t.regime.loose_above, t.regime.window_days) == (4.5, 5.5, 7)
    assert (t.tiers.star_min_points, t.tiers.starter_min_points, t.tiers.rotation_min_points) == (22, 14, 6)
    assert (t.edges.high_points, t.edges.recommended_when_vegas_sharp) == (5.0, 5.0)
    assert t.calibration.n_bins == 10
    assert t.alerts.cooldown_days == 3


@pytest.mark.parametrize(
    "build",
    [
        lambda: SharpnessBands(very_sharp_below=50.0, sharp_below=45.0),
        lambda: RegimeBands(tight_below=6.0, loose_above=5.5),
        lambda: TierCutoffs(star_min_points=10.0),
        lambda: DriftThresholds(score_warning=0.9, score_critical=0.8),
        lambda: dataclasses.replace(DEFAULT_THRESHOLDS.betting, break_even_probability=1.2),
    ],
)
def test_inconsistent_thresholds_fail_at_construction(build: object) -> None:
    with pytest.raises(ValueError, match="invalid threshold"):
        build()  # type: ignore[operator]
