"""Diagnostics: the daily health of every prediction system, one row per (game_date, system_id).

Signals are computed here from ``prediction_accuracy`` (hit rates over the 7/14/30 days ending on the date,
ROI at the recorded prices, MAE/bias and Vegas MAE recent vs baseline, model-beats-Vegas, Brier/ECE, CLV)
and from the raw tables (data completeness of the date and of every earlier date of the season); the
judgement (drift score, root cause, alert level, recommendations, dedupe key) is ``shared.domain.diagnosis``.

Market state (sharpness status and market regime, tier All) is computed here from the graded rows already
loaded, never read from ``vegas_sharpness_daily`` (both run on the same ``grading-complete`` message and
Pub/Sub does not order them). Unlike that table's one-day status, the state diagnostics stores and compares
day over day is ROLLING: the sharpness status over the ``thresholds.market_changes.status_window_days`` and
the regime over the ``thresholds.regime.window_days`` ending on the date (the regime is the table's own
7-day definition), each only with its minimum number of rows. One day's ~100 rows made the status flap and
raise an INFO alert nearly every day; a change of the rolling state is a change of the market.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.domain.diagnosis import (
    AlertLevel,
    CalibrationSignal,
    DailySignals,
    DataCompleteness,
    Diagnosis,
    PeriodComparison,
    RootCause,
    alert_dedupe_key,
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
from shared.domain.season import season_start
from shared.domain.sharpness import MarketRegime, SharpnessStatus, market_regime, sharpness_status
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.vocabulary import Recommendation
from shared.events import AlertRaised, GradingComplete
from shared.ports import Row, Warehouse
from shared.sql import load_sql
from shared.step import StepContext, StepResult

PERFORMANCE_DIAGNOSTICS_DAILY = "nba_orchestration.performance_diagnostics_daily"
DIAGNOSTICS_KEY = ("game_date", "system_id")

# Window lengths in days, each ending on the diagnosed date inclusive ([D-6, D] is 7 days).
HIT_RATE_WINDOWS: tuple[int, int, int] = (7, 14, 30)
RECENT_DAYS = 7  # recent window of MAE / bias / Vegas MAE / beats-Vegas / calibration / CLV
BASELINE_DAYS = 30  # the baseline is the 30 days just before the recent window: [D-36, D-7]
ALERTING_LEVELS = (AlertLevel.WARNING, AlertLevel.CRITICAL)
ALL_SYSTEMS = "all-systems"  # dedupe scope of alerts that concern the deployment, not a model


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


@dataclass(frozen=True)
class MarketState:
    """Rolling tier-All market state of one system on one date (None = too few rows to say)."""

    status: SharpnessStatus | None
    regime: MarketRegime | None
    status_score: float | None = None  # model-beats-Vegas percent over the status window
    status_n: int = 0
    regime_mae: float | None = None  # Vegas MAE over the regime window
    regime_n: int = 0


UNKNOWN_MARKET = MarketState(None, None)


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

    def alerts(self) -> list[dict[str, Any]]:
        """AlertRaised fields (without the event envelope) this diagnosis calls for."""
        found: list[dict[str, Any]] = []
        d = self.diagnosis
        if d.alert_level in ALERTING_LEVELS:
            found.append(
                {
                    "level": str(d.alert_level),
                    "kind": "performance",
                    "system_id": self.system_id,
                    # Missing data is the deployment's problem, not one system's: one key for all
                    # systems, so the team gets one alert instead of one per shadow model.
                    "dedupe_key": alert_dedupe_key(
                        "performance",
                        ALL_SYSTEMS if d.root_cause == RootCause.DATA_QUALITY else self.system_id,
                        str(d.root_cause),
                        str(d.alert_level),
                    ),
                    "title": f"{self.system_id}: {d.alert_level} ({d.root_cause}) on {self.game_date}",
                    "summary": "; ".join(d.contributing_factors[:4]) or str(d.root_cause),
                    "facts": self.facts(),
                    "recommendations": d.recommendations,
                }
            )
        now = self.market
        changes = (
            (
                "sharpness_status",
                "Rolling sharpness status",
                self.previous_market.status,
                now.status,
                f"model beats the line in {now.status_score or 0.0:.1f}% of {now.status_n} graded lines",
            ),
            (
                "market_regime",
                "Rolling market regime",
                self.previous_market.regime,
                now.regime,
                f"Vegas MAE {now.regime_mae or 0.0:.2f} over {now.regime_n} graded lines",
            ),
        )
        for kind, label, before, after, detail in changes:
            if before is None or after is None or before == after:
                continue
            found.append(
                {
                    "level": str(AlertLevel.INFO),
                    "kind": kind,
                    "system_id": self.system_id,
                    "dedupe_key": alert_dedupe_key(kind, self.system_id, f"{before}->{after}", "INFO"),
                    "title": f"{self.system_id}: {label} changed {before} -> {after} on {self.game_date}",
                    "summary": f"{label} was {before} on {self.previous_graded_date} and is {after} "
                    f"on {self.game_date} ({detail}).",
                    "facts": self.facts(),
                    "recommendations": (),
                }
            )
        return found

    def facts(self) -> dict[str, str]:
        s = self.signals
        return {
            "Root cause": f"{self.diagnosis.root_cause} ({self.diagnosis.confidence:.0%})",
            "Drift score": f"{self.diagnosis.drift_score:.2f}",
            "Hit rate 7d": _rate_text(s.hit_rate_7d),
            "Hit rate 30d": _rate_text(s.hit_rate_30d),
            "Sharpness": str(self.market.status or "n/a"),
            "Market regime": str(self.market.regime or "n/a"),
            "Problem dates": str(len(self.completeness.problem_dates)),
        }


def _rate_text(rate: HitRate) -> str:
    return "n/a" if rate.rate is None else f"{rate.rate:.1%} (n={rate.n})"


def handle(event: GradingComplete, context: StepContext) -> StepResult:
    game_date = event.game_date
    results = diagnose_date(context.deps.warehouse, game_date)
    if not results:
        return StepResult(game_date, 0, 0, f"no graded systems around {game_date}", status="skipped")
    rows = [diagnostics_row(r, context.publish_time, context.run_id) for r in results]
    written = context.deps.warehouse.replace_rows(PERFORMANCE_DIAGNOSTICS_DAILY, rows, DIAGNOSTICS_KEY)
    raised = 0
    for result in results:
        for alert in result.alerts():
            context.publish("alerts", AlertRaised(**context.event_fields(game_date), **alert))
            raised += 1
    headline = ", ".join(f"{r.system_id} {r.diagnosis.alert_level}/{r.diagnosis.root_cause}" for r in results)
    return StepResult(game_date, len(results), written, f"{headline}; {raised} alert(s) raised")


def diagnose_date(
    warehouse: Warehouse, game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[SystemDiagnostics]:
    """Diagnose every system graded in the 30 days ending on ``game_date``."""
    longest = max(*HIT_RATE_WINDOWS, RECENT_DAYS + BASELINE_DAYS)
    window_start = game_date - timedelta(days=longest - 1)
    systems = [
        str(r["system_id"])
        for r in warehouse.query(
            load_sql("diagnostics/systems"),
            {"game_date": game_date, "window_start": game_date - timedelta(days=max(HIT_RATE_WINDOWS) - 1)},
        )
    ]
    if not systems:
        return []
    graded = warehouse.query(
        load_sql("diagnostics/graded_window"), {"game_date": game_date, "window_start": window_start}
    )
    completeness = data_completeness(warehouse, game_date)
    results: list[SystemDiagnostics] = []
    for system_id in systems:
        previous_rows = warehouse.query(
            load_sql("diagnostics/previous_graded_date"), {"game_date": game_date, "system_id": system_id}
        )
        previous_date = previous_rows[0]["previous_date"] if previous_rows else None
        system_rows = [r for r in graded if r["system_id"] == system_id]
        # The previous date's windows reach back at most `longest` days before game_date when the previous
        # graded date is recent; after a gap longer than that, the rows are partial and the state is
        # usually unknown (below the minimums): no change alert rather than a wrong one.
        previous_market = (
            rolling_market_state(system_rows, previous_date, thresholds) if previous_date else UNKNOWN_MARKET
        )
        results.append(
            system_diagnostics(
                game_date,
                system_id,
                system_rows,
                completeness,
                rolling_market_state(system_rows, game_date, thresholds),
                previous_market,
                previous_date,
                thresholds,
            )
        )
    return results


def rolling_market_state(
    rows: Sequence[Row], game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> MarketState:
    """Sharpness status and market regime of one system's graded rows over the windows ending on
    ``game_date`` (rows without a line or an actual are ignored); each is None below its minimum rows."""
    windows = thresholds.market_changes
    longest = max(windows.status_window_days, thresholds.regime.window_days)
    dated = [
        (r["game_date"], (float(r["predicted_points"]), float(r["line_value"]), float(r["actual_points"])))
        for r in rows
        if r["line_value"] is not None
        and r["actual_points"] is not None
        and _in_window(r, game_date, longest)
    ]
    status_from = game_date - timedelta(days=windows.status_window_days - 1)
    regime_from = game_date - timedelta(days=thresholds.regime.window_days - 1)
    status_rows = [v for d, v in dated if d >= status_from]
    regime_rows = [v for d, v in dated if d >= regime_from]
    score = _beats_pct_of(status_rows)
    status = (
        sharpness_status(score, thresholds.sharpness)
        if score is not None and len(status_rows) >= windows.status_min_rows
        else None
    )
    mae = statistics.fmean(abs(line - actual) for _, line, actual in regime_rows) if regime_rows else None
    regime = (
        market_regime(mae, thresholds.regime)
        if mae is not None and len(regime_rows) >= windows.regime_min_rows
        else None
    )
    return MarketState(status, regime, score, len(status_rows), mae, len(regime_rows))


def _beats_pct_of(rows: Sequence[tuple[float, float, float]]) -> float | None:
    share = model_beats_vegas_share(rows)
    return None if share is None else 100.0 * share


def data_completeness(warehouse: Warehouse, game_date: date) -> Completeness:
    """Completeness of ``game_date`` and every earlier date of its season from the first prediction on.

    Dates before the season's first prediction are not owed anything (the models need history first);
    from then on a date with games and nothing graded is listed however old it is.
    """
    start = season_start(game_date)
    first = warehouse.query(
        load_sql("diagnostics/first_prediction_date"), {"season_start": start, "game_date": game_date}
    )
    owed_from = first[0]["first_date"] if first and first[0]["first_date"] else game_date
    dated = [
        DatedProblems(
            game_date=r["game_date"],
            games=int(r["games"]),
            box_score_games=int(r["box_score_games"]),
            predictions=int(r["predictions"]),
            line_predictions=int(r["line_predictions"]),
            graded=int(r["graded"]),
            line_snapshots=int(r["line_snapshots"]),
        )
        for r in warehouse.query(
            load_sql("diagnostics/completeness"), {"season_start": start, "game_date": game_date}
        )
    ]
    today = next((d for d in dated if d.game_date == game_date), None)
    problems = tuple(d for d in dated if d.game_date >= owed_from and d.problems)
    return Completeness(season_start=start, today=today, problem_dates=problems)


def _in_window(row: Mapping[str, Any], game_date: date, days: int, skip_days: int = 0) -> bool:
    last = game_date - timedelta(days=skip_days)
    first = last - timedelta(days=days - 1)
    return bool(first <= row["game_date"] <= last)


def window_hit_rate(
    rows: Sequence[Row], game_date: date, days: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> HitRate:
    """Wins over decided bets (is_correct not NULL: no pushes, PASS or voids) in [D-(days-1), D]."""
    decided = [
        r["is_correct"] for r in rows if r["is_correct"] is not None and _in_window(r, game_date, days)
    ]
    betting = thresholds.betting
    return hit_rate(sum(decided), len(decided), betting.break_even_probability, betting.confidence_level)


def roi_at_recorded_prices(
    rows: Sequence[Row], thresholds: Thresholds = DEFAULT_THRESHOLDS
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


def system_diagnostics(
    game_date: date,
    system_id: str,
    rows: Sequence[Row],
    completeness: Completeness,
    market: MarketState,
    previous_market: MarketState,
    previous_date: date | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> SystemDiagnostics:
    """Signals and diagnosis of one system from its graded rows (any dates; windows are applied here)."""
    recent = [r for r in rows if _in_window(r, game_date, RECENT_DAYS)]
    baseline = [r for r in rows if _in_window(r, game_date, BASELINE_DAYS, skip_days=RECENT_DAYS)]
    model_recent = summarise_errors(_model_errors(recent), thresholds.errors)
    model_baseline = summarise_errors(_model_errors(baseline), thresholds.errors)
    vegas_recent = summarise_errors(_vegas_errors(recent), thresholds.errors)
    vegas_baseline = summarise_errors(_vegas_errors(baseline), thresholds.errors)
    beats_recent = _beats_pct(recent)
    beats_baseline = _beats_pct(baseline)
    probabilities, outcomes = _calibration_pairs(recent)
    clv = [
        value
        for r in recent
        if r["closing_line"] is not None and r["line_value"] is not None
        for value in [
            closing_line_value(
                Recommendation(r["recommendation"]), float(r["line_value"]), float(r["closing_line"])
            )
        ]
        if value is not None
    ]
    hit_rates = [window_hit_rate(rows, game_date, days, thresholds) for days in HIT_RATE_WINDOWS]
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
        [r for r in rows if _in_window(r, game_date, max(HIT_RATE_WINDOWS))], thresholds
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


def _model_errors(rows: Sequence[Row]) -> list[float]:
    return [float(r["predicted_points"]) - float(r["actual_points"]) for r in rows]


def _vegas_errors(rows: Sequence[Row]) -> list[float]:
    return [float(r["line_value"]) - float(r["actual_points"]) for r in rows if r["line_value"] is not None]


def _beats_pct(rows: Sequence[Row]) -> float | None:
    share = model_beats_vegas_share(
        (float(r["predicted_points"]), float(r["line_value"]), float(r["actual_points"]))
        for r in rows
        if r["line_value"] is not None
    )
    return None if share is None else 100.0 * share


def _calibration_pairs(rows: Sequence[Row]) -> tuple[list[float], list[bool]]:
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


def diagnostics_row(result: SystemDiagnostics, computed_at: datetime, run_id: str | None) -> dict[str, Any]:
    s = result.signals
    d = result.diagnosis
    c = result.completeness
    row: dict[str, Any] = {"game_date": result.game_date, "system_id": result.system_id}
    for days, rate in zip(HIT_RATE_WINDOWS, (s.hit_rate_7d, s.hit_rate_14d, s.hit_rate_30d), strict=True):
        row[f"hit_rate_{days}d"] = rate.rate
        row[f"hit_rate_{days}d_n"] = rate.n
        row[f"hit_rate_{days}d_lower"] = rate.lower
        row[f"hit_rate_{days}d_upper"] = rate.upper
        row[f"hit_rate_{days}d_position"] = None if rate.position is None else str(rate.position)
    today = c.today
    oldest = c.problem_dates[0].game_date if c.problem_dates else None
    row.update(
        {
            "break_even": s.hit_rate_7d.break_even,
            "roi_7d": result.roi_7d,
            "roi_30d": result.roi_30d,
            "roi_30d_n": result.roi_30d_n,
            "model_mae_recent": s.model_mae.recent,
            "model_mae_baseline": s.model_mae.baseline,
            "model_bias_recent": s.model_bias.recent,
            "model_bias_baseline": s.model_bias.baseline,
            "recent_n": s.model_mae.recent_n,
            "baseline_n": s.model_mae.baseline_n,
            "vegas_mae_recent": s.vegas_mae.recent,
            "vegas_mae_baseline": s.vegas_mae.baseline,
            "model_beats_vegas_pct_recent": s.model_beats_vegas_pct.recent,
            "model_beats_vegas_pct_baseline": s.model_beats_vegas_pct.baseline,
            "brier_recent": s.calibration.brier,
            "ece_recent": s.calibration.ece,
            "calibration_n": s.calibration.n,
            "clv_mean_recent": result.clv_mean,
            "clv_positive_share_recent": result.clv_positive_share,
            "clv_n": result.clv_n,
            "sharpness_status": _text(result.market.status),
            "previous_sharpness_status": _text(result.previous_market.status),
            "market_regime": _text(result.market.regime),
            "previous_market_regime": _text(result.previous_market.regime),
            "previous_graded_date": result.previous_graded_date,
            "scheduled_games": today.games if today else 0,
            "box_score_games": today.box_score_games if today else 0,
            "predictions": today.predictions if today else 0,
            "graded": today.graded if today else 0,
            "season_start": c.season_start,
            "problem_date_count": len(c.problem_dates),
            "oldest_problem_date": oldest,
            "problem_dates": json.dumps([p.as_json() for p in c.problem_dates]),
            "drift_score": d.drift_score,
            "root_cause": str(d.root_cause),
            "root_cause_confidence": d.confidence,
            "contributing_factors": json.dumps(list(d.contributing_factors)),
            "alert_level": str(d.alert_level),
            "gated_by_sample_size": d.gated_by_sample_size,
            "recommendations": json.dumps(list(d.recommendations)),
            "computed_at": computed_at,
            "run_id": run_id,
        }
    )
    return row


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)
