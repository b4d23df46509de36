"""Daily diagnosis of a prediction system: drift score, root cause, alert level, recommendations.

Inputs are the day's already-computed signals (``DailySignals``); everything here is arithmetic on them.

Drift score (0-1) = weighted mean, over the components that are available, of
  bias    clip((|recent bias| - |baseline bias|) / bias_growth_saturation, 0, 1)
  mae     clip((recent MAE / baseline MAE - 1) / mae_growth_saturation, 0, 1)
  calib.  clip(recent ECE / ece_saturation, 0, 1)
with weights 0.45 / 0.35 / 0.20 (docs/thresholds.md).

Root cause, first match wins:
  DATA_QUALITY     any date with games but nothing graded / missing box scores / predictions / lines.
  VEGAS_SHARP      7-day Vegas MAE dropped >= 8% vs baseline, model-beats-Vegas dropped >= 3 points (when
                   known) and model MAE did not grow >= 8%. Strength = mean of the two drop components.
  MODEL_DRIFT      |bias| grew >= 1 point or model MAE grew >= 8%, while Vegas MAE grew no more than 5%
                   (otherwise the games got harder for everyone) OR the model's |bias| grew at least 1 point
                   more than the line's |bias| (the market followed a change the model did not: e.g. a
                   league-wide scoring shift raises everyone's MAE, but books re-centre within days while
                   the model keeps under-predicting). Strength = drift score.
                   (If both VEGAS_SHARP and MODEL_DRIFT qualify, the stronger wins.)
  NORMAL_VARIANCE  otherwise, while the level stays OK/INFO.
When neither qualifies but the hit rates raise the level to WARNING/CRITICAL (the losses are confirmed, so
"normal variance" would say nothing is wrong when something is), the hit rate is the model against the line,
and the side that moved explains it (``attribute_underperformance``): the line's 7-day MAE improvement
against the model's 7-day MAE deterioration, both relative to their baselines, and the model's |bias| growth
beyond the line's:
  VEGAS_SHARP      the line improved by at least ``attribution_min_move`` and by more than the model worsened
                   (a sharper market: the model's errors did not grow, the line's shrank);
  MODEL_DRIFT      the model worsened by at least that much and by more than the line improved, or its |bias|
                   grew at least ``bias_growth_over_vegas_signal`` more than the line's;
  UNEXPLAINED_UNDERPERFORMANCE  neither moved enough to say (or the errors are not known): the losses are
                   real, their cause is not in the signals. Never NORMAL_VARIANCE on a WARNING/CRITICAL.
Confidence = strength x sample factor (min over the relevant series of n / minimum, capped at 1);
DATA_QUALITY is observed, not inferred, so its confidence is 1.

Alert level = max of:
  data quality     WARNING; CRITICAL from 2 problem dates or when the oldest is more than 2 days old.
  hit rates        per window (7/14/30): Wilson interval entirely below break-even with n >= minimum ->
                   WARNING (2+ such windows -> CRITICAL); a point rate below break-even otherwise -> INFO.
  cause            MODEL_DRIFT by drift score (>= 0.8 CRITICAL, >= 0.5 WARNING, else INFO); VEGAS_SHARP
                   WARNING; NORMAL_VARIANCE INFO when the drift score >= 0.3, else OK. A cause attributed from
                   the hit rates (above) does not raise the level further: the hit rates set it.
Statistical signals whose samples are below the minimums are capped at INFO (no false alarms from noise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from shared.domain.metrics import BreakEvenPosition, HitRate
from shared.domain.thresholds import DEFAULT_THRESHOLDS, AlertPolicy, Thresholds


class RootCause(StrEnum):
    VEGAS_SHARP = "VEGAS_SHARP"
    MODEL_DRIFT = "MODEL_DRIFT"
    DATA_QUALITY = "DATA_QUALITY"
    UNEXPLAINED_UNDERPERFORMANCE = "UNEXPLAINED_UNDERPERFORMANCE"
    NORMAL_VARIANCE = "NORMAL_VARIANCE"


class AlertLevel(StrEnum):
    OK = "OK"
    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {AlertLevel.OK: 0, AlertLevel.INFO: 1, AlertLevel.WARNING: 2, AlertLevel.CRITICAL: 3}


def max_level(levels: Iterable[AlertLevel]) -> AlertLevel:
    return max(levels, key=lambda level: level.severity, default=AlertLevel.OK)


def _cap(level: AlertLevel, cap: AlertLevel) -> AlertLevel:
    return level if level.severity <= cap.severity else cap


def _clip01(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True)
class PeriodComparison:
    """One metric in the recent window against its baseline, with the sample size behind each."""

    recent: float | None
    baseline: float | None
    recent_n: int = 0
    baseline_n: int = 0

    @property
    def change(self) -> float | None:
        if self.recent is None or self.baseline is None:
            return None
        return self.recent - self.baseline

    @property
    def relative_change(self) -> float | None:
        """recent / baseline - 1; None when either is missing or the baseline is 0."""
        if self.recent is None or self.baseline is None or self.baseline == 0:
            return None
        return self.recent / self.baseline - 1.0


@dataclass(frozen=True)
class CalibrationSignal:
    brier: float | None
    ece: float | None
    n: int = 0


@dataclass(frozen=True)
class DataCompleteness:
    """Dates (US Eastern) that should be complete but are not. Pass only dates whose games are final."""

    ungraded_dates: tuple[date, ...] = ()  # games were played but nothing was graded
    missing_box_score_dates: tuple[date, ...] = ()
    missing_prediction_dates: tuple[date, ...] = ()
    missing_line_dates: tuple[date, ...] = ()

    @property
    def problem_dates(self) -> tuple[date, ...]:
        return tuple(
            sorted(
                set(self.ungraded_dates)
                | set(self.missing_box_score_dates)
                | set(self.missing_prediction_dates)
                | set(self.missing_line_dates)
            )
        )

    @property
    def has_problems(self) -> bool:
        return bool(self.problem_dates)


@dataclass(frozen=True)
class DailySignals:
    """The day's computed signals. ``model_beats_vegas_pct`` is on 0-100; ``vegas_mae`` is the 7-day Vegas MAE
    against its baseline; ``model_mae`` / ``model_bias`` are recent vs baseline for the model."""

    as_of: date
    hit_rate_7d: HitRate
    hit_rate_14d: HitRate
    hit_rate_30d: HitRate
    model_mae: PeriodComparison
    model_bias: PeriodComparison
    model_beats_vegas_pct: PeriodComparison
    vegas_mae: PeriodComparison
    calibration: CalibrationSignal = field(default_factory=lambda: CalibrationSignal(None, None, 0))
    completeness: DataCompleteness = field(default_factory=DataCompleteness)
    # Mean signed error of the line (line - actual), recent vs baseline; None values = not known.
    vegas_bias: PeriodComparison = field(default_factory=lambda: PeriodComparison(None, None))


@dataclass(frozen=True)
class DriftAssessment:
    """Drift score and the raw signals behind it (None = not available)."""

    score: float
    bias_growth: float | None  # |recent bias| - |baseline bias|, points
    mae_growth: float | None  # recent / baseline - 1
    ece: float | None


@dataclass(frozen=True)
class Diagnosis:
    as_of: date
    drift_score: float
    root_cause: RootCause
    confidence: float
    alert_level: AlertLevel
    contributing_factors: tuple[str, ...]
    recommendations: tuple[str, ...]
    # True when a statistical signal would have alerted above INFO but its sample was below the minimum.
    gated_by_sample_size: bool


def assess_drift(signals: DailySignals, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> DriftAssessment:
    """Drift score per the module docstring."""
    drift = thresholds.drift
    bias = signals.model_bias
    bias_growth = (
        abs(bias.recent) - abs(bias.baseline)
        if bias.recent is not None and bias.baseline is not None
        else None
    )
    mae_growth = signals.model_mae.relative_change
    ece = signals.calibration.ece
    weighted: list[tuple[float, float]] = []
    if bias_growth is not None:
        weighted.append((drift.bias_weight, _clip01(bias_growth / drift.bias_growth_saturation)))
    if mae_growth is not None:
        weighted.append((drift.mae_weight, _clip01(mae_growth / drift.mae_growth_saturation)))
    if ece is not None:
        weighted.append((drift.calibration_weight, _clip01(ece / drift.ece_saturation)))
    total_weight = sum(w for w, _ in weighted)
    score = sum(w * c for w, c in weighted) / total_weight if total_weight > 0 else 0.0
    return DriftAssessment(score=score, bias_growth=bias_growth, mae_growth=mae_growth, ece=ece)


def _vegas_sharpening(signals: DailySignals, thresholds: Thresholds) -> tuple[float, bool]:
    """(strength 0-1, qualifies as VEGAS_SHARP)."""
    drift = thresholds.drift
    vegas_change = signals.vegas_mae.relative_change
    if vegas_change is None:
        return 0.0, False
    vegas_drop = -vegas_change
    components = [_clip01(vegas_drop / drift.vegas_mae_drop_saturation)]
    beats_change = signals.model_beats_vegas_pct.change
    beats_ok = True
    if beats_change is not None:
        components.append(_clip01(-beats_change / drift.beats_vegas_drop_saturation))
        beats_ok = -beats_change >= drift.beats_vegas_drop_signal
    mae_growth = signals.model_mae.relative_change
    model_stable = mae_growth is None or mae_growth < drift.mae_growth_signal
    strength = sum(components) / len(components)
    return strength, vegas_drop >= drift.vegas_mae_drop_signal and beats_ok and model_stable


def _model_drifting(signals: DailySignals, assessment: DriftAssessment, thresholds: Thresholds) -> bool:
    drift = thresholds.drift
    model_signal = (
        assessment.bias_growth is not None and assessment.bias_growth >= drift.bias_growth_signal
    ) or (assessment.mae_growth is not None and assessment.mae_growth >= drift.mae_growth_signal)
    vegas_change = signals.vegas_mae.relative_change
    vegas_held = vegas_change is None or vegas_change <= drift.vegas_mae_stable_growth
    vegas_bias = signals.vegas_bias
    model_outgrew_market = (
        assessment.bias_growth is not None
        and vegas_bias.recent is not None
        and vegas_bias.baseline is not None
        and assessment.bias_growth - (abs(vegas_bias.recent) - abs(vegas_bias.baseline))
        >= drift.bias_growth_over_vegas_signal
    )
    return model_signal and (vegas_held or model_outgrew_market)


def _abs_growth(comparison: PeriodComparison) -> float | None:
    """|recent| - |baseline| (points), None when either is not known."""
    if comparison.recent is None or comparison.baseline is None:
        return None
    return abs(comparison.recent) - abs(comparison.baseline)


@dataclass(frozen=True)
class Attribution:
    """Which side of "model against the line" moved, recent vs baseline (None = not known)."""

    line_improvement: float | None  # -(Vegas MAE relative change): > 0 the line got closer to the results
    model_deterioration: float | None  # model MAE relative change: > 0 the model got further from them
    bias_excess: float | None  # model |bias| growth minus the line's |bias| growth, points
    cause: RootCause


def attribute_underperformance(
    signals: DailySignals, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Attribution:
    """The cause of confirmed losses when no statistical cause qualified (module docstring)."""
    drift = thresholds.drift
    vegas_change = signals.vegas_mae.relative_change
    line_improvement = None if vegas_change is None else -vegas_change
    model_deterioration = signals.model_mae.relative_change
    model_growth = _abs_growth(signals.model_bias)
    line_growth = _abs_growth(signals.vegas_bias)
    bias_excess = None if model_growth is None or line_growth is None else model_growth - line_growth
    line = line_improvement if line_improvement is not None else 0.0
    model = model_deterioration if model_deterioration is not None else 0.0
    if bias_excess is not None and bias_excess >= drift.bias_growth_over_vegas_signal:
        cause = RootCause.MODEL_DRIFT
    elif line_improvement is not None and line >= drift.attribution_min_move and line > model:
        cause = RootCause.VEGAS_SHARP
    elif model_deterioration is not None and model >= drift.attribution_min_move and model > line:
        cause = RootCause.MODEL_DRIFT
    else:
        cause = RootCause.UNEXPLAINED_UNDERPERFORMANCE
    return Attribution(line_improvement, model_deterioration, bias_excess, cause)


def _sample_factor(pairs: Iterable[tuple[int, int]]) -> float:
    return min((min(1.0, n / minimum) for n, minimum in pairs), default=1.0)


def data_quality_level(
    completeness: DataCompleteness, as_of: date, policy: AlertPolicy = DEFAULT_THRESHOLDS.alerts
) -> AlertLevel:
    """OK without problems; WARNING; CRITICAL from ``data_quality_critical_dates`` distinct problem dates or
    when the oldest is more than ``data_quality_critical_age_days`` before ``as_of``."""
    dates = completeness.problem_dates
    if not dates:
        return AlertLevel.OK
    too_many = len(dates) >= policy.data_quality_critical_dates
    too_old = (as_of - dates[0]).days > policy.data_quality_critical_age_days
    return AlertLevel.CRITICAL if too_many or too_old else AlertLevel.WARNING


def _format_dates(dates: Iterable[date]) -> str:
    return ", ".join(d.isoformat() for d in sorted(set(dates)))


def _data_quality_findings(completeness: DataCompleteness) -> tuple[list[str], list[str]]:
    factors: list[str] = []
    recommendations: list[str] = []
    checks = (
        (completeness.ungraded_dates, "games played but nothing graded", "re-run grading for {}"),
        (completeness.missing_box_score_dates, "box scores missing", "backfill box scores for {}"),
        (completeness.missing_prediction_dates, "predictions missing", "re-run predictions for {}"),
        (completeness.missing_line_dates, "lines missing", "backfill lines for {}"),
    )
    for dates, finding, action in checks:
        if dates:
            listed = _format_dates(dates)
            factors.append(f"{finding} on {len(set(dates))} date(s): {listed}")
            recommendations.append(action.format(listed))
    return factors, recommendations


def _hit_rate_findings(
    signals: DailySignals, thresholds: Thresholds
) -> tuple[AlertLevel, bool, list[str], list[str]]:
    """(level, gated, factors, recommendations) from the 7/14/30-day hit rates."""
    minimum = thresholds.samples.hit_rate_decisions
    rates = (signals.hit_rate_7d, signals.hit_rate_14d, signals.hit_rate_30d)
    windows = zip(thresholds.windows.hit_rate_days, rates, strict=True)
    factors: list[str] = []
    recommendations: list[str] = []
    confirmed_below = 0
    gated = False
    level = AlertLevel.OK
    for days, hr in windows:
        if hr.rate is None or hr.rate >= hr.break_even:
            continue
        description = (
            f"{days}-day hit rate {hr.rate:.1%} (n={hr.n}, {hr.confidence:.0%} CI "
            f"{hr.lower:.1%}-{hr.upper:.1%}) below break-even {hr.break_even:.1%}"
        )
        level = max_level((level, AlertLevel.INFO))
        if hr.position is BreakEvenPosition.BELOW and hr.n >= minimum:
            confirmed_below += 1
            factors.append(description + ": interval entirely below")
        elif hr.position is BreakEvenPosition.BELOW:
            gated = True
            factors.append(description + f": interval below but n < {minimum}")
        else:
            factors.append(description + ": interval straddles break-even (consistent with variance)")
    if confirmed_below:
        critical = confirmed_below >= thresholds.alerts.hit_rate_critical_windows
        level = AlertLevel.CRITICAL if critical else AlertLevel.WARNING
        recommendations.append("reduce or pause bets until the hit rate recovers above break-even")
    return level, gated, factors, recommendations


def _describe_comparison(name: str, comparison: PeriodComparison, unit: str = "") -> str | None:
    if comparison.recent is None or comparison.baseline is None:
        return None
    text = f"{name} {comparison.recent:.2f}{unit} vs baseline {comparison.baseline:.2f}{unit}"
    relative = comparison.relative_change
    return text + (f" ({relative:+.1%})" if relative is not None else "")


def _describe_attribution(attribution: Attribution) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:+.1%}"

    bias = "n/a" if attribution.bias_excess is None else f"{attribution.bias_excess:+.2f}"
    line, model = pct(attribution.line_improvement), pct(attribution.model_deterioration)
    return (
        f"losses attributed to {attribution.cause}: line MAE improvement {line}, model MAE "
        f"deterioration {model}, model |bias| growth beyond the line's {bias} points"
    )


def diagnose(signals: DailySignals, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Diagnosis:
    """Drift score, root cause with confidence and factors, alert level and recommendations for one day."""
    samples = thresholds.samples
    drift = thresholds.drift
    assessment = assess_drift(signals, thresholds)
    vegas_strength, vegas_sharp = _vegas_sharpening(signals, thresholds)
    model_drift = _model_drifting(signals, assessment, thresholds)

    model_pairs = [
        (signals.model_mae.recent_n, samples.recent_graded),
        (signals.model_mae.baseline_n, samples.baseline_graded),
    ]
    vegas_pairs = [
        (signals.vegas_mae.recent_n, samples.vegas_recent),
        (signals.vegas_mae.baseline_n, samples.baseline_graded),
    ]
    model_sufficient = _sample_factor(model_pairs) >= 1.0
    vegas_sufficient = _sample_factor(vegas_pairs) >= 1.0

    factors: list[str] = []
    recommendations: list[str] = []
    for text in (
        _describe_comparison("model MAE", signals.model_mae),
        _describe_comparison("model bias", signals.model_bias),
        _describe_comparison("Vegas 7-day MAE", signals.vegas_mae),
        _describe_comparison("model-beats-Vegas", signals.model_beats_vegas_pct, "%"),
    ):
        if text is not None:
            factors.append(text)
    if assessment.ece is not None:
        factors.append(f"calibration ECE {assessment.ece:.3f} (n={signals.calibration.n})")
    factors.append(f"drift score {assessment.score:.2f}")

    # Statistical cause: the stronger of the qualifying explanations, else normal variance.
    if vegas_sharp and (not model_drift or vegas_strength >= assessment.score):
        statistical_cause = RootCause.VEGAS_SHARP
        confidence = vegas_strength * _sample_factor(vegas_pairs)
        cause_level = AlertLevel.WARNING if vegas_sufficient else AlertLevel.INFO
        gated = not vegas_sufficient
        recommendations.append(
            f"raise the edge threshold to {thresholds.edges.recommended_when_vegas_sharp:g}+ points "
            "while Vegas is sharp"
        )
    elif model_drift:
        statistical_cause = RootCause.MODEL_DRIFT
        confidence = assessment.score * _sample_factor(model_pairs)
        if assessment.score >= drift.score_critical:
            cause_level = AlertLevel.CRITICAL
        elif assessment.score >= drift.score_warning:
            cause_level = AlertLevel.WARNING
        else:
            cause_level = AlertLevel.INFO
        gated = cause_level.severity > AlertLevel.INFO.severity and not model_sufficient
        if not model_sufficient:
            cause_level = _cap(cause_level, AlertLevel.INFO)
        recommendations.append("retrain the model on recent games")
        bias = signals.model_bias.recent
        bias_grew = assessment.bias_growth is not None and assessment.bias_growth >= drift.bias_growth_signal
        if bias is not None and bias_grew:
            direction = "over" if bias > 0 else "under"
            recommendations.append(
                f"check for a league-wide scoring shift: the model {direction}-predicts by "
                f"{abs(bias):.2f} points on average"
            )
    else:
        statistical_cause = RootCause.NORMAL_VARIANCE
        confidence = (1.0 - max(vegas_strength, assessment.score)) * _sample_factor(model_pairs)
        cause_level = AlertLevel.INFO if assessment.score >= drift.score_info else AlertLevel.OK
        gated = False

    hit_level, hit_gated, hit_factors, hit_recommendations = _hit_rate_findings(signals, thresholds)
    factors.extend(hit_factors)
    recommendations.extend(hit_recommendations)
    gated = gated or hit_gated
    if gated:
        recommendations.append(
            "collect more graded predictions before acting (minimums: "
            f"{samples.recent_graded} recent, {samples.baseline_graded} baseline, "
            f"{samples.hit_rate_decisions} decisions per hit-rate window)"
        )
    level = max_level((cause_level, hit_level))

    if statistical_cause is RootCause.NORMAL_VARIANCE and level in (AlertLevel.WARNING, AlertLevel.CRITICAL):
        # Confirmed losses are not "normal variance": name the side that moved, or say it is unexplained.
        attribution = attribute_underperformance(signals, thresholds)
        statistical_cause = attribution.cause
        factors.append(_describe_attribution(attribution))
        if attribution.cause is RootCause.VEGAS_SHARP:
            confidence = vegas_strength * _sample_factor(vegas_pairs)
            recommendations.append(
                f"raise the edge threshold to {thresholds.edges.recommended_when_vegas_sharp:g}+ points "
                "while Vegas is sharp"
            )
        elif attribution.cause is RootCause.MODEL_DRIFT:
            confidence = assessment.score * _sample_factor(model_pairs)
            recommendations.append("retrain the model on recent games")
        else:
            confidence = _sample_factor(model_pairs)
            recommendations.append("inspect the losing bets: neither the model's nor the line's errors moved")

    root_cause = statistical_cause
    if signals.completeness.has_problems:
        root_cause = RootCause.DATA_QUALITY
        confidence = 1.0
        dq_factors, dq_recommendations = _data_quality_findings(signals.completeness)
        factors = dq_factors + factors
        recommendations = dq_recommendations + recommendations
        level = max_level((level, data_quality_level(signals.completeness, signals.as_of, thresholds.alerts)))

    return Diagnosis(
        as_of=signals.as_of,
        drift_score=assessment.score,
        root_cause=root_cause,
        confidence=_clip01(confidence),
        alert_level=level,
        contributing_factors=tuple(factors),
        recommendations=tuple(recommendations),
        gated_by_sample_size=gated,
    )
