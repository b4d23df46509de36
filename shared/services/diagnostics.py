"""Diagnostics: the daily health of every prediction system, one row per (game_date, system_id).

This service reads and writes: it loads the graded rows of the windows, the season's completeness counts and
the lifecycle's inputs (registry, last retrain, shadow bets, open incidents) in ONE combined read
(``diagnostics_reads``, ``shared/sql/combined.py``: each depends on the date alone), calls the pure rules,
writes ``performance_diagnostics_daily`` and publishes the alerts. It also writes the shadow fleet's paired
comparison with the champion (``shadow_comparison_daily``, an INFO alert per promotion candidate) and warns
when scheduled retraining went stale (``shared/services/shadow_fleet.py``). One job to read, one MERGE per
table written, one run record: 4 (``tests/service/test_jobs_per_invocation.py``).

The signals and the completeness rules are ``shared.domain.diagnostic_signals``, the judgement
``shared.domain.diagnosis``, the rolling market state ``shared.domain.sharpness.rolling_market_state`` and the
alerts ``shared.domain.alert_rules``. On its own morning schedule
(``diagnostics-requested``) it runs the watchdog instead (``shared.services.watchdog``): the dead man's switch
that alerts when nothing arrived at all.

The market state is computed from the graded rows loaded here, not read from ``vegas_sharpness_daily``: both
steps run on the same ``grading-complete`` message and Pub/Sub does not order them, and the state compared day
over day is rolling (docs/thresholds.md, ``MarketChangeWindows``) where that table keeps one day's status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from shared.domain.alert_rules import (
    ALL_SYSTEMS,
    PERFORMANCE,
    RETRAINING_STALE,
    once_per_key,
    promotion_candidate_alerts,
)
from shared.domain.diagnostic_signals import (
    Completeness,
    DatedProblems,
    SystemDiagnostics,
    season_completeness,
    system_diagnostics,
)
from shared.domain.incidents import AlertKey
from shared.domain.season import season_start
from shared.domain.sharpness import UNKNOWN_MARKET, rolling_market_state
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.events import AlertRaised, GradingComplete, ScheduledRun
from shared.ports import Row, Warehouse
from shared.services.incidents import incidents_of, open_incidents_read, resolutions_due
from shared.services.model_registry import ALIASED_MODELS as ALIASED_MODELS_READ
from shared.services.shadow_fleet import (
    SHADOW_COMPARISON_DAILY,
    SHADOW_COMPARISON_KEY,
    compare_shadows,
    comparison_row,
    last_training_read,
    retraining_alerts,
    shadow_bets_read,
)
from shared.services.watchdog import handle_watchdog
from shared.settings import Settings
from shared.sql.combined import SqlRead, read_combined
from shared.step import StepContext, StepResult

PERFORMANCE_DIAGNOSTICS_DAILY = "nba_orchestration.performance_diagnostics_daily"
DIAGNOSTICS_KEY = ("game_date", "system_id")
# Columns of the hit-rate windows (``thresholds.windows.hit_rate_days``, 7/14/30 by default).
HIT_RATE_COLUMNS = ("hit_rate_7d", "hit_rate_14d", "hit_rate_30d")
# Incident kinds whose conditions diagnostics judges, so it also says when they are gone.
_RESOLVED_HERE = (PERFORMANCE, RETRAINING_STALE)
# The parts of the one combined read (``diagnostics_reads``): each is a column of its result.
SYSTEMS = "systems"
GRADED_WINDOW = "graded_window"
COMPLETENESS = "completeness"
PREVIOUS_GRADED_DATES = "previous_graded_dates"
ALIASED_MODELS = "aliased_models"
LAST_TRAINING = "last_training"
SHADOW_BETS = "shadow_bets"
OPEN_INCIDENTS = "open_incidents"


def handle(event: GradingComplete | ScheduledRun, context: StepContext) -> StepResult:
    if isinstance(event, ScheduledRun):
        return handle_watchdog(event, context)  # the morning dead man's switch, whatever ran upstream
    game_date = event.game_date
    warehouse = context.deps.warehouse
    # Every read depends on the date alone: one job for all of them (shared/sql/combined.py).
    inputs = read_combined(warehouse, diagnostics_reads(game_date, context.deps.settings))
    results = diagnose_rows(game_date, inputs)
    today = (results[0].completeness if results else completeness_of(game_date, inputs[COMPLETENESS])).today
    registered = inputs[ALIASED_MODELS]  # for the retraining check and the shadow fleet
    lifecycle_alerts = retraining_alerts(
        warehouse,
        context.deps.settings,
        game_date,
        today.games if today else 0,
        registered=registered,
        last_training=inputs[LAST_TRAINING],
    )
    if not results and not lifecycle_alerts:
        return StepResult(game_date, 0, 0, f"no graded systems around {game_date}", status="skipped")
    rows = [diagnostics_row(r, context.publish_time, context.run_id) for r in results]
    written = warehouse.replace_rows(PERFORMANCE_DIAGNOSTICS_DAILY, rows, DIAGNOSTICS_KEY) if rows else 0
    # The shadow fleet: each shadow vs the champion on the bets both made (nothing is promoted here).
    comparisons = compare_shadows(warehouse, game_date, registered=registered, bets=inputs[SHADOW_BETS])
    if comparisons:
        written += warehouse.replace_rows(
            SHADOW_COMPARISON_DAILY,
            [comparison_row(game_date, c, context.publish_time, context.run_id) for c in comparisons],
            SHADOW_COMPARISON_KEY,
        )
    alerts = once_per_key(
        [
            *(alert for result in results for alert in result.alerts()),
            *(alert for c in comparisons for alert in promotion_candidate_alerts(game_date, c)),
            *lifecycle_alerts,
        ]
    )
    for alert in alerts:
        context.publish("alerts", AlertRaised(**context.event_fields(game_date), **alert))
    # Incidents (shared/domain/incidents.py): a performance or retraining-staleness incident not raised today
    # and quiet long enough is resolved, with one message. The incidents were read before today's alerts
    # were published: the alerts function handles those later, and only for scopes skipped here.
    still_raised = {k.scope for k in map(_alert_key, alerts) if k is not None and k.is_incident}
    systems = {r.system_id for r in results} | {ALL_SYSTEMS}
    resolutions = resolutions_due(
        warehouse,
        game_date,
        still_raised,
        _RESOLVED_HERE,
        systems,
        incidents=incidents_of(inputs[OPEN_INCIDENTS]),
    )
    for alert in resolutions:
        context.publish("alerts", AlertRaised(**context.event_fields(game_date), **alert))
    alerts += resolutions
    headline = ", ".join(f"{r.system_id} {r.diagnosis.alert_level}/{r.diagnosis.root_cause}" for r in results)
    shadows = "".join(
        f"; shadow {c.shadow_system_id} {c.difference.difference or 0.0:+.1%} over {c.decided_pairs} pairs"
        for c in comparisons
    )
    return StepResult(
        game_date,
        len(results),
        written,
        f"{headline or 'no graded systems'}{shadows}; {len(alerts)} alert(s) raised",
    )


def diagnostics_reads(
    game_date: date, settings: Settings, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> dict[str, SqlRead]:
    """Every read of a date's diagnosis, by part name: each depends on the date (and settings) alone."""
    return {
        **_diagnosis_reads(game_date, thresholds),
        ALIASED_MODELS: ALIASED_MODELS_READ,
        LAST_TRAINING: last_training_read(settings, game_date),
        SHADOW_BETS: shadow_bets_read(game_date, thresholds),
        OPEN_INCIDENTS: open_incidents_read(),
    }


