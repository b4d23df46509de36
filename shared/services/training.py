"""Training: a CatBoost regressor of points on the feature store rows, registered with its evidence.

The training rows are the feature-store rows production reads (point-in-time, built by the same service),
joined to the actual points of players who played (minutes > 0). Train on [train_from, train_to], hold out
(train_to, holdout_to]. The held-out residuals fit the ResidualModel that turns an edge into P(over), and
the holdout's rows with a real line fit the calibrator that shrinks it toward the market, cross-fitted
(shared/domain/holdout_calibration.py); both go in the metadata. The
model file (.cbm) and a metadata JSON go to the models bucket; the model is registered in
``nba_predictions.model_registry`` and the run in ``nba_predictions.ml_experiments``. Holdout MAE is reported
next to naive baselines (season average, last-10 average, and the line itself on rows with a line).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from shared.clock import utc_now
from shared.domain.features import (
    CONTRACT_V1,
    FEATURE_VERSION,
    FeatureContract,
    contract_of,
    model_input_vector,
    stored_feature_values,
)
from shared.domain.holdout_calibration import HoldoutGame, fit_probability_models
from shared.domain.line_policy import LineSource
from shared.domain.recommendation import MIN_RESIDUALS_TO_FIT
from shared.ports import BlobStore, Row, Warehouse
from shared.services.model_registry import Alias, assign_alias, record_experiment, register_model
from shared.services.promotion_log import TRAINING_ASSIGNMENT, AliasChange
from shared.settings import Settings
from shared.sql import load_sql

DEFAULT_SYSTEM_ID = "catboost_points_v1"
# The contract a model trains on unless told otherwise: the champion's. Rows are always the feature store's
# (FEATURE_VERSION), which serve every contract that is part of it.
DEFAULT_FEATURE_VERSION = CONTRACT_V1.version
DEFAULT_ITERATIONS = 300
DEFAULT_DEPTH = 6
DEFAULT_LEARNING_RATE = 0.05
DEFAULT_LOSS_FUNCTION = "RMSE"
THREAD_COUNT = 2
MIN_TRAIN_ROWS = 50
METADATA_SCHEMA = "courtside-model-metadata-v1"


class TrainingDataError(ValueError):
    """Not enough rows to train or to hold out (e.g. features were not backfilled for the window)."""


@dataclass(frozen=True)
class TrainingReport:
    model_id: str
    system_id: str
    experiment_id: str
    alias: str | None
    model_path: str
    metadata_path: str
    train_rows: int
    holdout_rows: int
    holdout_rows_with_line: int
    metrics: dict[str, float]
    baselines: dict[str, float | None]
    duration_seconds: float
    demoted: tuple[str, ...] = field(default_factory=tuple)
    data_fingerprint: str = ""
    library_versions: dict[str, str] = field(default_factory=dict)

    def comparison(self) -> list[tuple[str, float | None]]:
        """Holdout MAE of the model next to the naive baselines (line rows compared on line rows)."""
        return [
            ("model (all holdout rows)", self.metrics["holdout_mae"]),
            ("season average", self.baselines["season_avg_mae"]),
            ("last-10 average", self.baselines["last10_avg_mae"]),
            ("model (rows with a line)", self.baselines["model_mae_on_line_rows"]),
            ("the line (rows with a line)", self.baselines["line_mae"]),
        ]


def git_commit(repo: Path | None = None) -> str:
    """HEAD of the repository the code runs from, or "unknown" (e.g. a vendored function folder)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=repo or Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else "unknown"


def _real_line(row: Row) -> float | None:
    """The row's line when it is a real prop line (what the calibrator learns from), else None."""
    if row["line_source"] != LineSource.ACTUAL_PROP or row["line_value"] is None:
        return None
    return float(row["line_value"])


def _mae(errors: Sequence[float]) -> float:
    return sum(abs(e) for e in errors) / len(errors)


def _rmse(errors: Sequence[float]) -> float:
    return math.sqrt(sum(e * e for e in errors) / len(errors))


def _matrix(rows: Sequence[Row], contract: FeatureContract) -> list[list[float]]:
    return [model_input_vector(stored_feature_values(row), contract) for row in rows]


def data_fingerprint(
    rows: Sequence[Row],
    vectors: Sequence[Sequence[float]] | None = None,
    contract: FeatureContract = CONTRACT_V1,
) -> str:
    """sha256 of what a model learns from: each row's key, model inputs and actual points, in row order.

    ``vectors``: the rows' model inputs (of ``contract``) when the caller has them already."""
    digest = hashlib.sha256()
    for row, vector in zip(rows, _matrix(rows, contract) if vectors is None else vectors, strict=True):
        inputs = ",".join(f"{value:.6f}" for value in vector)
        digest.update(
            f"{row['game_date']}|{row['game_id']}|{row['player_id']}|{inputs}|{row['actual_points']}\n".encode()
        )
    return digest.hexdigest()


