"""Prediction: points, edge, P(over) and a recommendation for every feature row of a date, per model.

The champion and every shadow are loaded lazily and cached per instance (``deps.cache``) by model id.
Every model reads the same feature rows (the contract the feature store builds) and takes its own
contract's inputs from them: a v1 champion and a v2 shadow predict the same player-games. A model is refused
(RefusedError, nothing written) when the rows do not serve its feature version, its file is missing or
does not load, or the installed CatBoost differs from the version it was trained with: a prediction from
a silently different model is worse than none. A failure to *read* the model's objects (network, timeout,
5xx) is the store's, not the model's: TransientError, so the event is redelivered.
CatBoost is imported only here, only when a model is loaded, and gets plain numpy arrays (never pandas),
so the function's cold start stays small.

Rows are appended to ``nba_predictions.player_prop_predictions`` with ``insert_missing_rows`` keyed by the
deterministic prediction id: a redelivered features-ready adds nothing, a changed line (new features hash)
adds a new version, which ``player_prop_predictions_current`` then shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import as_utc
from shared.domain.calibration import OverShareCalibration
from shared.domain.features import (
    FeatureContract,
    contract_of,
    features_hash,
    model_input_vector,
    serves,
    stored_feature_values,
)
from shared.domain.prediction_identity import prediction_id
from shared.domain.recommendation import ResidualModel, decide
from shared.domain.vocabulary import Recommendation
from shared.errors import MissingRowsError, RefusedError, TransientError
from shared.events import FeaturesReady, PredictionsReady
from shared.feature_rows import read_feature_rows
from shared.ports import BlobStore, Row, Warehouse
from shared.services.model_registry import CHAMPION, aliased_models
from shared.settings import Settings
from shared.sql import load_sql
from shared.step import StepContext, StepResult

PREDICTIONS = "nba_predictions.player_prop_predictions"
PREDICTIONS_READY_TOPIC = "predictions-ready"
CACHE_PREFIX = "model:"


@dataclass(frozen=True)
class LoadedModel:
    model_id: str
    system_id: str
    feature_version: str
    feature_names: tuple[str, ...]
    residual_model: ResidualModel
    calibration: OverShareCalibration  # the identity for models saved before calibration existed
    catboost_version: str
    booster: Any  # catboost.CatBoostRegressor

    @property
    def contract(self) -> FeatureContract:
        return contract_of(self.feature_version)

    def predict(self, matrix: Sequence[Sequence[float]]) -> list[float]:
        import numpy as np

        values = self.booster.predict(np.asarray(matrix, dtype=np.float64))
        return [float(value) for value in values]


@dataclass(frozen=True)
class PredictionReport:
    game_date: date
    status: str  # predicted | skipped
    detail: str
    feature_rows: int = 0
    rows_written: int = 0
    systems: tuple[str, ...] = ()


def installed_catboost_version() -> str:
    from catboost import __version__

    return str(__version__)


def load_model(
    blobs: BlobStore, registry_row: Mapping[str, Any], cache: MutableMapping[str, Any]
) -> LoadedModel:
    """The model of a registry row, from the instance cache or the models bucket; RefusedError if unusable."""
    model_id = str(registry_row["model_id"])
    cached = cache.get(CACHE_PREFIX + model_id)
    if isinstance(cached, LoadedModel):
        return cached
    bucket = str(registry_row["models_bucket"])
    metadata_bytes = _read_model_blob(blobs, bucket, str(registry_row["metadata_path"]), model_id)
    try:
        metadata = json.loads(metadata_bytes)
        residual_model = ResidualModel.from_dict(metadata["residual_model"])
        calibration = OverShareCalibration.from_dict(metadata.get("calibration"))
        trained_with = str(metadata["library_versions"]["catboost"])
        feature_names = tuple(str(name) for name in metadata["feature_names"])
        feature_version = str(metadata["feature_version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RefusedError(f"model {model_id}: metadata is unreadable ({type(exc).__name__}: {exc})") from exc
    installed = installed_catboost_version()
    if trained_with != installed:
        raise RefusedError(
            f"model {model_id} was trained with catboost {trained_with} but {installed} is installed; "
            "retrain it or pin catboost to the training version"
        )
    try:
        inputs = contract_of(feature_version).model_inputs
    except ValueError as exc:
        raise RefusedError(f"model {model_id}: {exc}") from exc
    if feature_version != registry_row["feature_version"] or feature_names != inputs:
        raise RefusedError(
            f"model {model_id}: metadata features ({feature_version}, {len(feature_names)} inputs) "
            f"do not match the registry ({registry_row['feature_version']}) and this code's contract"
        )
    from catboost import CatBoostRegressor

    model_bytes = _read_model_blob(blobs, bucket, str(registry_row["model_path"]), model_id)
    booster = CatBoostRegressor()
    try:
        booster.load_model(blob=model_bytes)
        loaded_inputs = len(booster.feature_names_ or ())
    except Exception as exc:  # CatBoostError, truncated or corrupt file: the bytes arrived, they are unusable
        raise RefusedError(
            f"model {model_id}: the model file does not load ({type(exc).__name__}: {exc})"
        ) from exc
    if loaded_inputs != len(inputs):
        raise RefusedError(
            f"model {model_id} expects {loaded_inputs} inputs, contract {feature_version} has {len(inputs)}"
        )
    model = LoadedModel(
        model_id=model_id,
        system_id=str(registry_row["system_id"]),
        feature_version=feature_version,
        feature_names=feature_names,
        residual_model=residual_model,
        calibration=calibration,
        catboost_version=installed,
        booster=booster,
    )
    cache[CACHE_PREFIX + model_id] = model
    return model


def _read_model_blob(blobs: BlobStore, bucket: str, name: str, model_id: str) -> bytes:
    """The bytes of one model object. Missing or an invalid name: refused. Any other read failure (network,
    timeout, 5xx, permissions) is the store's, not the model's: transient, so the event is redelivered."""
    try:
        return blobs.read_bytes(bucket, name)
    except (FileNotFoundError, ValueError) as exc:
        raise RefusedError(f"model {model_id}: gs://{bucket}/{name} is missing or invalid ({exc})") from exc
    except Exception as exc:
        raise TransientError(
            f"model {model_id}: reading gs://{bucket}/{name} failed ({type(exc).__name__}: {exc}); "
            "the event will be redelivered"
        ) from exc


def prediction_rows(
    model: LoadedModel,
    is_champion: bool,
    feature_rows: Sequence[Row],
    min_edge: float,
    run_id: str,
    created_at: datetime,
    current: Mapping[tuple[str, str], Row] | None = None,
) -> list[dict[str, Any]]:
    """One new prediction version per feature row whose model or features differ from the current version.

    Rows that are not production-ready never get OVER/UNDER (PASS). The model reads its contract's inputs;
    ``features_hash`` is the stored row's, so any change of the row adds a version for every model.
    """
    current = current or {}
    values = [stored_feature_values(row) for row in feature_rows]
    predicted = model.predict([model_input_vector(v, model.contract) for v in values])
    rows: list[dict[str, Any]] = []
    for row, row_values, raw_points in zip(feature_rows, values, predicted, strict=True):
        points = max(0.0, raw_points)  # a player cannot score negative points
        line = None if row["line_value"] is None else float(row["line_value"])
        decision = decide(points, line, model.residual_model, min_edge, model.calibration)
        recommendation = decision.recommendation
        confidence = decision.confidence
        if recommendation in (Recommendation.OVER, Recommendation.UNDER) and not row["is_production_ready"]:
            recommendation = Recommendation.PASS
            confidence = max(decision.p_over or 0.0, decision.p_under or 0.0)
        # The stored row's hash (the feature store's contract), which the reconciler matches predictions on.
        row_hash = features_hash(row_values)
        game_date: date = row["game_date"]
        previous = current.get((str(row["player_id"]), model.system_id))
        if previous and (previous["model_id"], previous["features_hash"]) == (model.model_id, row_hash):
            continue  # unchanged: the current version stands
        supersedes = previous["prediction_id"] if previous else None
        version_at = _version_time(created_at, previous)
        rows.append(
            {
                "prediction_id": prediction_id(
                    game_date, str(row["player_id"]), model.system_id, model.model_id, row_hash, supersedes
                ),
                "supersedes_prediction_id": supersedes,
                "run_id": run_id,
                "game_date": game_date,
                "game_id": row["game_id"],
                "player_id": row["player_id"],
                "player_name": row["player_name"],
                "team": row["team"],
                "opponent": row["opponent"],
                "system_id": model.system_id,
                "model_id": model.model_id,
                "is_champion": is_champion,
                "feature_version": row["feature_version"],
                "features_hash": row_hash,
                "predicted_points": points,
                "line_source": row["line_source"],
                "line_value": line,
                "line_bookmaker": row["line_bookmaker"],
                "line_snapshot_at": row["line_snapshot_at"],
                "over_price": row["line_over_price"],
                "under_price": row["line_under_price"],
                "edge": decision.edge,
                "p_over": decision.p_over,
                "confidence": confidence,
                "recommendation": recommendation.value,
                "min_edge": min_edge,
                "created_at": version_at,
            }
        )
    return rows


def _version_time(created_at: datetime, previous: Row | None) -> datetime:
    """When a new version is created: the message's publish time, but always after the version it supersedes,
    so a late, older message can never make the current view (latest ``created_at``) show an older version."""
    created = as_utc(created_at)
    if previous and previous.get("created_at") is not None and as_utc(previous["created_at"]) >= created:
        return as_utc(previous["created_at"]) + timedelta(microseconds=1)
    return created


def predict_date(
    warehouse: Warehouse,
    blobs: BlobStore,
    settings: Settings,
    game_date: date,
    feature_version: str,
    *,
    run_id: str,
    created_at: datetime,
    cache: MutableMapping[str, Any],
    models: Sequence[Row] | None = None,
) -> PredictionReport:
    """Predict every feature row of ``game_date`` with the champion and every challenger.

    ``models`` (registry rows) replaces the alias lookup with explicit models: the walk-forward backtest
    predicts with each fold's model through this very function. A model is marked champion only when its
    row holds the champion alias. Every model is checked and loaded before anything is written, so a
    refusal writes no rows at all.
    """
    if models is None:
        usable, notes = _aliased_systems(warehouse)
        if not usable:
            return PredictionReport(
                game_date,
                "skipped",
                "no champion model registered in nba_predictions.model_registry "
                "(train one: `courtside train --from ... --to ... --alias champion`); no predictions made",
            )
    else:
        usable, notes = list(models), []
    for row in usable:
        if not _rows_serve(feature_version, str(row["feature_version"])):
            raise RefusedError(
                f"model {row['model_id']} ({row['alias']}) uses features {row['feature_version']}, "
                f"the feature rows of {game_date} are {feature_version} and do not serve it; "
                "no predictions written"
            )
    feature_rows = read_feature_rows(warehouse, game_date, feature_version)
    if not feature_rows:
        raise MissingRowsError(
            f"features-ready for {game_date} ({feature_version}) but no feature rows found"
        )
    stray = sorted({str(row["feature_version"]) for row in feature_rows} - {feature_version})
    if stray:
        raise RefusedError(f"feature rows of {game_date} carry versions {stray}, expected {feature_version}")
    loaded = [(load_model(blobs, row, cache), row["alias"] == CHAMPION) for row in usable]
    current = {
        (str(row["player_id"]), str(row["system_id"])): row
        for row in warehouse.query(load_sql("prediction/current_versions"), {"game_date": game_date})
    }
    rows: list[dict[str, Any]] = []
    for model, is_champion in loaded:
        rows.extend(
            prediction_rows(model, is_champion, feature_rows, settings.min_edge, run_id, created_at, current)
        )
    # prediction_id already hashes game_date, so (game_date, prediction_id) identifies the same rows; the
    # date lets the warehouse look only at that date's predictions for existing ids.
    written = warehouse.insert_missing_rows(PREDICTIONS, rows, ["game_date", "prediction_id"])
    systems = tuple(model.system_id for model, _ in loaded)
    detail = (
        f"{len(feature_rows)} feature rows x {len(loaded)} models ({', '.join(systems)}): "
        f"{written} new prediction versions, {len(feature_rows) * len(loaded) - written} unchanged"
    )
    if notes:
        detail += "; " + "; ".join(notes)
    return PredictionReport(game_date, "predicted", detail, len(feature_rows), written, systems)


def _rows_serve(row_version: str, model_version: str) -> bool:
    try:
        return serves(row_version, model_version)
    except ValueError:  # an unknown version on either side serves nothing
        return False


def _aliased_systems(warehouse: Warehouse) -> tuple[list[Row], list[str]]:
    """The champion (first) and each challenger of another system; notes on challengers left out."""
    registered = aliased_models(warehouse)
    champions = [row for row in registered if row["alias"] == CHAMPION]
    if not champions:
        return [], []
    champion_system = champions[0]["system_id"]
    notes: list[str] = []
    usable = champions[:1]
    for row in registered:
        if row["alias"] == CHAMPION:
            continue
        if row["system_id"] == champion_system:
            notes.append(
                f"challenger {row['model_id']} shares the champion's system {champion_system}: skipped"
            )
            continue
        usable.append(row)
    return usable, notes


def handle(event: FeaturesReady, context: StepContext) -> StepResult:
    deps = context.deps
    report = predict_date(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        event.game_date,
        event.feature_version,
        run_id=context.run_id,
        created_at=context.publish_time,
        cache=deps.cache,
    )
    if report.status == "skipped":
        return StepResult(event.game_date, 0, 0, report.detail, status="skipped")
    context.publish(
        PREDICTIONS_READY_TOPIC,
        PredictionsReady(
            **context.event_fields(event.game_date), rows_written=report.rows_written, systems=report.systems
        ),
    )
    return StepResult(event.game_date, report.feature_rows, report.rows_written, report.detail)
