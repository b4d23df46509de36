"""The probability models a training run fits on its holdout: the residual model and the P(over) calibrator.

Both learn from the same held-out games, so the calibrator is **cross-fitted**: the holdout's dates are dealt
into ``CROSS_FIT_FOLDS`` folds (date by date, in turn), and each lined row's raw P(over) comes from a residual
model fitted on the *other* folds' residuals. Scored by a residual model that had seen its own residual, a row
would look better calibrated than production's rows ever are (the residual model is always applied to games
it has not seen), and the calibrator would under-correct. Dealing whole dates keeps a date's games, which
share a slate, in one fold. The residual model that is saved is still fitted on the whole holdout; the
calibrator is then fitted on every lined, decided row's out-of-fold over share. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shared.domain.calibration import OverShareCalibration, fit_platt, identity
from shared.domain.recommendation import MIN_RESIDUALS_TO_FIT, ResidualModel

CROSS_FIT_FOLDS = 5


@dataclass(frozen=True, slots=True)
class HoldoutGame:
    """One held-out player-game: the model's prediction, what happened and the real line, if any."""

    game_date: date
    predicted: float
    actual: float
    line: float | None  # a real prop line (line_source ACTUAL_PROP); None otherwise


@dataclass(frozen=True, slots=True)
class ProbabilityModels:
    residual_model: ResidualModel
    calibration: OverShareCalibration


def fit_probability_models(games: Sequence[HoldoutGame]) -> ProbabilityModels:
    """The residual model of every held-out residual and the calibrator of the lined rows, cross-fitted."""
    residual_model = ResidualModel.fit([game.actual - game.predicted for game in games])
    return ProbabilityModels(residual_model, fit_calibration(games))


def fit_calibration(games: Sequence[HoldoutGame]) -> OverShareCalibration:
    dates = sorted({game.game_date for game in games})
    fold_of = {day: index % CROSS_FIT_FOLDS for index, day in enumerate(dates)}
    lined = [g for g in games if g.line is not None and g.actual != g.line]
    shares: list[float] = []
    overs: list[bool] = []
    for fold in range(CROSS_FIT_FOLDS):
        scored = [g for g in lined if fold_of[g.game_date] == fold]
        if not scored:
            continue
        others = [g.actual - g.predicted for g in games if fold_of[g.game_date] != fold]
        if len(others) < MIN_RESIDUALS_TO_FIT:
            return identity(
                len(lined),
                f"{len(others)} residuals outside a cross-fitting fold (need {MIN_RESIDUALS_TO_FIT}): "
                "not calibrated",
            )
        fold_model = ResidualModel.fit(others)
        for game in scored:
            assert game.line is not None
            # The prediction service's floor: a player cannot score negative points.
            outcome = fold_model.probabilities(max(0.0, game.predicted), game.line)
            decided = outcome.p_over + outcome.p_under
            if decided <= 0.0:
                continue
            shares.append(outcome.p_over / decided)
            overs.append(game.actual > game.line)
    return fit_platt(
        shares,
        overs,
        note=f"Platt scaling of the over share, cross-fitted on {CROSS_FIT_FOLDS} date folds of the holdout",
    )
