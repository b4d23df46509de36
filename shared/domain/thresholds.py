"""The one threshold set: the default minimum edge of a bet and the post-game steps (grading, metrics,
sharpness, diagnosis, alerts).

Every number that decides a band, a tier, a signal or an alert lives here, once. Other domain modules take a
``Thresholds`` argument defaulting to ``DEFAULT_THRESHOLDS`` so a caller (or a test) can override one group
with ``dataclasses.replace`` without editing code. Each value and the reason for it is documented in
``docs/thresholds.md``; keep the two in step.

All probabilities and shares are on 0-1; only the sharpness score / model-beats-Vegas percent is on 0-100
because its bands (45/50/55) are conventionally written that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Break-even win probability at American odds of -110: risk 110 to win 100, so p * 100 = (1 - p) * 110.
BREAK_EVEN_110: float = 110 / 210
STANDARD_ODDS: int = -110
# Minimum |edge| (points) for an OVER/UNDER call; why 3 is in shared/domain/recommendation.py. The one default
# of ``recommend``, ``Settings.min_edge`` and ``COURTSIDE_MIN_EDGE``.
MIN_EDGE_POINTS: float = 3.0


def _require(condition: bool, message: str) -> None:
    # Thresholds are configuration: a wrong one should fail at construction, not produce quiet nonsense later.
    if not condition:
        raise ValueError(f"invalid threshold: {message}")


@dataclass(frozen=True)
class BettingThresholds:
    """Odds assumed for ROI and the hit rate a bet must beat to be profitable."""

    standard_odds: int = STANDARD_ODDS
    break_even_probability: float = BREAK_EVEN_110
    confidence_level: float = 0.95  # for Wilson intervals on hit rates

    def __post_init__(self) -> None:
        _require(0.0 < self.break_even_probability < 1.0, "break_even_probability must be in (0, 1)")
        _require(0.0 < self.confidence_level < 1.0, "confidence_level must be in (0, 1)")


@dataclass(frozen=True)
class ErrorBands:
    """Absolute-error bands (points, inclusive) reported as ``within_3`` / ``within_5``."""

    close_points: float = 3.0
    wide_points: float = 5.0

    def __post_init__(self) -> None:
        _require(0.0 < self.close_points < self.wide_points, "0 < close_points < wide_points")


@dataclass(frozen=True)
class EdgeThresholds:
    """Edge = predicted points - line. Bands used for edge availability and the high-edge win rate."""

    moderate_points: float = MIN_EDGE_POINTS  # the edge the recommendation bets on by default
    high_points: float = 5.0
    # What diagnosis recommends as the minimum edge to bet while the market is sharp (VEGAS_SHARP).
    recommended_when_vegas_sharp: float = 5.0

    def __post_init__(self) -> None:
        _require(0.0 < self.moderate_points < self.high_points, "0 < moderate_points < high_points")
        _require(self.recommended_when_vegas_sharp > 0.0, "recommended_when_vegas_sharp must be positive")


@dataclass(frozen=True)
class SharpnessBands:
    """Bands on the sharpness score (model-beats-Vegas percent, 0-100). LOW score = Vegas is sharp.

    VERY_SHARP < very_sharp_below <= SHARP < sharp_below <= NORMAL < normal_below <= SOFT.
    """

    very_sharp_below: float = 45.0
    sharp_below: float = 50.0
    normal_below: float = 55.0

    def __post_init__(self) -> None:
        _require(
            0.0 <= self.very_sharp_below < self.sharp_below < self.normal_below <= 100.0,
            "sharpness bands must be increasing within 0-100",
        )


@dataclass(frozen=True)
class RegimeBands:
    """Market regime from the 7-day Vegas MAE (points): TIGHT < tight_below, LOOSE > loose_above."""

    tight_below: float = 4.5
    loose_above: float = 5.5
    window_days: int = 7

    def __post_init__(self) -> None:
        _require(0.0 < self.tight_below <= self.loose_above, "0 < tight_below <= loose_above")
        _require(self.window_days > 0, "window_days must be positive")


@dataclass(frozen=True)
class DiagnosisWindows:
    """Diagnostics' windows in days, each ending on the diagnosed date inclusive ([D-6, D] is 7 days).

    The hit-rate windows fill the ``hit_rate_7d`` / ``_14d`` / ``_30d`` columns; the baseline is the
    ``baseline_days`` just before the recent window ([D-36, D-7] by default).
    """

    hit_rate_days: tuple[int, int, int] = (7, 14, 30)
    recent_days: int = 7  # MAE / bias / Vegas MAE / beats-Vegas / calibration / CLV / ROI 7d
    baseline_days: int = 30

    def __post_init__(self) -> None:
        short, middle, long = self.hit_rate_days
        _require(0 < short < middle < long, "hit_rate_days must be increasing and positive")
        _require(min(self.recent_days, self.baseline_days) > 0, "recent_days and baseline_days must be > 0")

    @property
    def roi_long_days(self) -> int:
        # ROI 30d spans the longest hit-rate window.
        return self.hit_rate_days[-1]

    @property
    def longest_days(self) -> int:
        """Days of graded rows one diagnosis reads: the longest hit-rate window or recent + baseline."""
        return max(*self.hit_rate_days, self.recent_days + self.baseline_days)


@dataclass(frozen=True)
class MarketChangeWindows:
    """Rolling windows behind diagnostics' day-over-day sharpness-status and market-regime CHANGE alerts.

    ``vegas_sharpness_daily`` keeps its one-day status; a single day's ~100 lined predictions are too few to
    say the market changed (the status flapped SHARP/NORMAL/SOFT almost daily), so a change is judged on the
    ``status_window_days`` (sharpness score) and ``RegimeBands.window_days`` (regime) ending on each date,
    and only when each window holds at least the minimum rows (else the state is unknown: no alert).
    """

    status_window_days: int = 14
    status_min_rows: int = 500
    regime_min_rows: int = 300

    def __post_init__(self) -> None:
        _require(self.status_window_days > 0, "status_window_days must be positive")
        _require(min(self.status_min_rows, self.regime_min_rows) >= 1, "market change minimums must be >= 1")


@dataclass(frozen=True)
class TierCutoffs:
    """Player tiers from average points over the ``lookback_days`` before a date, games with minutes
    strictly over ``min_minutes_exclusive``.
    Star >= star_min, Starter >= starter_min, Rotation >= rotation_min."""

    star_min_points: float = 22.0
    starter_min_points: float = 14.0
    rotation_min_points: float = 6.0
    min_minutes_exclusive: float = 10.0
    lookback_days: int = 60

    def __post_init__(self) -> None:
        _require(
            0.0 <= self.rotation_min_points < self.starter_min_points < self.star_min_points,
            "tier cut-offs must be increasing",
        )
        _require(self.lookback_days > 0, "lookback_days must be positive")


@dataclass(frozen=True)
class CalibrationSettings:
    """Expected calibration error uses equal-width bins on [0, 1]."""

    n_bins: int = 10

    def __post_init__(self) -> None:
        _require(self.n_bins >= 1, "n_bins must be at least 1")


@dataclass(frozen=True)
class SampleMinimums:
    """Minimum sample sizes before a statistical signal may raise an alert above INFO."""

    hit_rate_decisions: int = 100  # graded OVER/UNDER decisions (pushes and voids excluded) in the window
    recent_graded: int = 100  # graded predictions in the recent window (MAE / bias / calibration)
    baseline_graded: int = 300  # graded predictions in the baseline window
    vegas_recent: int = 100  # graded predictions with a line in the recent window (Vegas MAE, beats-Vegas)

    def __post_init__(self) -> None:
        _require(
            min(self.hit_rate_decisions, self.recent_graded, self.baseline_graded, self.vegas_recent) >= 1,
            "sample minimums must be at least 1",
        )


@dataclass(frozen=True)
class DriftThresholds:
    """Signals behind the drift score and the root cause.

    Each ``*_signal`` is where a movement starts to count as evidence; each ``*_saturation`` is where that
    component of a score reaches 1.0 (component = clip(value / saturation, 0, 1)).
    """

    # Model bias: growth of |mean signed error| (points) recent vs baseline.
    bias_growth_signal: float = 1.0
    bias_growth_saturation: float = 2.0
    # Model MAE: relative growth (recent / baseline - 1).
    mae_growth_signal: float = 0.08
    mae_growth_saturation: float = 0.20
    # Calibration: expected calibration error of the recent window.
    ece_signal: float = 0.08
    ece_saturation: float = 0.20
    # Weights of the three components in the drift score (re-normalised over the available ones).
    bias_weight: float = 0.45
    mae_weight: float = 0.35
    calibration_weight: float = 0.20
    # Drift score levels.
    score_info: float = 0.30
    score_warning: float = 0.50
    score_critical: float = 0.80
    # Vegas sharpening: relative drop of the 7-day Vegas MAE vs baseline,
    # and drop of model-beats-Vegas (percentage points).
    vegas_mae_drop_signal: float = 0.08
    vegas_mae_drop_saturation: float = 0.20
    beats_vegas_drop_signal: float = 3.0
    beats_vegas_drop_saturation: float = 8.0
    # "Vegas MAE stays": relative growth of Vegas MAE at most this much (larger => the games got harder for
    # everyone, which is not the model drifting).
    vegas_mae_stable_growth: float = 0.05
    # ...unless the model's |bias| grew at least this many points more than the line's |bias|: the market
    # re-centred on the new level and the model did not (a league-wide scoring shift raises every MAE).
    bias_growth_over_vegas_signal: float = 1.0
    # Confirmed losses with no qualifying cause are attributed to the side (line or model) whose 7-day MAE
    # moved by at least this much (relative to its baseline) and more than the other's; else UNEXPLAINED.
    attribution_min_move: float = 0.03

    def __post_init__(self) -> None:
        _require(0.0 < self.bias_growth_signal <= self.bias_growth_saturation, "bias signal <= saturation")
        _require(0.0 < self.mae_growth_signal <= self.mae_growth_saturation, "mae signal <= saturation")
        _require(0.0 < self.ece_signal <= self.ece_saturation, "ece signal <= saturation")
        _require(0.0 < self.vegas_mae_drop_signal <= self.vegas_mae_drop_saturation, "vegas signal <= sat.")
        _require(
            0.0 < self.beats_vegas_drop_signal <= self.beats_vegas_drop_saturation, "beats signal <= sat."
        )
        _require(
            min(self.bias_weight, self.mae_weight, self.calibration_weight) >= 0.0
            and self.bias_weight + self.mae_weight + self.calibration_weight > 0.0,
            "drift weights must be non-negative and not all zero",
        )
        _require(
            0.0 < self.score_info < self.score_warning < self.score_critical <= 1.0,
            "drift score levels must be increasing within (0, 1]",
        )
        _require(self.vegas_mae_stable_growth >= 0.0, "vegas_mae_stable_growth must be non-negative")
        _require(self.bias_growth_over_vegas_signal > 0.0, "bias_growth_over_vegas_signal must be positive")
        _require(self.attribution_min_move > 0.0, "attribution_min_move must be positive")


@dataclass(frozen=True)
class AlertPolicy:
    """Data-quality escalation and alert repetition."""

    # Data-quality problems are WARNING at least; CRITICAL from this many distinct problem dates...
    data_quality_critical_dates: int = 2
    # ...or when the oldest problem date is more than this many days before ``as_of``.
    data_quality_critical_age_days: int = 2
    # Hit rates confirmed below break-even in one window are WARNING; in this many windows, CRITICAL.
    hit_rate_critical_windows: int = 2
    # The same alert (same dedupe key) is not re-sent within this many days.
    cooldown_days: int = 3

    def __post_init__(self) -> None:
        _require(self.data_quality_critical_dates >= 1, "data_quality_critical_dates >= 1")
        _require(self.data_quality_critical_age_days >= 0, "data_quality_critical_age_days >= 0")
        _require(self.hit_rate_critical_windows >= 1, "hit_rate_critical_windows >= 1")
        _require(self.cooldown_days >= 0, "cooldown_days >= 0")


@dataclass(frozen=True)
class IncidentPolicy:
    """Incidents, not repeats (``shared.domain.incidents``)."""

    # Messages an incident may send at most, its resolution included.
    max_messages: int = 5
    # An open incident whose condition has been absent this many days is resolved (one message).
    resolve_quiet_days: int = 3

    def __post_init__(self) -> None:
        _require(self.max_messages >= 2, "max_messages >= 2 (the opening and the resolution)")
        _require(self.resolve_quiet_days >= 1, "resolve_quiet_days >= 1")


@dataclass(frozen=True)
class WatchdogPolicy:
    """The dead man's switch (``shared.domain.watchdog``): when silence becomes an alert."""

    # Grades of a game date are due by this US Eastern hour of the next day.
    grades_due_hour_et: int = 9
    # One overdue date is a WARNING; this many overdue dates (predictions or grades), CRITICAL.
    critical_overdue_dates: int = 2
    # A function with no successful run for this many hours while games were scheduled is WARNING...
    function_silence_hours: int = 36
    # ...and CRITICAL after this many.
    function_silence_critical_hours: int = 72
    # Functions whose silence is alerted on: the daily chain (alerts and diagnostics run on demand or on
    # this very schedule, so their silence says nothing).
    watched_functions: tuple[str, ...] = ("ingest", "feature_store", "prediction", "grading", "sharpness")

    def __post_init__(self) -> None:
        _require(0 <= self.grades_due_hour_et <= 23, "grades_due_hour_et in 0..23")
        _require(self.critical_overdue_dates >= 1, "critical_overdue_dates >= 1")
        _require(
            0 < self.function_silence_hours <= self.function_silence_critical_hours,
            "0 < function_silence_hours <= function_silence_critical_hours",
        )


