"""What calibration did to a walk-forward run's P(over), on the run's own rows (``experiment calibration``).

For every row of a run, P(over) is recomputed with each fold model's residual model twice through the
production ``decide()``: raw (the identity) and calibrated (the model's stored calibration, which is what
the run stored; rows where the two differ are counted, never hidden). Same rows, same calls: ECE and Brier
on the bets, Brier and log loss on every lined, decided row (a real line, the player played, no push).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from shared.domain.calibration import IDENTITY, OverShareCalibration
from shared.domain.line_policy import LineSource
from shared.domain.metrics import brier_score, expected_calibration_error, log_loss
from shared.domain.recommendation import ResidualModel, decide
from shared.ports import BlobStore, Row, Warehouse
from shared.services.experiment_reports import UnknownRunError
from shared.services.model_registry import model_row
from shared.sql import load_sql

STORED_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ProbabilityFigures:
    n: int
    brier: float | None
    ece: float | None
    log_loss: float | None
    mean_p_over: float | None
    over_rate: float | None


@dataclass(frozen=True)
class FoldCalibration:
    model_id: str
    calibration: OverShareCalibration


@dataclass(frozen=True)
class CalibrationEffect:
    run_id: str
    bets: int  # is_bet rows (pushes included)
    bet_wins: int
    bet_losses: int
    raw_on_bets: ProbabilityFigures
    calibrated_on_bets: ProbabilityFigures
    raw_on_lined: ProbabilityFigures
    calibrated_on_lined: ProbabilityFigures
    stored_differs: int  # rows whose stored P(over) is not the recomputed calibrated one
    folds: list[FoldCalibration]


def figures(probabilities: Sequence[float], outcomes: Sequence[bool]) -> ProbabilityFigures:
    n = len(probabilities)
    return ProbabilityFigures(
        n=n,
        brier=brier_score(probabilities, outcomes),
        ece=expected_calibration_error(probabilities, outcomes),
        log_loss=log_loss(probabilities, outcomes),
        mean_p_over=sum(probabilities) / n if n else None,
        over_rate=sum(outcomes) / n if n else None,
    )


def _models(
    warehouse: Warehouse, blobs: BlobStore, model_ids: set[str]
) -> dict[str, tuple[ResidualModel, OverShareCalibration]]:
    models = {}
    for model_id in sorted(model_ids):
        row = model_row(warehouse, model_id)
        if row is None:
            raise UnknownRunError(f"model {model_id!r} of the run is not in the model registry")
        metadata = json.loads(blobs.read_bytes(str(row["models_bucket"]), str(row["metadata_path"])))
        models[model_id] = (
            ResidualModel.from_dict(metadata["residual_model"]),
            OverShareCalibration.from_dict(metadata.get("calibration")),
        )
    return models


def calibration_effect(warehouse: Warehouse, blobs: BlobStore, run_id: str) -> CalibrationEffect:
    runs = warehouse.query(load_sql("experiments/run_by_id"), {"run_id": run_id})
    if not runs:
        raise UnknownRunError(f"no walk-forward run {run_id!r} in nba_predictions.experiment_runs")
    run = runs[0]
    span = {"run_id": run_id, "date_from": run["evaluation_from"], "date_to": run["evaluation_to"]}
    rows: list[Row] = warehouse.query(load_sql("experiments/run_rows"), span)
    models = _models(warehouse, blobs, {str(row["model_id"]) for row in rows})
    samples: dict[str, tuple[list[float], list[float], list[bool]]] = defaultdict(lambda: ([], [], []))
    stored_differs = bets = wins = losses = 0
    for row in rows:
        if row["line_value"] is None:
            continue
        residual_model, calibration = models[str(row["model_id"])]
        predicted, line = float(row["predicted_points"]), float(row["line_value"])
        raw = decide(predicted, line, residual_model, calibration=IDENTITY).p_over
        calibrated = decide(predicted, line, residual_model, calibration=calibration).p_over
        assert raw is not None
        assert calibrated is not None
        stored = row["p_over"]
        if stored is None or abs(float(stored) - calibrated) > STORED_TOLERANCE:
            stored_differs += 1
        if row["is_bet"]:
            bets += 1
            wins += row["is_correct"] is True
            losses += row["is_correct"] is False
        actual = row["actual_points"]
        if actual is None or float(actual) == line:
            continue
        populations = ["lined"] if row["line_source"] == LineSource.ACTUAL_PROP else []
        populations += ["bets"] if row["is_bet"] else []
        for population in populations:
            raws, calibrateds, outcomes = samples[population]
            raws.append(raw)
            calibrateds.append(calibrated)
            outcomes.append(float(actual) > line)
    bet_raw, bet_calibrated, bet_outcomes = samples["bets"]
    lined_raw, lined_calibrated, lined_outcomes = samples["lined"]
    return CalibrationEffect(
        run_id=run_id,
        bets=bets,
        bet_wins=wins,
        bet_losses=losses,
        raw_on_bets=figures(bet_raw, bet_outcomes),
        calibrated_on_bets=figures(bet_calibrated, bet_outcomes),
        raw_on_lined=figures(lined_raw, lined_outcomes),
        calibrated_on_lined=figures(lined_calibrated, lined_outcomes),
        stored_differs=stored_differs,
        folds=[FoldCalibration(model_id, calibration) for model_id, (_, calibration) in models.items()],
    )
