"""Unit tests of the recommendation policy and residual model (shared.domain.recommendation)."""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import pytest

from shared.domain.recommendation import (
    DEFAULT_MIN_EDGE,
    ResidualModel,
    break_even_probability,
    compute_edge,
    decide,
    recommend,
)
from shared.domain.vocabulary import Recommendation

PHI_HALF = 0.6914624612740131  # standard normal CDF at 0.5


def unit_normal_model() -> ResidualModel:
    """A single centre with bandwidth 1 is exactly N(0, 1): easy to check by hand."""
    return ResidualModel(centres=(0.0,), bandwidth=1.0, n_residuals=1, mean=0.0, std=1.0)


# --- break-even and edge -------------------------------------------------------------------------


def test_break_even_at_minus_110_is_52_38_percent() -> None:
    assert break_even_probability(-110) == pytest.approx(110 / 210)
    assert round(break_even_probability(-110), 4) == 0.5238
    assert break_even_probability(100) == 0.5
    assert break_even_probability(150) == pytest.approx(0.4)
    with pytest.raises(ValueError):
        break_even_probability(0)


def test_default_min_edge() -> None:
    assert DEFAULT_MIN_EDGE == 3.0


def test_edge_is_predicted_minus_line() -> None:
    assert compute_edge(24.25, 21.5) == 2.75
    assert compute_edge(18.0, 21.5) == -3.5
    assert compute_edge(18.0, None) is None


def test_edge_refuses_averaged_line_and_non_finite_prediction() -> None:
    with pytest.raises(ValueError, match=r"13\.847"):
        compute_edge(15.0, 13.847)
    with pytest.raises(ValueError, match="finite"):
        compute_edge(math.nan, 13.5)


# --- recommendation boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "line", "expected"),
    [
        (24.5, 21.5, Recommendation.OVER),  # edge exactly +3.0
        (24.7, 21.5, Recommendation.OVER),  # edge 3.2
        (24.49, 21.5, Recommendation.PASS),  # edge 2.99
        (18.5, 21.5, Recommendation.UNDER),  # edge exactly -3.0
        (18.51, 21.5, Recommendation.PASS),  # edge -2.99
        (21.5, 21.5, Recommendation.PASS),
        (30.0, 21.0, Recommendation.OVER),
        (10.0, 21.0, Recommendation.UNDER),
        (21.5, None, Recommendation.NO_LINE),
    ],
)
def test_recommendation_boundaries(predicted: float, line: float | None, expected: Recommendation) -> None:
    assert recommend(predicted, line) is expected


def test_edge_exactly_at_min_edge_survives_float_noise() -> None:
    # Predictions come out of float arithmetic: 24.5 may arrive as 24.499999999999996.
    assert recommend(24.5 - 1e-12, 21.5) is Recommendation.OVER
    assert recommend(18.5 + 1e-12, 21.5) is Recommendation.UNDER
    assert recommend(24.5 - 1e-6, 21.5) is Recommendation.PASS


def test_custom_min_edge() -> None:
    assert recommend(23.5, 21.5, min_edge=2.0) is Recommendation.OVER
    assert recommend(23.4, 21.5, min_edge=2.0) is Recommendation.PASS
    with pytest.raises(ValueError):
        recommend(23.5, 21.5, min_edge=0.0)


# --- P(over) and the push ------------------------------------------------------------------------


def test_half_line_has_no_push() -> None:
    outcome = unit_normal_model().probabilities(predicted=20.0, line=20.5)
    assert outcome.p_push == 0.0
    assert outcome.p_over == pytest.approx(1 - PHI_HALF)
    assert outcome.p_under == pytest.approx(PHI_HALF)


def test_whole_line_excludes_push_mass_from_over_and_under() -> None:
    # actual == 20 is the residual in [-0.5, 0.5): push = Phi(0.5) - Phi(-0.5).
    outcome = unit_normal_model().probabilities(predicted=20.0, line=20.0)
    assert outcome.p_over == pytest.approx(1 - PHI_HALF)
    assert outcome.p_under == pytest.approx(1 - PHI_HALF)
    assert outcome.p_push == pytest.approx(2 * PHI_HALF - 1)
    assert outcome.p_over + outcome.p_under + outcome.p_push == pytest.approx(1.0)
    assert unit_normal_model().p_over(20.0, 20.0) == pytest.approx(0.3085375387)


def test_whole_line_over_needs_one_more_point() -> None:
    # Predicted 21, line 20: over means actual >= 21, i.e. residual >= -0.5.
    outcome = unit_normal_model().probabilities(predicted=21.0, line=20.0)
    assert outcome.p_over == pytest.approx(PHI_HALF)
    assert outcome.p_under == pytest.approx(1 - NormalDist().cdf(1.5))
    assert outcome.p_push == pytest.approx(NormalDist().cdf(-0.5) - NormalDist().cdf(-1.5))


def test_probabilities_move_with_prediction() -> None:
    model = unit_normal_model()
    assert model.p_over(19.0, 20.5) < model.p_over(20.0, 20.5) < model.p_over(22.0, 20.5)


def test_probabilities_refuse_averaged_line() -> None:
    with pytest.raises(ValueError):
        unit_normal_model().probabilities(20.0, 20.847)


# --- fitting and serialisation -------------------------------------------------------------------