def _diagnosis_reads(game_date: date, thresholds: Thresholds) -> dict[str, SqlRead]:
    windows = thresholds.windows
    production = production_systems_param()
    return {
        SYSTEMS: SqlRead(
            "diagnostics/systems",
            {
                "game_date": game_date,
                "window_start": game_date - timedelta(days=windows.hit_rate_days[-1] - 1),
                **production,
            },
        ),
        GRADED_WINDOW: SqlRead(
            "diagnostics/graded_window",
            {
                "game_date": game_date,
                "window_start": game_date - timedelta(days=windows.longest_days - 1),
                **production,
            },
        ),
        COMPLETENESS: _completeness_read(game_date),
        PREVIOUS_GRADED_DATES: SqlRead(
            "diagnostics/previous_graded_date",
            {"game_date": game_date, "season_start": season_start(game_date), **production},
        ),
    }


def _completeness_read(game_date: date) -> SqlRead:
    return SqlRead(
        "diagnostics/completeness",
        {"season_start": season_start(game_date), "game_date": game_date, **production_systems_param()},
    )


def _alert_key(alert: dict[str, Any]) -> AlertKey | None:
    try:
        return AlertKey.parse(str(alert["dedupe_key"]))
    except ValueError:
        return None


def diagnose_date(
    warehouse: Warehouse, game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[SystemDiagnostics]:
    """Diagnose every system graded in the longest hit-rate window (30 days) ending on ``game_date``."""
    reads = _diagnosis_reads(game_date, thresholds)
    systems = reads[SYSTEMS].run(warehouse)
    if not systems:
        return []
    inputs = {name: read.run(warehouse) for name, read in reads.items() if name != SYSTEMS}
    return diagnose_rows(game_date, {SYSTEMS: systems, **inputs}, thresholds)


def diagnose_rows(
    game_date: date, inputs: Mapping[str, Sequence[Row]], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[SystemDiagnostics]:
    """``diagnose_date`` on rows already read (by part name, as ``diagnostics_reads`` names them)."""
    systems = [str(r["system_id"]) for r in inputs[SYSTEMS]]
    if not systems:
        return []
    graded = inputs[GRADED_WINDOW]
    completeness = completeness_of(game_date, inputs[COMPLETENESS])
    previous_dates = {str(r["system_id"]): r["previous_date"] for r in inputs[PREVIOUS_GRADED_DATES]}
    results: list[SystemDiagnostics] = []
    for system_id in systems:
        previous_date = previous_dates.get(system_id)
        system_rows = [r for r in graded if r["system_id"] == system_id]
        # The previous date's windows reach back at most `longest_days` before game_date when the previous
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


def data_completeness(warehouse: Warehouse, game_date: date) -> Completeness:
    """Completeness of ``game_date`` and every earlier date of its season (rules: ``season_completeness``)."""
    return completeness_of(game_date, _completeness_read(game_date).run(warehouse))


def completeness_of(game_date: date, found: Sequence[Row]) -> Completeness:
    """``data_completeness`` from the rows of ``diagnostics/completeness``, already read."""
    start = season_start(game_date)
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
        for r in found
    ]
    # Without a date with games nothing is owed, whatever the first prediction date.
    first = found[0]["first_prediction_date"] if found else None
    return season_completeness(start, game_date, dated, first)


def diagnostics_row(result: SystemDiagnostics, computed_at: datetime, run_id: str | None) -> dict[str, Any]:
    s = result.signals
    d = result.diagnosis
    c = result.completeness
    row: dict[str, Any] = {"game_date": result.game_date, "system_id": result.system_id}
    for column, rate in zip(HIT_RATE_COLUMNS, (s.hit_rate_7d, s.hit_rate_14d, s.hit_rate_30d), strict=True):
        row[column] = rate.rate
        row[f"{column}_n"] = rate.n
        row[f"{column}_lower"] = rate.lower
        row[f"{column}_upper"] = rate.upper
        row[f"{column}_position"] = None if rate.position is None else str(rate.position)
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