@dataclass(frozen=True)
class ModelLifecycle:
    """The shadow fleet's daily comparison with the champion, and how stale retraining may get."""

    # A shadow is a "promotion candidate" only over at least this many bets both it and the champion made.
    promotion_min_paired_bets: int = 300
    # Paired bets are counted over this many days ending on the diagnosed date (partition pruning).
    comparison_lookback_days: int = 120
    # No successful scheduled retrain for more than this many days while games are scheduled: WARNING.
    retrain_stale_after_days: int = 35

    def __post_init__(self) -> None:
        _require(self.promotion_min_paired_bets >= 1, "promotion_min_paired_bets >= 1")
        _require(self.comparison_lookback_days >= 1, "comparison_lookback_days >= 1")
        _require(self.retrain_stale_after_days >= 1, "retrain_stale_after_days >= 1")


class ReconciliationPolicy:
    """How far back the scheduled reconciler looks and how much it may re-drive per cycle."""

    # Game dates checked per cycle, ending on the cycle's own date: yesterday's grades and the day before's
    # sharpness are still re-driven, while an old, permanently broken date cannot re-drive forever.
    lookback_days: int = 3
    # Re-published events per cycle at most; the rest wait for the next cycle (no storm after an outage).
    max_redrives_per_cycle: int = 10

    def __post_init__(self) -> None:
        _require(self.lookback_days >= 1, "lookback_days >= 1")
        _require(self.max_redrives_per_cycle >= 1, "max_redrives_per_cycle >= 1")


