"""Scheduled retraining (the ``training`` function): train the configured retrain experiment, register the
model as a shadow, evaluate the config production-equivalently against the champion, record it and publish
``model-trained``.

The config is ``experiments/<COURTSIDE_RETRAIN_EXPERIMENT>.yaml`` (default ``v1_baseline``, the champion's):
its feature version, CatBoost parameters, training window (``TrainingWindow.before``: the same rule as the
walk-forward's folds, ending the day before the run, its last ``holdout_days`` held out) and first seed. The
model is registered under ``COURTSIDE_RETRAIN_SYSTEM_ID`` as that system's shadow, with the config's name
and hash in its metadata (``experiment_config``). Training is the one training service
(``shared/services/training.py``), the very code ``courtside train`` runs; the run is recorded in
``ml_experiments``, the model in ``model_registry``.

The evaluation is a walk-forward of the config (``shared/services/walk_forward.py``, the code
``courtside experiment run`` runs) over the ``retrain_every_days`` before the run: trained as the config
trains, predicted and graded by the production services under the backtest system, recorded in
``experiment_runs``/``_folds``/``_rows``. Its bets are paired with the champion's production bets on the same
player-games (``paired_comparison``); the figures, each with its n and interval, travel in ``model-trained``
and the run's detail. Too little history for that fold is said, not hidden. Nothing is promoted.

The run date is the US Eastern date of the scheduler's publish time (or a date an operator pinned). A window
without any feature row (the off-season) is skipped; a config that cannot be used, a window with too few
rows, or a retrain system that is the champion's, is refused (recorded as rejected) and, if it persists,
diagnostics' staleness WARNING says so after ``ModelLifecycle.retrain_stale_after_days``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.clock import today_et
from shared.domain.evaluation import EvaluationMode, EvaluationRow, evaluate, paired_comparison
from shared.domain.features import FEATURE_VERSION, serves
from shared.errors import RefusedError
from shared.events import ModelTrained, ScheduledRun
from shared.experiment_config import (
    ExperimentConfig,
    ExperimentConfigError,
    WindowBefore,
    load_experiment_config,
)
from shared.ports import Row, Warehouse
from shared.services.experiment_reports import run_evidence
from shared.services.model_registry import CHAMPION, SHADOW, AliasConflictError, aliased_models
from shared.services.training import TrainingDataError, train_model
from shared.services.walk_forward import evidence_row, plan_folds, run_walk_forward
from shared.settings import Settings
from shared.sql import load_sql
from shared.step import StepContext, StepResult

MODEL_TRAINED_TOPIC = "model-trained"

RetrainWindow = WindowBefore


def retrain_config(settings: Settings) -> ExperimentConfig:
    """The configured retrain experiment, refused (never defaulted) when it cannot be used."""
    try:
        config = load_experiment_config(settings.retrain_experiment_path)
    except ExperimentConfigError as exc:
        raise RefusedError(f"retrain experiment {settings.retrain_experiment!r} refused:\n{exc}") from exc
    if not serves(FEATURE_VERSION, config.feature_version):
        raise RefusedError(
            f"retrain experiment {settings.retrain_experiment!r} uses feature_version "
            f"{config.feature_version}; the feature store's {FEATURE_VERSION} rows do not serve it"
        )
    return config


def retrain_window(run_date: date, config: ExperimentConfig) -> RetrainWindow:
    """The config's training window for a model serving from ``run_date`` (ends the day before it)."""
    return config.training_window.before(run_date)


def evaluation_span(run_date: date, config: ExperimentConfig) -> tuple[date, date]:
    """The last ``retrain_every_days`` before the run: one walk-forward fold, as the config retrains."""
    return run_date - timedelta(days=config.retrain_every_days), run_date - timedelta(days=1)


def handle(event: ScheduledRun, context: StepContext) -> StepResult:
    deps = context.deps
    settings = deps.settings
    config = retrain_config(settings)
    named = f"{settings.retrain_experiment} (sha256 {config.config_hash[:12]})"
    run_date = event.game_date or today_et(context.publish_time)
    window = retrain_window(run_date, config)
    if window.train_from > window.train_to:
        raise RefusedError(
            f"retrain from {named} refused: its training window starts {window.train_from}, after the "
            f"{window.train_to} it must end on for a run on {run_date}"
        )
    holdout_from = window.train_to + timedelta(days=1)
    recent = deps.warehouse.query(
        load_sql("training/feature_rows_in_window"),
        {"date_from": holdout_from, "date_to": window.holdout_to, "feature_version": FEATURE_VERSION},
    )
    if not recent or int(recent[0]["n"]) == 0:
        return StepResult(
            run_date,
            0,
            0,
            f"{named}: no {FEATURE_VERSION} feature rows in the days before the run ({holdout_from} to "
            f"{window.holdout_to}): nothing to retrain on (off-season?)",
            status="skipped",
        )
    champions = [row for row in aliased_models(deps.warehouse) if row["alias"] == CHAMPION]
    seed = config.seeds[0]
    try:
        report = train_model(
            deps.warehouse,
            deps.blobs,
            settings,
            window.train_from,
            window.train_to,
            window.holdout_to,
            seed,
            system_id=settings.retrain_system_id,
            alias=SHADOW,
            **config.catboost.model_dump(),
            feature_version=config.feature_version,
            # The publish time names the run: a redelivered message rewrites the same model id, not a new one.
            now=context.publish_time,
            config_lineage=config.lineage(settings.retrain_experiment),
        )
    except (TrainingDataError, AliasConflictError) as exc:
        raise RefusedError(f"retrain of {settings.retrain_system_id} ({named}) refused: {exc}") from exc
    champion = champions[0] if champions else None
    run_id, evaluation = evaluate_against_champion(context, config, seed, run_date, champion)
    context.publish(
        MODEL_TRAINED_TOPIC,
        ModelTrained(
            **context.event_fields(run_date),
            model_id=report.model_id,
            system_id=report.system_id,
            alias=SHADOW,
            experiment_id=report.experiment_id,
            train_from=window.train_from,
            train_to=window.train_to,
            holdout_to=window.holdout_to,
            train_rows=report.train_rows,
            holdout_rows=report.holdout_rows,
            holdout_mae=report.metrics["holdout_mae"],
            baseline_mae=dict(report.baselines),
            champion_model_id=str(champion["model_id"]) if champion else None,
            demoted=report.demoted,
            experiment_config=settings.retrain_experiment,
            experiment_config_hash=config.config_hash,
            evaluation_run_id=run_id,
            evaluation=evaluation,
        ),
    )
    comparison = ", ".join(
        f"{name} {'n/a' if value is None else f'{value:.3f}'}" for name, value in report.comparison()
    )
    return StepResult(
        run_date,
        report.train_rows + report.holdout_rows,
        1,
        f"registered {report.model_id} as a shadow of {report.system_id} from {named} (trained "
        f"{window.train_from}..{window.train_to}, held out to {window.holdout_to}); holdout MAE: "
        f"{comparison}; production-equivalent: {evaluation_summary(evaluation)}",
    )


