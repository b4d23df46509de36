"""Walk-forward backtest of an experiment config on the production path.

For each fold (``plan_folds``: one every ``retrain_every_days`` over the evaluation span) the training service
trains a model on the window ending the day before the fold (its last ``holdout_days`` held out for the
residual model); then every date of the fold is predicted by the production prediction service
(``predict_date`` with that model: same line policy, feature rows, population filters and recommendation
rules) and graded by the production grading service (``grade_date``, limited to the backtest's system). There
is no second implementation of either.

Predictions and grades are written under ``backtest_system_id`` (``<system_id>_wf_s<seed>``), never under a
deployed system, so the champion's rows are untouched. The evidence (each predicted player-game, its grade
and the naive baselines) is copied per run into ``experiment_rows``, per-fold results into
``experiment_folds`` and the lineage into ``experiment_runs``. Everything is keyed and stamped with times
derived from the data (feature build and box-score landing times, fold cut-offs), so rerunning a run on the
same data writes identical rows; a fold only reads data up to its cut-off for training and the feature rows
production built for its dates (the feature store's rows, ``FEATURE_VERSION``, from which the config's
``feature_version`` picks the model's inputs, so configs of different contracts are judged on the same rows).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any

from shared.clock import as_utc, utc_now
from shared.domain import systems as system_naming
from shared.domain.evaluation import (
    EvaluationMode,
    EvaluationRow,
    bet_figures,
    evaluate,
    ewma_by_player_game,
)
from shared.domain.features import FEATURE_VERSION
from shared.errors import MissingRowsError
from shared.experiment_config import ExperimentConfig
from shared.ports import BlobStore, Row, Warehouse
from shared.services.grading import grade_date
from shared.services.model_registry import model_row
from shared.services.prediction import predict_date
from shared.services.training import TrainingReport, git_commit, train_model
from shared.settings import Settings
from shared.sql import load_sql

EXPERIMENT_RUNS = "nba_predictions.experiment_runs"
EXPERIMENT_FOLDS = "nba_predictions.experiment_folds"
EXPERIMENT_ROWS = "nba_predictions.experiment_rows"
EWMA_LOOKBACK_DAYS = 365  # earlier games the EWMA baseline reads (across seasons, like the last-10 feature)


@dataclass(frozen=True)
class Fold:
    index: int
    train_from: date
    train_to: date
    holdout_to: date  # the day before fold_from: training never sees the fold
    fold_from: date
    fold_to: date


@dataclass(frozen=True)
class FoldResult:
    fold: Fold
    model_id: str
    dates_predicted: int
    bets: int
    all_rows: int


@dataclass(frozen=True)
class WalkForwardReport:
    run_id: str
    system_id: str
    backtest_system_id: str
    folds: tuple[FoldResult, ...]
    duration_seconds: float


def plan_folds(config: ExperimentConfig, date_from: date, date_to: date) -> list[Fold]:
    """Consecutive folds of ``retrain_every_days`` covering [date_from, date_to]."""
    if date_to < date_from:
        raise ValueError(f"--to {date_to} is before --from {date_from}")
    window = config.training_window
    folds: list[Fold] = []
    start = date_from
    while start <= date_to:
        end = min(start + timedelta(days=config.retrain_every_days - 1), date_to)
        train_from, train_to, holdout_to = window.before(start)
        if train_from > train_to:
            raise ValueError(
                f"fold {len(folds)} ({start}..{end}) has no training window: {train_from} is after {train_to}"
            )
        folds.append(Fold(len(folds), train_from, train_to, holdout_to, start, end))
        start = end + timedelta(days=1)
    return folds


def backtest_system_id(config: ExperimentConfig, seed: int) -> str:
    """Never a production system (``shared.domain.systems``): operator surfaces leave it out."""
    return system_naming.backtest_system_id(config.system_id, seed)


def run_id_for(config: ExperimentConfig, config_name: str, seed: int, date_from: date, date_to: date) -> str:
    """Deterministic: the same config, seed and span is the same run (a rerun rewrites it by key)."""
    digest = hashlib.sha256(f"{config.config_hash}|{seed}|{date_from}|{date_to}".encode()).hexdigest()
    return f"wf-{config_name}-s{seed}-{digest[:10]}"


def _cut_off(fold: Fold) -> datetime:
    """The instant a fold's model is trained: midnight UTC of its first date (stamps its registry rows)."""
    return datetime.combine(fold.fold_from, day_time(0), tzinfo=UTC)