def model_paths(system_id: str, model_id: str) -> tuple[str, str]:
    base = f"models/{system_id}/{model_id}"
    return f"{base}/model.cbm", f"{base}/metadata.json"


def baselines(holdout: Sequence[Row], predicted: Sequence[float]) -> dict[str, float | None]:
    """Holdout MAE of naive predictors. The season average falls back to the last-10 average before a
    player's first game of the season (as the stored, defaulted feature would be meaningless there)."""
    actual = [float(row["actual_points"]) for row in holdout]
    season = [
        float(row["pts_avg_season"])
        if float(row["games_played_season"]) > 0
        else float(row["pts_avg_last10"])
        for row in holdout
    ]
    last10 = [float(row["pts_avg_last10"]) for row in holdout]
    with_line = [i for i, row in enumerate(holdout) if row["line_value"] is not None]
    result: dict[str, float | None] = {
        "season_avg_mae": _mae([s - a for s, a in zip(season, actual, strict=True)]),
        "last10_avg_mae": _mae([s - a for s, a in zip(last10, actual, strict=True)]),
        "line_mae": None,
        "model_mae_on_line_rows": None,
    }
    if with_line:
        result["line_mae"] = _mae([float(holdout[i]["line_value"]) - actual[i] for i in with_line])
        result["model_mae_on_line_rows"] = _mae([predicted[i] - actual[i] for i in with_line])
    return result