def evaluate_against_champion(
    context: StepContext, config: ExperimentConfig, seed: int, run_date: date, champion: Row | None
) -> tuple[str | None, dict[str, Any]]:
    """Walk the config forward over ``evaluation_span``, pair its bets with the champion's."""
    deps = context.deps
    span_from, span_to = evaluation_span(run_date, config)
    figures: dict[str, Any] = {"from": str(span_from), "to": str(span_to)}
    try:
        plan_folds(config, span_from, span_to)
    except ValueError as exc:  # no training window before the span
        return None, {**figures, "not_evaluated": str(exc)}
    try:
        walk = run_walk_forward(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            config,
            deps.settings.retrain_experiment,
            seed,
            cache=deps.cache,
            date_from=span_from,
            date_to=span_to,
        )
    except TrainingDataError as exc:  # too few rows before the span to train its fold
        return None, {**figures, "not_evaluated": str(exc)}
    rows = run_evidence(deps.warehouse, walk.run_id).rows
    bets = evaluate(rows, EvaluationMode.PRODUCTION_EQUIVALENT)
    assert bets.bets is not None  # production-equivalent evaluations carry their bets
    hit = bets.bets.hit
    figures.update(
        {
            "bets": bets.bets.bets,
            "hit_rate": hit.rate,
            "hit_rate_n": hit.n,
            "hit_rate_lower": hit.lower,
            "hit_rate_upper": hit.upper,
            "roi": bets.bets.roi,
            "mae": bets.errors["model"].mae,
            "mae_n": bets.n,
        }
    )
    if champion is None:
        return walk.run_id, {**figures, "champion": "none: no champion to compare with"}
    champion_rows = production_rows(deps.warehouse, str(champion["system_id"]), config, span_from, span_to)
    paired = paired_comparison(rows, champion_rows)
    figures.update(
        {
            "champion_system_id": str(champion["system_id"]),
            "paired_bets": paired.pairs,
            "paired_decided": paired.hit_rate.n,
            "hit_rate_difference": paired.hit_rate.difference,
            "hit_rate_difference_lower": paired.hit_rate.lower,
            "hit_rate_difference_upper": paired.hit_rate.upper,
            "roi_difference": paired.roi.difference,
            "roi_difference_lower": paired.roi.lower,
            "roi_difference_upper": paired.roi.upper,
        }
    )
    return walk.run_id, figures


def production_rows(
    warehouse: Warehouse, system_id: str, config: ExperimentConfig, date_from: date, date_to: date
) -> list[EvaluationRow]:
    """A production system's predictions and grades over a span, as the evaluation's rows."""
    found = warehouse.query(
        load_sql("experiments/evidence_rows"),
        {
            "system_id": system_id,
            "date_from": date_from,
            "date_to": date_to,
            # The stored rows' version (they serve every contract inside it), not the model's contract.
            "feature_version": FEATURE_VERSION,
        },
    )
    return [evidence_row(row, None) for row in found]


def evaluation_summary(figures: dict[str, Any]) -> str:
    span = f"{figures['from']}..{figures['to']}"
    if "not_evaluated" in figures:
        return f"not evaluated over {span}: {figures['not_evaluated']}"
    hit = f"hit rate {_rate(figures, 'hit_rate')} (n={figures['hit_rate_n']})"
    text = f"{figures['bets']} bets over {span}, {hit}"
    if "paired_bets" not in figures:
        return f"{text}; {figures['champion']}"
    return (
        f"{text}; vs champion {figures['champion_system_id']} on {figures['paired_bets']} bets both made: "
        f"hit rate difference {_rate(figures, 'hit_rate_difference')} (n={figures['paired_decided']})"
    )


def _rate(figures: dict[str, Any], key: str) -> str:
    value, lower, upper = figures[key], figures[f"{key}_lower"], figures[f"{key}_upper"]
    if value is None:
        return "n/a"
    return (
        f"{value:+.3f} [{lower:+.3f}, {upper:+.3f}]"
        if key.endswith("difference")
        else (f"{value:.3f} [{lower:.3f}, {upper:.3f}]")
    )
