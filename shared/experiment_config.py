"""Experiment configs (``experiments/<name>.yaml``): what a walk-forward backtest trains and evaluates.

Validated by pydantic with unknown keys forbidden: a typo must fail loudly, never fall back to a default.
``load_experiment_config`` reports every problem with the file, the key and the reason.

Feature names come from the feature contract of ``feature_version``. The prediction path feeds a model
exactly its contract's model inputs, so the list must name every model input of that contract (in any
order); an unknown name, a stored-only column (e.g. ``line_value``) or a missing input is refused.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shared.domain import features as feature_contracts
from shared.domain.systems import is_backtest_system

# The contracts a config may name (promotion's loadability gate reads them here too).
CONTRACTS = feature_contracts.CONTRACTS


class ExperimentConfigError(ValueError):
    """A config file that cannot be used; the message names the file, each key and the reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class CatBoostParams(_Strict):
    iterations: int = Field(300, ge=1, le=20_000)
    depth: int = Field(6, ge=1, le=16)
    learning_rate: float = Field(0.05, gt=0.0, le=1.0)
    # RMSE fits the mean; MAE the median (on real box scores the median beat the naive averages where the
    # mean lost: ../shared/notes/real-data-facts.md).
    loss_function: Literal["RMSE", "MAE"] = "RMSE"


class TrainingWindow(_Strict):
    """``expanding``: from ``start`` up to the day before each fold; ``rolling``: the last ``days`` days.

    The last ``holdout_days`` of the window are held out to fit the residual model (P(over)), as
    ``courtside train`` holds out the days after its training window."""

    kind: Literal["expanding", "rolling"]
    start: date | None = None
    days: int | None = Field(None, ge=14)
    holdout_days: int = Field(14, ge=3)

    @model_validator(mode="after")
    def _shape(self) -> TrainingWindow:
        if self.kind == "expanding" and self.start is None:
            raise ValueError("an expanding window needs start (its first training date)")
        if self.kind == "rolling" and self.days is None:
            raise ValueError("a rolling window needs days")
        if self.kind == "rolling" and self.days is not None and self.holdout_days >= self.days:
            raise ValueError("holdout_days must be shorter than the rolling window")
        return self

    def before(self, day: date) -> WindowBefore:
        """The window a model serving from ``day`` trains on: it ends the day before ``day``, its last
        ``holdout_days`` held out. One rule for the walk-forward's folds and the scheduled retrain."""
        holdout_to = day - timedelta(days=1)
        train_to = holdout_to - timedelta(days=self.holdout_days)
        if self.kind == "expanding":
            assert self.start is not None  # the validator requires it
            train_from = self.start
        else:
            assert self.days is not None
            train_from = day - timedelta(days=self.days)
        return WindowBefore(train_from, train_to, holdout_to)


class WindowBefore(NamedTuple):
    train_from: date
    train_to: date
    holdout_to: date  # the day before the model serves


class EvaluationSpan(_Strict):
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> EvaluationSpan:
        if self.date_to < self.date_from:
            raise ValueError("to is before from")
        return self


class ExperimentConfig(_Strict):
    system_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{2,48}$")
    description: str = ""
    feature_version: str = "v1"
    features: list[str]
    catboost: CatBoostParams
    training_window: TrainingWindow
    retrain_every_days: int = Field(ge=1, le=366)
    evaluation: EvaluationSpan
    seeds: list[int] = Field(min_length=1)

    @field_validator("system_id")
    @classmethod
    def _deployable(cls, system_id: str) -> str:
        if is_backtest_system(system_id):
            raise ValueError(f"{system_id!r} ends like a backtest system (_wf_s<seed>): pick another name")
        return system_id

    @field_validator("feature_version")
    @classmethod
    def _known_version(cls, version: str) -> str:
        if version not in CONTRACTS:
            raise ValueError(f"unknown feature version {version!r} (known: {sorted(CONTRACTS)})")
        return version

    @model_validator(mode="after")
    def _features_of_the_contract(self) -> ExperimentConfig:
        contract = CONTRACTS[self.feature_version]
        unknown = [name for name in self.features if name not in contract.names]
        if unknown:
            raise ValueError(f"features not in contract {contract.version}: {unknown}")
        not_inputs = [name for name in self.features if name not in contract.model_inputs]
        if not_inputs:
            raise ValueError(f"features stored but not model inputs in {contract.version}: {not_inputs}")
        missing = [name for name in contract.model_inputs if name not in self.features]
        if missing or len(set(self.features)) != len(self.features):
            raise ValueError(
                f"features must list each model input of {contract.version} once; missing {missing} "
                "(the prediction path feeds a model its contract's inputs: a subset is a new contract)"
            )
        start = self.training_window.start
        if start is not None and start >= self.evaluation.date_from:
            raise ValueError("training_window.start must be before evaluation.from")
        return self

    def canonical_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)

    @property
    def config_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def lineage(self, name: str) -> dict[str, str]:
        """What a model trained from this config keeps in its metadata: promotion finds the config's
        walk-forward evidence (``experiment_runs.config_hash``) by the hash."""
        return {"name": name, "hash": self.config_hash}


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def parse_experiment_config(data: object, source: str) -> ExperimentConfig:
    """Validate already-parsed YAML; ExperimentConfigError lists ``source: key: reason`` per problem."""
    if not isinstance(data, dict):
        raise ExperimentConfigError(
            f"{source}: the file must hold a mapping of keys, not {type(data).__name__}"
        )
    try:
        return ExperimentConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            reason = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            problems.append(f"{source}: {_location(error['loc'])}: {reason}")
        raise ExperimentConfigError("\n".join(problems)) from None


def load_experiment_config(path: Path) -> ExperimentConfig:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExperimentConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ExperimentConfigError(f"{path}: not valid YAML ({exc})") from None
    return parse_experiment_config(data, str(path))
