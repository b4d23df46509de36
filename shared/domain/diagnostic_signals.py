"""The signals diagnostics computes for one system on one date, from graded rows already loaded: hit rates
over the 7/14/30 days ending on the date, ROI at the recorded prices, MAE/bias and Vegas MAE recent vs
baseline, model-beats-Vegas, Brier/ECE, CLV; and the completeness rules of the season's dates.

Window lengths are ``thresholds.windows`` (docs/thresholds.md); the judgement of these signals is
``shared.domain.diagnosis`` and the alerts they raise ``shared.domain.alert_rules``. Rows are mappings with
the columns of ``shared/sql/diagnostics/graded_window.sql``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.domain.alert_rules import DiagnosedDay, alert_facts, raised_alerts
from shared.domain.diagnosis import (
    CalibrationSignal,
    DailySignals,
    DataCompleteness,
    Diagnosis,
    PeriodComparison,
    diagnose,
)
from shared.domain.metrics import (
    HitRate,
    brier_score,
    closing_line_value,
    expected_calibration_error,
    hit_rate,
    model_beats_vegas_share,
    summarise_errors,
    win_profit_per_unit,
)
from shared.domain.sharpness import MarketState
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.vocabulary import Recommendation

GradedRow = Mapping[str, Any]


@dataclass(frozen=True)
class DatedProblems:
    """Completeness of one date with games."""

    game_date: date
    games: int
    box_score_games: int
    predictions: int
    line_predictions: int
    graded: int
    line_snapshots: int

    @property
    def problems(self) -> tuple[str, ...]:
        found: list[str] = []
        if self.games and self.graded == 0:
            found.append("nothing_graded")
        if self.box_score_games < self.games:
            found.append("box_scores_missing")
        if self.games and self.predictions == 0:
            found.append("predictions_missing")
        if self.games and self.line_snapshots == 0:
            found.append("lines_missing")
        return tuple(found)

    def as_json(self) -> dict[str, Any]:
        return {
            "game_date": self.game_date.isoformat(),
            "games": self.games,
            "box_score_games": self.box_score_games,
            "predictions": self.predictions,
            "graded": self.graded,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class Completeness:
    season_start: date
    today: DatedProblems | None
    problem_dates: tuple[DatedProblems, ...]

    def domain(self) -> DataCompleteness:
        def having(problem: str) -> tuple[date, ...]:
            return tuple(d.game_date for d in self.problem_dates if problem in d.problems)

        return DataCompleteness(
            ungraded_dates=having("nothing_graded"),
            missing_box_score_dates=having("box_scores_missing"),
            missing_prediction_dates=having("predictions_missing"),
            missing_line_dates=having("lines_missing"),
        )


def season_completeness(
    season_start: date, game_date: date, dated: Iterable[DatedProblems], first_prediction_date: date | None
) -> Completeness:
    """Completeness of ``game_date`` and the season's problem dates from its first prediction on.

    Dates before the season's first prediction are not owed anything (the models need history first); from
    then on a date with games and nothing graded is listed however old it is. With no prediction yet, only
    ``game_date`` itself is owed.
    """
    owed_from = first_prediction_date or game_date
    days = list(dated)
    today = next((d for d in days if d.game_date == game_date), None)
    problems = tuple(d for d in days if d.game_date >= owed_from and d.problems)
    return Completeness(season_start=season_start, today=today, problem_dates=problems)


def in_window(row: GradedRow, game_date: date, days: int, skip_days: int = 0) -> bool:
    """``row`` falls in the ``days`` ending ``skip_days`` before ``game_date``, both ends inclusive."""
    last = game_date - timedelta(days=skip_days)
    first = last - timedelta(days=days - 1)
    return bool(first <= row["game_date"] <= last)


def window_hit_rate(
    rows: Sequence[GradedRow], game_date: date, days: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> HitRate:
    """Wins over decided bets (is_correct not NULL: no pushes, PASS or voids) in [D-(days-1), D]."""
    decided = [r["is_correct"] for r in rows if r["is_correct"] is not None and in_window(r, game_date, days)]
    betting = thresholds.betting
    return hit_rate(sum(decided), len(decided), betting.break_even_probability, betting.confidence_level)


def roi_at_recorded_prices(
    rows: Sequence[GradedRow], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[float | None, int]:
    """(profit per unit staked, bets staked) over the OVER/UNDER rows; pushes return the stake.

    A winning bet earns what its recorded price paid (over_price for OVER, under_price for UNDER), falling
    back to the standard odds when no price was recorded.
    """
    profit = 0.0
    staked = 0
    for row in rows:
        recommendation = Recommendation(row["recommendation"])
        if not recommendation.is_bet:
            continue
        staked += 1
        if row["is_push"] or row["is_correct"] is None:
            continue
        if row["is_correct"]:
            price = row["over_price"] if recommendation is Recommendation.OVER else row["under_price"]
            profit += win_profit_per_unit(
                int(price) if price is not None else thresholds.betting.standard_odds
            )
        else:
            profit -= 1.0
    return (profit / staked if staked else None), staked


@dataclass(frozen=True)
class SystemDiagnostics:
    """Everything written for one (game_date, system_id), plus the alerts it raises."""

    game_date: date
    system_id: str
    signals: DailySignals
    diagnosis: Diagnosis
    roi_7d: float | None
    roi_30d: float | None
    roi_30d_n: int
    clv_mean: float | None
    clv_positive_share: float | None
    clv_n: int
    market: MarketState
    previous_market: MarketState
    previous_graded_date: date | None
    completeness: Completeness

    def diagnosed_day(self) -> DiagnosedDay:
        return DiagnosedDay(
            game_date=self.game_date,
            system_id=self.system_id,
            signals=self.signals,
            diagnosis=self.diagnosis,
            market=self.market,
            previous_market=self.previous_market,
            previous_graded_date=self.previous_graded_date,
            problem_date_count=len(self.completeness.problem_dates),
        )

    def alerts(self) -> list[dict[str, Any]]:
        """AlertRaised fields (without the event envelope) this diagnosis calls for."""
        return raised_alerts(self.diagnosed_day())

    def facts(self) -> dict[str, str]:
        return alert_facts(self.diagnosed_day())


def system_diagnostics(
    game_date: date,
    system_id: str,
    rows: Sequence[GradedRow],
    completeness: Completeness,
    market: MarketState,
    previous_market: MarketState,
    previous_date: date | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> SystemDiagnostics:
    """Signals and diagnosis of one system from its graded rows (any dates; windows are applied here)."""
    windows = thresholds.windows
    recent = [r for r in rows if in_window(r, game_date, windows.recent_days)]
    baseline = [
        r for r in rows if in_window(r, game_date, windows.baseline_days, skip_days=windows.recent_days)
    ]
    model_recent = summarise_errors(_model_errors(recent), thresholds.errors)
    model_baseline = summarise_errors(_model_errors(baseline), thresholds.errors)
    vegas_recent = summarise_errors(_vegas_errors(recent), thresholds.errors)
    vegas_baseline = summarise_errors(_vegas_errors(baseline), thresholds.errors)
    beats_recent = _beats_pct(recent)
    beats_baseline = _beats_pct(baseline)
    probabilities, outcomes = calibration_pairs(recent)
    clv = closing_line_values(recent)
    hit_rates = [window_hit_rate(rows, game_date, days, thresholds) for days in windows.hit_rate_days]
    signals = DailySignals(
        as_of=game_date,
        hit_rate_7d=hit_rates[0],
        hit_rate_14d=hit_rates[1],
        hit_rate_30d=hit_rates[2],
        model_mae=PeriodComparison(model_recent.mae, model_baseline.mae, model_recent.n, model_baseline.n),
        model_bias=PeriodComparison(model_recent.bias, model_baseline.bias, model_recent.n, model_baseline.n),
        model_beats_vegas_pct=PeriodComparison(
            beats_recent, beats_baseline, vegas_recent.n, vegas_baseline.n
        ),
        vegas_mae=PeriodComparison(vegas_recent.mae, vegas_baseline.mae, vegas_recent.n, vegas_baseline.n),
        vegas_bias=PeriodComparison(vegas_recent.bias, vegas_baseline.bias, vegas_recent.n, vegas_baseline.n),
        calibration=CalibrationSignal(
            brier_score(probabilities, outcomes),
            expected_calibration_error(probabilities, outcomes, thresholds.calibration.n_bins),
            len(probabilities),
        ),
        completeness=completeness.domain(),
    )
    roi_7d, _ = roi_at_recorded_prices(recent, thresholds)
    roi_30d, roi_30d_n = roi_at_recorded_prices(
        [r for r in rows if in_window(r, game_date, windows.roi_long_days)], thresholds
    )
    return SystemDiagnostics(
        game_date=game_date,
        system_id=system_id,
        signals=signals,
        diagnosis=diagnose(signals, thresholds),
        roi_7d=roi_7d,
        roi_30d=roi_30d,
        roi_30d_n=roi_30d_n,
        clv_mean=sum(clv) / len(clv) if clv else None,
        clv_positive_share=sum(1 for v in clv if v > 0) / len(clv) if clv else None,
        clv_n=len(clv),
        market=market,
        previous_market=previous_market,
        previous_graded_date=previous_date,
        completeness=completeness,
    )


def closing_line_values(rows: Iterable[GradedRow]) -> list[float]:
    """CLV of every row with both its line and the closing line (None values of ``closing_line_value``
    dropped)."""
    return [
        value
        for r in rows
        if r["closing_line"] is not None and r["line_value"] is not None
        for value in [
            closing_line_value(
                Recommendation(r["recommendation"]), float(r["line_value"]), float(r["closing_line"])
            )
        ]
        if value is not None
    ]


def calibration_pairs(rows: Iterable[GradedRow]) -> tuple[list[float], list[bool]]:
    """P(over) against "went over", pushes (actual == line) excluded."""
    probabilities: list[float] = []
    outcomes: list[bool] = []
    for r in rows:
        if (
            r["p_over"] is None
            or r["line_value"] is None
            or float(r["actual_points"]) == float(r["line_value"])
        ):
            continue
        probabilities.append(float(r["p_over"]))
        outcomes.append(float(r["actual_points"]) > float(r["line_value"]))
    return probabilities, outcomes


def _model_errors(rows: Iterable[GradedRow]) -> list[float]:
    return [float(r["predicted_points"]) - float(r["actual_points"]) for r in rows]


def _vegas_errors(rows: Iterable[GradedRow]) -> list[float]:
    return [float(r["line_value"]) - float(r["actual_points"]) for r in rows if r["line_value"] is not None]


def _beats_pct(rows: Iterable[GradedRow]) -> float | None:
    share = model_beats_vegas_share(
        (float(r["predicted_points"]), float(r["line_value"]), float(r["actual_points"]))
        for r in rows
        if r["line_value"] is not None
    )
    return None if share is None else 100.0 * share
