"""Scheduled retraining (the ``training`` function): train the retrain system on its window, register the
model as a shadow, record it and publish ``model-trained``.

The run date is the US Eastern date of the scheduler's publish time (or a date an operator pinned). The window
ends the day before it: the last ``retrain_holdout_days`` are held out, the ``retrain_training_days`` before
them are trained on (``retrain_window``). The window and the CatBoost parameters come from the settings and
the training service's defaults: the seam where the retrain experiment config (``experiments/*.yaml``,
issue 10 item 2) will name them. Training is the one training service (``shared/services/training.py``),
the very code ``courtside train`` runs; the run is recorded in ``ml_experiments``, the model in
``model_registry``.

The comparison published with the model is the training holdout (its MAE next to naive baselines on the same
held-out rows). The production-equivalent comparison with the champion, on the same bets, is diagnostics'
daily paired comparison of the shadow fleet (``shared/services/shadow_fleet.py``). Nothing is promoted.

A window without any feature row (the off-season) is skipped; a window with too few rows, or a retrain
system that is the champion's, is refused (recorded as rejected) and, if it persists, diagnostics' staleness
WARNING says so after ``ModelLifecycle.retrain_stale_after_days``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from shared.clock import today_et
from shared.domain.features import FEATURE_VERSION
from shared.errors import RefusedError
from shared.events import ModelTrained, ScheduledRun
from shared.services.model_registry import CHAMPION, SHADOW, AliasConflictError, aliased_models
from shared.services.training import TrainingDataError, train_model
from shared.settings import Settings
from shared.sql import load_sql
from shared.step import StepContext, StepResult

MODEL_TRAINED_TOPIC = "model-trained"


class RetrainWindow(NamedTuple):
    train_from: date
    train_to: date
    holdout_to: date


def retrain_window(run_date: date, settings: Settings) -> RetrainWindow:
    """Hold out the ``retrain_holdout_days`` before ``run_date``; train on the days before those."""
    holdout_to = run_date - timedelta(days=1)
    train_to = holdout_to - timedelta(days=settings.retrain_holdout_days)
    return RetrainWindow(train_to - timedelta(days=settings.retrain_training_days - 1), train_to, holdout_to)


def handle(event: ScheduledRun, context: StepContext) -> StepResult:
    deps = context.deps
    run_date = event.game_date or today_et(context.publish_time)
    window = retrain_window(run_date, deps.settings)
    available = deps.warehouse.query(
        load_sql("training/feature_rows_in_window"),
        {"date_from": window.train_from, "date_to": window.holdout_to, "feature_version": FEATURE_VERSION},
    )
    if not available or int(available[0]["n"]) == 0:
        return StepResult(
            run_date,
            0,
            0,
            f"no {FEATURE_VERSION} feature rows from {window.train_from} to {window.holdout_to}: nothing to "
            "retrain on (off-season?)",
            status="skipped",
        )
    champions = [row for row in aliased_models(deps.warehouse) if row["alias"] == CHAMPION]
    try:
        report = train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            window.train_from,
            window.train_to,
            window.holdout_to,
            deps.settings.retrain_seed,
            system_id=deps.settings.retrain_system_id,
            alias=SHADOW,
            # The publish time names the run: a redelivered message rewrites the same model id, not a new one.
            now=context.publish_time,
        )
    except (TrainingDataError, AliasConflictError) as exc:
        raise RefusedError(f"retrain of {deps.settings.retrain_system_id} refused: {exc}") from exc
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
            champion_model_id=str(champions[0]["model_id"]) if champions else None,
            demoted=report.demoted,
        ),
    )
    comparison = ", ".join(
        f"{name} {'n/a' if value is None else f'{value:.3f}'}" for name, value in report.comparison()
    )
    return StepResult(
        run_date,
        report.train_rows + report.holdout_rows,
        1,
        f"registered {report.model_id} as a shadow of {report.system_id} (trained {window.train_from}.."
        f"{window.train_to}, held out to {window.holdout_to}); holdout MAE: {comparison}",
    )
