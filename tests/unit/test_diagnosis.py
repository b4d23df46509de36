"""Diagnosis on simulated archetypes: clean season, Vegas sharpening, model drift, data quality; gating and
alert dedupe. Drift scores are worked by hand from the formula in shared/domain/diagnosis.py."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.alert_rules import alert_dedupe_key, should_send
from shared.domain.diagnosis import (
    AlertLevel,
    CalibrationSignal,
    DailySignals,
    DataCompleteness,
    PeriodComparison,
    RootCause,
    assess_drift,
    data_quality_level,
    diagnose,
    max_level,
)
from shared.domain.metrics import HitRate, hit_rate

AS_OF = date(2025, 1, 10)


def _clean() -> DailySignals:
    """A healthy system: everything close to its baseline, hit rates straddling break-even or above."""
    return DailySignals(
        as_of=AS_OF,
        hit_rate_7d=hit_rate(160, 300),
        hit_rate_14d=hit_rate(330, 600),
        hit_rate_30d=hit_rate(700, 1300),
        model_mae=PeriodComparison(5.05, 5.0, 300, 2000),
        model_bias=PeriodComparison(0.2, 0.1, 300, 2000),
        model_beats_vegas_pct=PeriodComparison(51.0, 51.5, 300, 2000),
        vegas_mae=PeriodComparison(4.95, 4.9, 300, 2000),
        calibration=CalibrationSignal(brier=0.24, ece=0.03, n=300),
    )


def _vegas_sharp() -> DailySignals:
    return dataclasses.replace(
        _clean(),
        vegas_mae=PeriodComparison(4.4, 4.9, 300, 2000),  # -10.2%
        model_beats_vegas_pct=PeriodComparison(46.0, 52.0, 300, 2000),  # -6 points
    )


def _model_drift() -> DailySignals:
    return dataclasses.replace(
        _clean(),
        model_bias=PeriodComparison(-2.0, 0.1, 300, 2000),  # |bias| grew 1.9 points
        model_mae=PeriodComparison(5.6, 5.0, 300, 2000),  # +12%
        model_beats_vegas_pct=PeriodComparison(47.0, 52.0, 300, 2000),
        vegas_mae=PeriodComparison(4.92, 4.9, 300, 2000),  # Vegas holds
        calibration=CalibrationSignal(brier=0.26, ece=0.06, n=300),
    )


def test_clean_season_is_ok_normal_variance() -> None:
    diagnosis = diagnose(_clean())
    # bias 0.1/2 = 0.05, mae 0.01/0.2 = 0.05, ece 0.03/0.2 = 0.15 -> 0.45*0.05 + 0.35*0.05 + 0.2*0.15 = 0.07
    assert diagnosis.drift_score == pytest.approx(0.07)
    assert diagnosis.root_cause is RootCause.NORMAL_VARIANCE
    assert diagnosis.alert_level is AlertLevel.OK
    # Vegas strength: no MAE drop (0), beats-Vegas down 0.5 -> 0.0625; mean 0.03125.
    assert diagnosis.confidence == pytest.approx(1 - 0.07)
    assert diagnosis.recommendations == ()
    assert diagnosis.gated_by_sample_size is False


def test_seven_day_hit_rate_below_break_even_alone_is_only_info() -> None:
    signals = dataclasses.replace(_clean(), hit_rate_7d=hit_rate(150, 300))  # 50%, CI straddles 52.4%
    diagnosis = diagnose(signals)
    assert diagnosis.alert_level is AlertLevel.INFO
    assert diagnosis.root_cause is RootCause.NORMAL_VARIANCE
    assert any("straddles" in factor for factor in diagnosis.contributing_factors)


def test_hit_rate_interval_entirely_below_break_even_with_enough_decisions_warns() -> None:
    diagnosis = diagnose(dataclasses.replace(_clean(), hit_rate_7d=hit_rate(35, 100)))
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert any("entirely below" in factor for factor in diagnosis.contributing_factors)


def test_two_windows_confirmed_below_break_even_is_critical() -> None:
    signals = dataclasses.replace(_clean(), hit_rate_7d=hit_rate(35, 100), hit_rate_14d=hit_rate(75, 200))
    assert diagnose(signals).alert_level is AlertLevel.CRITICAL


def test_hit_rate_windows_and_their_critical_count_come_from_the_thresholds() -> None:
    from shared.domain.thresholds import DEFAULT_THRESHOLDS, AlertPolicy, DiagnosisWindows

    signals = dataclasses.replace(_clean(), hit_rate_7d=hit_rate(35, 100))
    one_window = dataclasses.replace(DEFAULT_THRESHOLDS, alerts=AlertPolicy(hit_rate_critical_windows=1))
    assert diagnose(signals, one_window).alert_level is AlertLevel.CRITICAL
    five_days = dataclasses.replace(DEFAULT_THRESHOLDS, windows=DiagnosisWindows(hit_rate_days=(5, 14, 30)))
    factors = diagnose(signals, five_days).contributing_factors
    assert any(factor.startswith("5-day hit rate 35.0%") for factor in factors)


def test_hit_rate_below_with_a_small_sample_is_gated_to_info() -> None:
    signals = dataclasses.replace(_clean(), hit_rate_7d=hit_rate(10, 40))  # CI below break-even, n < 100
    diagnosis = diagnose(signals)
    assert (
        signals.hit_rate_7d.upper is not None and signals.hit_rate_7d.upper < signals.hit_rate_7d.break_even
    )
    assert diagnosis.alert_level is AlertLevel.INFO
    assert diagnosis.gated_by_sample_size is True


def test_vegas_sharpening_archetype() -> None:
    diagnosis = diagnose(_vegas_sharp())
    assert diagnosis.root_cause is RootCause.VEGAS_SHARP
    # mean(0.10204 / 0.20, 6 / 8) = mean(0.5102, 0.75)
    assert diagnosis.confidence == pytest.approx((0.5 / 4.9 / 0.20 + 0.75) / 2)
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert any("raise the edge threshold to 5+" in r for r in diagnosis.recommendations)
    assert any("Vegas 7-day MAE 4.40 vs baseline 4.90" in f for f in diagnosis.contributing_factors)


def test_vegas_drop_with_model_getting_worse_is_not_vegas_sharp() -> None:
    signals = dataclasses.replace(_vegas_sharp(), model_mae=PeriodComparison(5.5, 5.0, 300, 2000))
    assert diagnose(signals).root_cause is RootCause.MODEL_DRIFT  # model MAE +10% while Vegas improves


def test_model_drift_archetype() -> None:
    diagnosis = diagnose(_model_drift())
    # bias 1.9/2 = 0.95, mae 0.12/0.2 = 0.6, ece 0.06/0.2 = 0.3 -> 0.4275 + 0.21 + 0.06 = 0.6975
    assert diagnosis.drift_score == pytest.approx(0.6975)
    assert diagnosis.root_cause is RootCause.MODEL_DRIFT
    assert diagnosis.confidence == pytest.approx(0.6975)
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert "retrain the model on recent games" in diagnosis.recommendations
    assert any("under-predicts by 2.00 points" in r for r in diagnosis.recommendations)


def test_severe_model_drift_is_critical() -> None:
    signals = dataclasses.replace(
        _model_drift(),
        model_bias=PeriodComparison(-3.0, 0.1, 300, 2000),
        model_mae=PeriodComparison(6.2, 5.0, 300, 2000),
        calibration=CalibrationSignal(brier=0.3, ece=0.2, n=300),
    )
    diagnosis = diagnose(signals)
    assert diagnosis.drift_score == pytest.approx(1.0)
    assert diagnosis.alert_level is AlertLevel.CRITICAL


def test_errors_growing_for_vegas_too_is_not_model_drift() -> None:
    signals = dataclasses.replace(
        _clean(),
        model_mae=PeriodComparison(5.6, 5.0, 300, 2000),
        vegas_mae=PeriodComparison(5.5, 4.9, 300, 2000),  # +12%: the games got harder for everyone
    )
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.NORMAL_VARIANCE
    assert diagnosis.alert_level in (AlertLevel.OK, AlertLevel.INFO)


def test_model_bias_outgrowing_the_lines_bias_is_model_drift_even_when_vegas_mae_grows() -> None:
    # A league-wide scoring shift: every MAE grows (Vegas +12%), but the books re-centred (their bias moved
    # 0.3 points) while the model's |bias| grew 1.9 points: 1.9 - 0.3 = 1.6 >= 1.0 -> the model drifted.
    signals = dataclasses.replace(
        _model_drift(),
        vegas_mae=PeriodComparison(5.5, 4.9, 300, 2000),
        vegas_bias=PeriodComparison(-1.2, -0.9, 300, 2000),
    )
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.MODEL_DRIFT
    assert diagnosis.drift_score == pytest.approx(0.6975)
    assert diagnosis.alert_level is AlertLevel.WARNING


def test_model_bias_growing_with_the_lines_bias_is_not_model_drift() -> None:
    # Same, but the lines' |bias| grew too (1.2 points): 1.9 - 1.2 = 0.7 < 1.0, and Vegas MAE grew 12%.
    signals = dataclasses.replace(
        _model_drift(),
        vegas_mae=PeriodComparison(5.5, 4.9, 300, 2000),
        vegas_bias=PeriodComparison(-2.1, -0.9, 300, 2000),
    )
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.NORMAL_VARIANCE


def test_model_drift_with_too_few_recent_predictions_is_capped_at_info() -> None:
    drift = _model_drift()
    signals = dataclasses.replace(
        drift,
        model_mae=dataclasses.replace(drift.model_mae, recent_n=40),
        model_bias=dataclasses.replace(drift.model_bias, recent_n=40),
    )
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.MODEL_DRIFT
    assert diagnosis.alert_level is AlertLevel.INFO
    assert diagnosis.gated_by_sample_size is True
    assert diagnosis.confidence == pytest.approx(0.6975 * 40 / 100)


def test_vegas_sharp_with_a_short_baseline_is_capped_at_info() -> None:
    sharp = _vegas_sharp()
    signals = dataclasses.replace(sharp, vegas_mae=dataclasses.replace(sharp.vegas_mae, baseline_n=150))
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.VEGAS_SHARP
    assert diagnosis.alert_level is AlertLevel.INFO


def test_data_quality_takes_precedence_and_recommends_backfills() -> None:
    signals = dataclasses.replace(
        _vegas_sharp(), completeness=DataCompleteness(missing_box_score_dates=(date(2025, 1, 9),))
    )
    diagnosis = diagnose(signals)
    assert diagnosis.root_cause is RootCause.DATA_QUALITY
    assert diagnosis.confidence == 1.0
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert diagnosis.recommendations[0] == "backfill box scores for 2025-01-09"


def test_one_recent_ungraded_date_is_warning_even_with_no_samples() -> None:
    empty = hit_rate(0, 0)
    nothing = PeriodComparison(None, None)
    signals = DailySignals(
        as_of=AS_OF,
        hit_rate_7d=empty,
        hit_rate_14d=empty,
        hit_rate_30d=empty,
        model_mae=nothing,
        model_bias=nothing,
        model_beats_vegas_pct=nothing,
        vegas_mae=nothing,
        completeness=DataCompleteness(ungraded_dates=(date(2025, 1, 9),)),
    )
    diagnosis = diagnose(signals)
    assert diagnosis.drift_score == 0.0
    assert diagnosis.root_cause is RootCause.DATA_QUALITY
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert "re-run grading for 2025-01-09" in diagnosis.recommendations


def test_data_quality_escalation() -> None:
    one_day_old = DataCompleteness(ungraded_dates=(date(2025, 1, 9),))
    two_days_old = DataCompleteness(missing_line_dates=(date(2025, 1, 8),))
    three_days_old = DataCompleteness(ungraded_dates=(date(2025, 1, 7),))
    two_dates = DataCompleteness(
        ungraded_dates=(date(2025, 1, 9),), missing_prediction_dates=(date(2025, 1, 8),)
    )
    same_date_twice = DataCompleteness(
        ungraded_dates=(date(2025, 1, 9),), missing_box_score_dates=(date(2025, 1, 9),)
    )
    assert data_quality_level(DataCompleteness(), AS_OF) is AlertLevel.OK
    assert data_quality_level(one_day_old, AS_OF) is AlertLevel.WARNING
    assert data_quality_level(two_days_old, AS_OF) is AlertLevel.WARNING
    assert data_quality_level(three_days_old, AS_OF) is AlertLevel.CRITICAL
    assert data_quality_level(two_dates, AS_OF) is AlertLevel.CRITICAL
    assert data_quality_level(same_date_twice, AS_OF) is AlertLevel.WARNING


def test_assess_drift_renormalises_over_available_components() -> None:
    signals = dataclasses.replace(
        _clean(),
        model_bias=PeriodComparison(None, None),
        model_mae=PeriodComparison(5.5, 5.0, 300, 2000),  # +10% -> 0.5
        calibration=CalibrationSignal(None, None, 0),
    )
    assessment = assess_drift(signals)
    assert assessment.bias_growth is None
    assert assessment.score == pytest.approx(0.5)


def test_max_level_orders_by_severity() -> None:
    assert max_level([AlertLevel.INFO, AlertLevel.CRITICAL, AlertLevel.WARNING]) is AlertLevel.CRITICAL
    assert max_level([]) is AlertLevel.OK


def test_alert_dedupe_key() -> None:
    key = alert_dedupe_key("diagnosis", "catboost_v1", RootCause.MODEL_DRIFT, AlertLevel.WARNING)
    assert key == "diagnosis|catboost_v1|MODEL_DRIFT|WARNING"
    escalated = alert_dedupe_key("diagnosis", "catboost_v1", RootCause.MODEL_DRIFT, AlertLevel.CRITICAL)
    assert escalated != key
    with pytest.raises(ValueError):
        alert_dedupe_key("diagnosis", "a|b", RootCause.MODEL_DRIFT, AlertLevel.WARNING)
    with pytest.raises(ValueError):
        alert_dedupe_key("", "catboost_v1", RootCause.MODEL_DRIFT, AlertLevel.WARNING)


def test_should_send_respects_cooldown() -> None:
    assert should_send(None, AS_OF) is True
    assert should_send(date(2025, 1, 8), AS_OF) is False  # 2 days < 3
    assert should_send(date(2025, 1, 7), AS_OF) is True  # 3 days
    assert should_send(AS_OF, AS_OF, cooldown_days=0) is True
    assert should_send(AS_OF, AS_OF, cooldown_days=1) is False
    with pytest.raises(ValueError):
        should_send(date(2025, 1, 11), AS_OF)
    with pytest.raises(ValueError):
        should_send(None, AS_OF, cooldown_days=-1)


def _sharp_market_onset() -> DailySignals:
    """The champion's signals on 2026-01-16 in `sharp_market`, seed 42 (a development seed), one game day
    after the onset: the 7-day window holds two days of sharp closes, so Vegas MAE is down 9.9% but
    model-beats-Vegas only 2.8 points (VEGAS_SHARP wants 3), while the 7- and 14-day losses are already
    confirmed (CRITICAL)."""
    return DailySignals(
        as_of=date(2026, 1, 16),
        hit_rate_7d=hit_rate(101, 227),
        hit_rate_14d=hit_rate(205, 435),
        hit_rate_30d=hit_rate(279, 574),
        model_mae=PeriodComparison(4.954, 5.211, 820, 1291),
        model_bias=PeriodComparison(0.026, -0.707, 820, 1291),
        model_beats_vegas_pct=PeriodComparison(40.61, 43.45, 820, 1291),
        vegas_mae=PeriodComparison(4.322, 4.796, 820, 1291),
        vegas_bias=PeriodComparison(-0.665, -0.895, 820, 1291),
        calibration=CalibrationSignal(brier=0.288, ece=0.156, n=818),
    )


def test_confirmed_losses_as_the_market_sharpens_name_vegas_sharp_not_normal_variance() -> None:
    # Issue 11 finding 9: this CRITICAL used to name NORMAL_VARIANCE ("nothing is wrong").
    diagnosis = diagnose(_sharp_market_onset())
    assert diagnosis.alert_level is AlertLevel.CRITICAL  # the level is the hit rates': unchanged
    assert diagnosis.root_cause is RootCause.VEGAS_SHARP
    assert any("raise the edge threshold" in r for r in diagnosis.recommendations)
    assert any(
        "losses attributed to VEGAS_SHARP: line MAE improvement +9.9%, model MAE deterioration -4.9%" in f
        for f in diagnosis.contributing_factors
    )


def test_confirmed_losses_while_the_models_errors_grow_name_model_drift() -> None:
    # Model MAE +5% (below the 8% MODEL_DRIFT signal), the line's steady: the model moved.
    signals = dataclasses.replace(
        _clean(), hit_rate_7d=hit_rate(35, 100), model_mae=PeriodComparison(5.25, 5.0, 300, 2000)
    )
    diagnosis = diagnose(signals)
    assert (diagnosis.alert_level, diagnosis.root_cause) == (AlertLevel.WARNING, RootCause.MODEL_DRIFT)


def test_confirmed_losses_with_nothing_moved_are_unexplained_not_normal_variance() -> None:
    diagnosis = diagnose(dataclasses.replace(_clean(), hit_rate_7d=hit_rate(35, 100)))
    assert diagnosis.alert_level is AlertLevel.WARNING
    assert diagnosis.root_cause is RootCause.UNEXPLAINED_UNDERPERFORMANCE
    assert any("neither the model's nor the line's errors moved" in r for r in diagnosis.recommendations)


def test_losses_not_confirmed_stay_normal_variance_at_info() -> None:
    signals = dataclasses.replace(
        _sharp_market_onset(), hit_rate_7d=hit_rate(110, 227), hit_rate_14d=hit_rate(220, 435)
    )
    diagnosis = diagnose(signals)
    assert (diagnosis.alert_level, diagnosis.root_cause) == (AlertLevel.INFO, RootCause.NORMAL_VARIANCE)


_comparisons = st.builds(
    PeriodComparison,
    st.none() | st.floats(-3, 9, allow_nan=False),
    st.none() | st.floats(-3, 9, allow_nan=False),
    st.integers(0, 2000),
    st.integers(0, 2000),
)
_rates = st.builds(lambda n, share: hit_rate(round(n * share), n), st.integers(0, 600), st.floats(0, 1))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    rates=st.tuples(_rates, _rates, _rates),
    comparisons=st.tuples(_comparisons, _comparisons, _comparisons, _comparisons, _comparisons),
)
def test_a_warning_or_critical_never_names_normal_variance(
    rates: tuple[HitRate, HitRate, HitRate], comparisons: tuple[PeriodComparison, ...]
) -> None:
    model_mae, model_bias, beats, vegas_mae, vegas_bias = comparisons
    signals = DailySignals(AS_OF, *rates, model_mae, model_bias, beats, vegas_mae, vegas_bias=vegas_bias)
    diagnosis = diagnose(signals)
    if diagnosis.alert_level in (AlertLevel.WARNING, AlertLevel.CRITICAL):
        assert diagnosis.root_cause is not RootCause.NORMAL_VARIANCE