def run_walk_forward(
    warehouse: Warehouse,
    blobs: BlobStore,
    settings: Settings,
    config: ExperimentConfig,
    config_name: str,
    seed: int,
    *,
    cache: MutableMapping[str, Any],
    date_from: date | None = None,
    date_to: date | None = None,
    on_date: Callable[[date], None] | None = None,
    commit: str | None = None,
) -> WalkForwardReport:
    """Train, predict, grade and record every fold of ``config`` for one seed (see the module docstring)."""
    started = time.monotonic()
    started_at = utc_now()
    span_from = date_from or config.evaluation.date_from
    span_to = date_to or config.evaluation.date_to
    folds = plan_folds(config, span_from, span_to)
    run_id = run_id_for(config, config_name, seed, span_from, span_to)
    system = backtest_system_id(config, seed)
    commit = commit or git_commit()
    results: list[FoldResult] = []
    fingerprints: list[str] = []
    versions: dict[str, str] = {}
    for fold in folds:
        params = config.catboost
        training = train_model(
            warehouse,
            blobs,
            settings,
            fold.train_from,
            fold.train_to,
            fold.holdout_to,
            seed,
            system_id=system,
            iterations=params.iterations,
            depth=params.depth,
            learning_rate=params.learning_rate,
            loss_function=params.loss_function,
            feature_version=config.feature_version,
            now=_cut_off(fold),
            commit=commit,
            config_lineage=config.lineage(config_name),
        )
        fingerprints.append(training.data_fingerprint)
        versions = training.library_versions
        registry_row = model_row(warehouse, training.model_id)
        assert registry_row is not None  # train_model registered it
        predicted = _predict_and_grade_fold(
            warehouse, blobs, settings, config, fold, registry_row, run_id, system, cache, on_date
        )
        rows = _write_evidence(warehouse, config, fold, run_id, system)
        _write_fold(warehouse, run_id, fold, training.model_id, training, predicted, rows)
        results.append(FoldResult(fold, training.model_id, predicted, sum(r.is_bet for r in rows), len(rows)))
    duration = time.monotonic() - started
    warehouse.replace_rows(
        EXPERIMENT_RUNS,
        [
            {
                "run_id": run_id,
                "config_name": config_name,
                "config": config.canonical_json(),
                "config_hash": config.config_hash,
                "system_id": config.system_id,
                "backtest_system_id": system,
                "feature_version": config.feature_version,
                "seed": seed,
                "evaluation_from": span_from,
                "evaluation_to": span_to,
                "folds": len(folds),
                "data_fingerprint": hashlib.sha256("|".join(fingerprints).encode()).hexdigest(),
                "git_commit": commit,
                "library_versions": json.dumps(versions, sort_keys=True),
                "status": "complete",
                "started_at": started_at,
                "finished_at": utc_now(),
                "duration_seconds": duration,
            }
        ],
        ["run_id"],
    )
    return WalkForwardReport(run_id, config.system_id, system, tuple(results), duration)


def _predict_and_grade_fold(
    warehouse: Warehouse,
    blobs: BlobStore,
    settings: Settings,
    config: ExperimentConfig,
    fold: Fold,
    registry_row: Row,
    run_id: str,
    system: str,
    cache: MutableMapping[str, Any],
    on_date: Callable[[date], None] | None,
) -> int:
    times = warehouse.query(
        load_sql("experiments/decision_times"),
        {"date_from": fold.fold_from, "date_to": fold.fold_to, "feature_version": FEATURE_VERSION},
    )
    predicted = 0
    for row in times:
        day: date = row["game_date"]
        decided_at = as_utc(row["built_at"])
        try:
            predict_date(
                warehouse,
                blobs,
                settings,
                day,
                FEATURE_VERSION,
                run_id=run_id,
                created_at=decided_at,
                cache=cache,
                models=[registry_row],
            )
        except MissingRowsError:
            continue
        predicted += 1
        graded_at = as_utc(row["loaded_at"]) if row["loaded_at"] is not None else decided_at
        grade_date(warehouse, day, graded_at, settings, run_id=run_id, system_ids=[system])
        if on_date:
            on_date(day)
    return predicted


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def evidence_row(row: Row, ewma: float | None) -> EvaluationRow:
    """A row of experiments/evidence_rows.sql as the domain's input. The season average falls back to the
    last-10 average before a player's first game of the season (as in the training service's baselines)."""
    last10 = float(row["pts_avg_last10"])
    season = float(row["pts_avg_season"]) if float(row["games_played_season"]) > 0 else last10
    recommendation = str(row["recommendation"])
    is_bet = _is_bet(row)
    price = row["over_price"] if recommendation == "OVER" else row["under_price"]
    return EvaluationRow(
        game_date=row["game_date"],
        player_id=str(row["player_id"]),
        predicted_points=float(row["predicted_points"]),
        actual_points=_float(row["actual_points"]),
        line_value=_float(row["line_value"]),
        recommendation=recommendation,
        is_bet=is_bet,
        is_correct=None if row["is_correct"] is None else bool(row["is_correct"]),
        is_push=bool(row["is_push"]),
        price=None if price is None or not is_bet else int(price),
        closing_line=_float(row["closing_line"]),
        p_over=_float(row["p_over"]),
        baseline_last10=last10,
        baseline_season=season,
        baseline_ewma=ewma,
    )