def train_model(
    warehouse: Warehouse,
    blobs: BlobStore,
    settings: Settings,
    train_from: date,
    train_to: date,
    holdout_to: date,
    seed: int,
    *,
    system_id: str = DEFAULT_SYSTEM_ID,
    alias: Alias | None = None,
    iterations: int = DEFAULT_ITERATIONS,
    depth: int = DEFAULT_DEPTH,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    loss_function: str = DEFAULT_LOSS_FUNCTION,
    feature_version: str = DEFAULT_FEATURE_VERSION,
    now: datetime | None = None,
    commit: str | None = None,
    config_lineage: Mapping[str, str] | None = None,
    alias_change: AliasChange = TRAINING_ASSIGNMENT,
) -> TrainingReport:
    """Train, evaluate, save, register (and optionally alias) one model; see the module docstring.

    ``feature_version`` is the model's contract: its inputs are taken from the feature store's rows.
    ``config_lineage``: the experiment config the parameters came from (``name``, ``hash``), kept in the
    model's metadata as ``experiment_config``: what promotion looks the model's walk-forward evidence up by.
    ``alias_change``: who and why, for the alias history, when ``alias`` is given."""
    import numpy as np
    from catboost import CatBoostRegressor
    from catboost import __version__ as catboost_version

    if not train_from <= train_to < holdout_to:
        raise ValueError(
            f"need train_from <= train_to < holdout_to, got {train_from}, {train_to}, {holdout_to}"
        )
    contract = contract_of(feature_version)
    started = time.monotonic()
    started_at = now or utc_now()
    rows = warehouse.query(
        load_sql("training/training_rows"),
        {"date_from": train_from, "date_to": holdout_to, "feature_version": FEATURE_VERSION},
    )
    # Each row's model inputs once: the training matrices and the data fingerprint read the same vectors.
    vectors = _matrix(rows, contract)
    in_train = [row["game_date"] <= train_to for row in rows]
    train = [row for row, trains in zip(rows, in_train, strict=True) if trains]
    holdout = [row for row, trains in zip(rows, in_train, strict=True) if not trains]
    if len(train) < MIN_TRAIN_ROWS:
        raise TrainingDataError(
            f"{len(train)} training rows in [{train_from}, {train_to}] (need {MIN_TRAIN_ROWS}); "
            "backfill features first (`courtside features --from ... --to ...`)"
        )
    if len(holdout) < MIN_RESIDUALS_TO_FIT:
        raise TrainingDataError(
            f"{len(holdout)} holdout rows in ({train_to}, {holdout_to}] (need {MIN_RESIDUALS_TO_FIT})"
        )
    params: dict[str, Any] = {
        "iterations": iterations,
        "depth": depth,
        "learning_rate": learning_rate,
        "loss_function": loss_function,
        "random_seed": seed,
        "thread_count": THREAD_COUNT,
    }
    model = CatBoostRegressor(**params, verbose=False, allow_writing_files=False)
    train_x = np.asarray([v for v, trains in zip(vectors, in_train, strict=True) if trains], dtype=np.float64)
    train_y = np.asarray([float(row["actual_points"]) for row in train], dtype=np.float64)
    holdout_x = np.asarray(
        [v for v, trains in zip(vectors, in_train, strict=True) if not trains], dtype=np.float64
    )
    model.fit(train_x, train_y)
    train_pred = [float(v) for v in model.predict(train_x)]
    holdout_pred = [float(v) for v in model.predict(holdout_x)]
    holdout_y = [float(row["actual_points"]) for row in holdout]
    train_errors = [p - a for p, a in zip(train_pred, train_y.tolist(), strict=True)]
    holdout_errors = [p - a for p, a in zip(holdout_pred, holdout_y, strict=True)]
    metrics = {
        "train_mae": _mae(train_errors),
        "train_rmse": _rmse(train_errors),
        "holdout_mae": _mae(holdout_errors),
        "holdout_rmse": _rmse(holdout_errors),
    }
    baseline = baselines(holdout, holdout_pred)
    probability_models = fit_probability_models(
        [
            HoldoutGame(
                game_date=row["game_date"],
                predicted=predicted,
                actual=actual,
                line=_real_line(row),
            )
            for row, predicted, actual in zip(holdout, holdout_pred, holdout_y, strict=True)
        ]
    )

    data = data_fingerprint(rows, vectors)
    # The data fingerprint is in the id: a model retrained on changed rows never reuses a cached model's id.
    fingerprint = hashlib.sha256(
        json.dumps(
            [system_id, contract.version, str(train_from), str(train_to), str(holdout_to), params, data],
            sort_keys=True,
        ).encode()
    ).hexdigest()[:8]
    model_id = f"{system_id}-{started_at:%Y%m%dT%H%M%SZ}-{fingerprint}"
    experiment_id = f"exp-{model_id}"
    model_path, metadata_path = model_paths(system_id, model_id)
    commit = commit or git_commit()
    versions = {
        "catboost": str(catboost_version),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    metadata: dict[str, Any] = {
        "schema": METADATA_SCHEMA,
        "model_id": model_id,
        "system_id": system_id,
        "feature_version": contract.version,
        "feature_names": list(contract.model_inputs),
        "trained_at": started_at.isoformat(),
        "training_window": {"train_from": str(train_from), "train_to": str(train_to)},
        "holdout_window": {"holdout_from_exclusive": str(train_to), "holdout_to": str(holdout_to)},
        "rows": {"train": len(train), "holdout": len(holdout)},
        "params": params,
        "metrics": metrics,
        "baselines": baseline,
        "residual_model": probability_models.residual_model.to_dict(),
        "calibration": probability_models.calibration.to_dict(),
        "library_versions": versions,
        "git_commit": commit,
        "seed": seed,
        "data_fingerprint": data,
        "experiment_config": dict(config_lineage) if config_lineage else None,
    }
    with tempfile.TemporaryDirectory() as folder:
        local = os.path.join(folder, "model.cbm")
        model.save_model(local)
        blobs.write_bytes(settings.models_bucket, model_path, Path(local).read_bytes())
    blobs.write_bytes(settings.models_bucket, metadata_path, json.dumps(metadata, indent=2).encode("utf-8"))

    register_model(
        warehouse,
        {
            "model_id": model_id,
            "system_id": system_id,
            "models_bucket": settings.models_bucket,
            "model_path": model_path,
            "metadata_path": metadata_path,
            "feature_version": contract.version,
            "feature_names": json.dumps(list(contract.model_inputs)),
            "trained_at": started_at,
            "train_from": train_from,
            "train_to": train_to,
            "holdout_to": holdout_to,
            "train_rows": len(train),
            "holdout_rows": len(holdout),
            "metrics": json.dumps({**metrics, "baselines": baseline}, sort_keys=True),
            "catboost_version": versions["catboost"],
            "numpy_version": versions["numpy"],
            "python_version": versions["python"],
            "git_commit": commit,
            "seed": seed,
            "experiment_id": experiment_id,
            "alias_updated_at": None,
        },
    )
    demoted = assign_alias(warehouse, model_id, alias, started_at, alias_change) if alias else []
    duration = time.monotonic() - started
    record_experiment(
        warehouse,
        {
            "experiment_id": experiment_id,
            "model_id": model_id,
            "system_id": system_id,
            "feature_version": contract.version,
            "started_at": started_at,
            "finished_at": utc_now(),
            "duration_seconds": duration,
            "train_from": train_from,
            "train_to": train_to,
            "holdout_to": holdout_to,
            "seed": seed,
            "params": json.dumps(params, sort_keys=True),
            "train_rows": len(train),
            "holdout_rows": len(holdout),
            "holdout_rows_with_line": sum(row["line_value"] is not None for row in holdout),
            "metrics": json.dumps(metrics, sort_keys=True),
            "baselines": json.dumps(baseline, sort_keys=True),
            "status": "registered",
            "alias": alias,
            "git_commit": commit,
            "model_path": model_path,
            "metadata_path": metadata_path,
        },
    )
    return TrainingReport(
        model_id=model_id,
        system_id=system_id,
        experiment_id=experiment_id,
        alias=alias,
        model_path=model_path,
        metadata_path=metadata_path,
        train_rows=len(train),
        holdout_rows=len(holdout),
        holdout_rows_with_line=sum(row["line_value"] is not None for row in holdout),
        metrics=metrics,
        baselines=baseline,
        duration_seconds=duration,
        demoted=tuple(demoted),
        data_fingerprint=data,
        library_versions=versions,
    )