def test_fit_summarises_residuals_by_quantile_centres_and_silverman_bandwidth() -> None:
    residuals = [float(value) for value in range(-50, 50)]  # 100 residuals, mean -0.5
    model = ResidualModel.fit(residuals)
    assert model.n_residuals == 100
    assert len(model.centres) == 100
    assert model.mean == -0.5
    # quantile 0.005 of -50..49 by linear interpolation: -50 + 0.005 * 99
    assert model.centres[0] == pytest.approx(-49.505)
    assert model.centres[-1] == pytest.approx(48.505)
    sample_std = math.sqrt(100 * 101 / 12)  # sample sd of 100 consecutive integers
    assert model.std == pytest.approx(sample_std)
    # IQR / 1.34 = 49.5 / 1.34 > sd, so Silverman uses the sd
    assert model.bandwidth == pytest.approx(0.9 * sample_std * 100 ** (-1 / 5))


def test_fit_is_calibrated_on_normal_residuals() -> None:
    spread = NormalDist(0.0, 6.0)
    residuals = [spread.inv_cdf((index + 0.5) / 2000) for index in range(2000)]
    model = ResidualModel.fit(residuals)
    smoothed = NormalDist(0.0, math.sqrt(36.0 + model.bandwidth**2))
    # line 20.5, predicted 23.5: over means residual > -3
    assert model.p_over(23.5, 20.5) == pytest.approx(1 - smoothed.cdf(-3.0), abs=0.01)
    assert model.p_over(23.5, 20.5) == pytest.approx(0.69, abs=0.02)


def test_fit_keeps_skew() -> None:
    # Right-skewed residuals: mean +0.8 yet only 40% are above 0. A normal with the same mean and sd would
    # say P(residual > 0) > 0.5; the smoothed empirical model must stay near the observed 0.4.
    residuals = [-2.0] * 60 + [2.0] * 30 + [14.0] * 10
    model = ResidualModel.fit(residuals)
    assert model.mean == pytest.approx(0.8)
    assert 1 - NormalDist(model.mean, model.std).cdf(0.0) > 0.55
    assert 1 - model.cdf(0.0) == pytest.approx(0.4, abs=0.03)


def test_fit_needs_enough_finite_residuals() -> None:
    with pytest.raises(ValueError, match="at least 30"):
        ResidualModel.fit([1.0] * 29)
    with pytest.raises(ValueError, match="finite"):
        ResidualModel.fit([1.0] * 40 + [math.inf])


def test_constant_residuals_get_the_minimum_bandwidth() -> None:
    model = ResidualModel.fit([2.0] * 40)
    assert model.bandwidth == 0.25
    assert model.cdf(2.0) == pytest.approx(0.5)


def test_residual_model_round_trips_through_json() -> None:
    model = ResidualModel.fit([float(value % 17 - 8) for value in range(300)])
    restored = ResidualModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert restored == model
    assert restored.p_over(20.0, 19.5) == model.p_over(20.0, 19.5)


def test_from_dict_refuses_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        ResidualModel.from_dict({"kind": "normal", "centres": [0.0]})


# --- decision and confidence ---------------------------------------------------------------------


def test_decide_over_confidence_is_p_over() -> None:
    result = decide(24.0, 20.5, unit_normal_model())
    assert result.recommendation is Recommendation.OVER
    assert result.edge == 3.5
    assert result.p_over == pytest.approx(NormalDist().cdf(3.5))
    assert result.confidence == result.p_over


def test_decide_under_confidence_is_p_under() -> None:
    result = decide(17.0, 20.0, unit_normal_model())
    assert result.recommendation is Recommendation.UNDER
    assert result.edge == -3.0
    assert result.p_under == pytest.approx(NormalDist().cdf(2.5))  # actual <= 19: residual < 2.5
    assert result.confidence == result.p_under


def test_decide_pass_stores_the_more_likely_side() -> None:
    result = decide(21.0, 20.5, unit_normal_model())
    assert result.recommendation is Recommendation.PASS
    assert result.p_over is not None
    assert result.p_under is not None
    assert result.confidence == max(result.p_over, result.p_under) == pytest.approx(PHI_HALF)


def test_decide_without_line() -> None:
    result = decide(21.0, None, unit_normal_model())
    assert result.recommendation is Recommendation.NO_LINE
    assert (result.edge, result.p_over, result.p_under, result.p_push, result.confidence) == (None,) * 5


def test_confidence_is_always_a_probability() -> None:
    model = ResidualModel.fit([float((value * 7) % 23 - 11) for value in range(200)])
    for predicted in [0.0, 2.5, 9.9, 15.0, 21.5, 30.0, 48.0, 75.0]:
        for line in [0.5, 3.0, 10.5, 21.0, 21.5, 35.5, 60.0]:
            result = decide(predicted, line, model)
            assert result.confidence is not None
            assert 0.0 <= result.confidence <= 1.0
            assert result.p_over is not None and result.p_under is not None and result.p_push is not None
            assert result.p_over + result.p_under + result.p_push == pytest.approx(1.0)
            assert min(result.p_over, result.p_under, result.p_push) >= 0.0


def test_min_edge_has_one_definition() -> None:
    from shared.domain.thresholds import DEFAULT_THRESHOLDS, MIN_EDGE_POINTS
    from shared.settings import Settings

    assert DEFAULT_MIN_EDGE == MIN_EDGE_POINTS
    assert Settings().min_edge == Settings.from_env({}).min_edge == MIN_EDGE_POINTS
    assert DEFAULT_THRESHOLDS.edges.moderate_points == MIN_EDGE_POINTS
    assert Settings.from_env({"COURTSIDE_MIN_EDGE": "4.5"}).min_edge == 4.5