def _is_bet(row: Row) -> bool:
    """An OVER/UNDER call against a real line that grading graded: what production would have bet."""
    return (
        row["recommendation"] in ("OVER", "UNDER")
        and row["line_source"] == "ACTUAL_PROP"
        and row["grade_status"] == "graded"
    )


def _write_evidence(
    warehouse: Warehouse, config: ExperimentConfig, fold: Fold, run_id: str, system: str
) -> list[EvaluationRow]:
    span = {"date_from": fold.fold_from, "date_to": fold.fold_to}
    found = warehouse.query(
        load_sql("experiments/evidence_rows"),
        {**span, "system_id": system, "feature_version": FEATURE_VERSION},
    )
    history = warehouse.query(
        load_sql("experiments/points_history"),
        {"date_from": fold.fold_from - timedelta(days=EWMA_LOOKBACK_DAYS), "date_to": fold.fold_to},
    )
    ewma = ewma_by_player_game(
        ((str(h["player_id"]), h["game_date"], float(h["points"])) for h in history),
        ((str(r["player_id"]), r["game_date"]) for r in found),
    )
    evaluated = [evidence_row(r, ewma[(str(r["player_id"]), r["game_date"])]) for r in found]
    stored = [
        {
            "run_id": run_id,
            "fold_index": fold.index,
            "game_date": raw["game_date"],
            "player_id": raw["player_id"],
            "game_id": raw["game_id"],
            "system_id": raw["system_id"],
            "model_id": raw["model_id"],
            "prediction_id": raw["prediction_id"],
            "predicted_points": row.predicted_points,
            "actual_points": row.actual_points,
            "line_source": raw["line_source"],
            "line_value": row.line_value,
            "recommendation": row.recommendation,
            "p_over": row.p_over,
            "edge": raw["edge"],
            "grade_status": raw["grade_status"],
            "is_bet": row.is_bet,
            "is_correct": row.is_correct,
            "is_push": row.is_push,
            "bet_price": row.price,
            "closing_line": row.closing_line,
            "baseline_last10": row.baseline_last10,
            "baseline_season": row.baseline_season,
            "baseline_ewma": row.baseline_ewma,
        }
        for raw, row in zip(found, evaluated, strict=True)
    ]
    warehouse.execute(load_sql("experiments/delete_run_rows"), {**span, "run_id": run_id})
    warehouse.replace_rows(EXPERIMENT_ROWS, stored, ["run_id", "game_date", "player_id"])
    return evaluated


def _write_fold(
    warehouse: Warehouse,
    run_id: str,
    fold: Fold,
    model_id: str,
    training: TrainingReport,
    dates_predicted: int,
    rows: list[EvaluationRow],
) -> None:
    bets = evaluate(rows, EvaluationMode.PRODUCTION_EQUIVALENT)
    all_rows = evaluate(rows, EvaluationMode.ALL_ROWS)
    figures = bet_figures([row for row in rows if row.is_bet])
    warehouse.replace_rows(
        EXPERIMENT_FOLDS,
        [
            {
                "run_id": run_id,
                "fold_index": fold.index,
                "model_id": model_id,
                "train_from": fold.train_from,
                "train_to": fold.train_to,
                "holdout_to": fold.holdout_to,
                "fold_from": fold.fold_from,
                "fold_to": fold.fold_to,
                "data_fingerprint": training.data_fingerprint,
                "train_rows": training.train_rows,
                "holdout_rows": training.holdout_rows,
                "dates_predicted": dates_predicted,
                "bets": figures.bets,
                "wins": figures.hit.wins,
                "losses": figures.hit.losses,
                "pushes": figures.pushes,
                "roi": figures.roi,
                "bets_mae": bets.errors["model"].mae,
                "all_rows": all_rows.n,
                "all_rows_mae": all_rows.errors["model"].mae,
            }
        ],
        ["run_id", "fold_index"],
    )