@dataclass(frozen=True)
class PromotionGates:
    """What ``courtside promote`` requires of a champion candidate (``shared.domain.promotion_gates``)."""

    # Production-equivalent bets of the candidate config's walk-forward evidence (COURTSIDE_PROMOTION_MIN_BETS
    # overrides it): about the bets a Wilson interval needs to be +-4.4 points wide around a 55% hit rate.
    min_bets: int = 500
    # ECE of P(over) on those bets. Diagnostics starts counting calibration drift at the same value
    # (``DriftThresholds.ece_signal``): a model already that miscalibrated is not promoted.
    max_ece: float = 0.08
    # Days of ``model_promotions`` a rollback and the history read (partition pruning).
    history_days: int = 730

    def __post_init__(self) -> None:
        _require(self.min_bets >= 1, "promotion min_bets >= 1")
        _require(0.0 < self.max_ece <= 1.0, "promotion max_ece in (0, 1]")
        _require(self.history_days >= 1, "promotion history_days >= 1")


@dataclass(frozen=True)
class Thresholds:
    """All post-game thresholds. Use ``DEFAULT_THRESHOLDS``; override a group with ``dataclasses.replace``."""

    betting: BettingThresholds = field(default_factory=BettingThresholds)
    errors: ErrorBands = field(default_factory=ErrorBands)
    edges: EdgeThresholds = field(default_factory=EdgeThresholds)
    sharpness: SharpnessBands = field(default_factory=SharpnessBands)
    regime: RegimeBands = field(default_factory=RegimeBands)
    market_changes: MarketChangeWindows = field(default_factory=MarketChangeWindows)
    windows: DiagnosisWindows = field(default_factory=DiagnosisWindows)
    tiers: TierCutoffs = field(default_factory=TierCutoffs)
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)
    samples: SampleMinimums = field(default_factory=SampleMinimums)
    drift: DriftThresholds = field(default_factory=DriftThresholds)
    alerts: AlertPolicy = field(default_factory=AlertPolicy)
    watchdog: WatchdogPolicy = field(default_factory=WatchdogPolicy)
    incidents: IncidentPolicy = field(default_factory=IncidentPolicy)
    lifecycle: ModelLifecycle = field(default_factory=ModelLifecycle)
    promotion: PromotionGates = field(default_factory=PromotionGates)
    reconciliation: ReconciliationPolicy = field(default_factory=ReconciliationPolicy)


DEFAULT_THRESHOLDS: Thresholds = Thresholds()
