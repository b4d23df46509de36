"""The alert policy of shared/domain/alert_rules.py: which alerts a diagnosed day raises, their dedupe keys
and scope. (Key format and cooldown: tests/unit/test_diagnosis.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from shared.domain.alert_rules import (
    ALL_SYSTEMS,
    DiagnosedDay,
    market_change_alerts,
    once_per_key,
    performance_alerts,
    performance_scope,
    raised_alerts,
)
from shared.domain.diagnosis import AlertLevel, DailySignals, Diagnosis, PeriodComparison, RootCause
from shared.domain.metrics import hit_rate
from shared.domain.sharpness import UNKNOWN_MARKET, MarketRegime, MarketState, SharpnessStatus

D = date(2026, 3, 1)
PREVIOUS = date(2026, 2, 28)
NO_CHANGE = PeriodComparison(None, None)


def _day(
    level: AlertLevel = AlertLevel.OK,
    cause: RootCause = RootCause.NORMAL_VARIANCE,
    previous: MarketState = UNKNOWN_MARKET,
    now: MarketState = UNKNOWN_MARKET,
) -> DiagnosedDay:
    signals = DailySignals(
        as_of=D,
        hit_rate_7d=hit_rate(55, 100),
        hit_rate_14d=hit_rate(0, 0),
        hit_rate_30d=hit_rate(0, 0),
        model_mae=NO_CHANGE,
        model_bias=NO_CHANGE,
        model_beats_vegas_pct=NO_CHANGE,
        vegas_mae=NO_CHANGE,
    )
    diagnosis = Diagnosis(D, 0.25, cause, 0.5, level, ("factor one", "factor two"), ("do this",), False)
    return DiagnosedDay(D, "sys_a", signals, diagnosis, now, previous, PREVIOUS, problem_date_count=2)


def test_only_warning_and_critical_raise_a_performance_alert() -> None:
    assert performance_alerts(_day(AlertLevel.OK)) == []
    assert performance_alerts(_day(AlertLevel.INFO, RootCause.MODEL_DRIFT)) == []
    (warning,) = performance_alerts(_day(AlertLevel.WARNING, RootCause.MODEL_DRIFT))
    assert warning["dedupe_key"] == "performance|sys_a|MODEL_DRIFT|WARNING"
    assert (warning["level"], warning["kind"], warning["system_id"]) == ("WARNING", "performance", "sys_a")
    assert warning["summary"] == "factor one; factor two"
    assert warning["recommendations"] == ("do this",)
    assert warning["facts"]["Hit rate 7d"] == "55.0% (n=100)"
    assert warning["facts"]["Hit rate 30d"] == "n/a"
    assert warning["facts"]["Problem dates"] == "2"


def test_data_quality_is_the_deployments_alert_not_one_per_system() -> None:
    assert performance_scope("sys_a", RootCause.DATA_QUALITY) == ALL_SYSTEMS
    assert performance_scope("sys_a", RootCause.VEGAS_SHARP) == "sys_a"
    (alert,) = performance_alerts(_day(AlertLevel.CRITICAL, RootCause.DATA_QUALITY))
    assert alert["dedupe_key"] == "performance|all-systems|DATA_QUALITY|CRITICAL"
    assert alert["system_id"] == "sys_a"  # the alert still says which system's diagnosis raised it


def test_a_market_change_needs_both_states_known_and_different() -> None:
    soft_tight = MarketState(SharpnessStatus.SOFT, MarketRegime.TIGHT, 56.0, 600, 4.2, 400)
    sharp_tight = MarketState(SharpnessStatus.SHARP, MarketRegime.TIGHT, 48.25, 610, 4.3, 410)
    assert market_change_alerts(_day(previous=UNKNOWN_MARKET, now=sharp_tight)) == []
    assert market_change_alerts(_day(previous=soft_tight, now=UNKNOWN_MARKET)) == []
    assert market_change_alerts(_day(previous=soft_tight, now=soft_tight)) == []
    (change,) = market_change_alerts(_day(previous=soft_tight, now=sharp_tight))
    assert change["dedupe_key"] == "sharpness_status|sys_a|SOFT->SHARP|INFO"
    assert change["level"] == "INFO" and change["recommendations"] == ()
    assert change["summary"] == (
        "Rolling sharpness status was SOFT on 2026-02-28 and is SHARP on 2026-03-01 "
        "(model beats the line in 48.2% of 610 graded lines)."
    )


def test_raised_alerts_put_performance_first_then_status_then_regime() -> None:
    before = MarketState(SharpnessStatus.SOFT, MarketRegime.TIGHT, 56.0, 600, 4.2, 400)
    after = replace(before, status=SharpnessStatus.NORMAL, regime=MarketRegime.LOOSE, regime_mae=5.75)
    kinds = [a["kind"] for a in raised_alerts(_day(AlertLevel.WARNING, RootCause.VEGAS_SHARP, before, after))]
    assert kinds == ["performance", "sharpness_status", "market_regime"]
    regime = raised_alerts(_day(previous=before, now=after))[-1]
    # The market's change, not the system's: one key for every system that sees it.
    assert regime["dedupe_key"] == "market_regime|all-systems|TIGHT->LOOSE|INFO"
    assert regime["title"] == f"Market: Rolling market regime changed TIGHT -> LOOSE on {D}"
    assert regime["system_id"] == "sys_a"  # whose diagnosis raised it
    assert "Vegas MAE 5.75 over 400 graded lines" in regime["summary"]


def test_once_per_key_keeps_the_first_alert_of_each_key_in_order() -> None:
    alerts = [
        {"dedupe_key": "market_regime|all-systems|TIGHT->LOOSE|INFO", "system_id": "sys_a"},
        {"dedupe_key": "sharpness_status|sys_b|SOFT->SHARP|INFO", "system_id": "sys_b"},
        {"dedupe_key": "market_regime|all-systems|TIGHT->LOOSE|INFO", "system_id": "sys_b"},
    ]
    assert once_per_key(alerts) == alerts[:2]
