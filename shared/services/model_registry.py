"""The model registry: which trained models exist, which one is the ``champion`` and which are ``shadow``s.

One row per model in ``nba_predictions.model_registry`` (key: model_id). The champion is unique: assigning
it rewrites the previous holder's row with alias NULL (by key), then the new holder's. Shadows are a fleet:
any number of models, at most one per system_id (a new shadow of a system replaces that system's previous
shadow), and never of the champion's system, because predictions are versioned per (game date, player,
system): two models of one system would overwrite each other's current prediction. Prediction predicts the
champion and every shadow; grading and diagnostics grade and compare them all.

Every alias change goes through ``assign_alias`` or ``remove_alias``, which append it to the alias history
(``nba_predictions.model_promotions``, ``shared/services/promotion_log.py``) with who, why and any evidence;
an assignment that changes nothing (a redelivered retrain) records nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, Literal

from shared.ports import Row, Warehouse
from shared.services.promotion_log import TRAINING_ASSIGNMENT, AliasChange, record_alias_change
from shared.sql import load_sql
from shared.sql.combined import SqlRead

MODEL_REGISTRY = "nba_predictions.model_registry"
ML_EXPERIMENTS = "nba_predictions.ml_experiments"
CHAMPION: Final = "champion"
SHADOW: Final = "shadow"
ALIASES: tuple[str, ...] = (CHAMPION, SHADOW)

Alias = Literal["champion", "shadow"]


class AliasConflictError(ValueError):
    """An alias assignment would put two models of one system side by side, or leave no champion."""


def register_model(warehouse: Warehouse, row: Mapping[str, Any]) -> None:
    """Insert or rewrite one model row without touching aliases (use ``assign_alias``): a model registered
    again (e.g. a rerun walk-forward retrains the same model id) keeps the alias it holds."""
    existing = model_row(warehouse, str(row["model_id"]))
    alias = existing["alias"] if existing else None
    alias_updated_at = existing["alias_updated_at"] if existing else None
    warehouse.replace_rows(
        MODEL_REGISTRY, [{**row, "alias": alias, "alias_updated_at": alias_updated_at}], ["model_id"]
    )


def record_experiment(warehouse: Warehouse, row: Mapping[str, Any]) -> None:
    warehouse.replace_rows(ML_EXPERIMENTS, [dict(row)], ["experiment_id"])


def model_row(warehouse: Warehouse, model_id: str) -> Row | None:
    rows = warehouse.query(load_sql("models/model_by_id"), {"model_id": model_id})
    return rows[0] if rows else None


def aliased_models(warehouse: Warehouse) -> list[Row]:
    """Every model holding an alias, champion first."""
    return ALIASED_MODELS.run(warehouse)


ALIASED_MODELS = SqlRead("models/aliased_models")


def alias_holders(warehouse: Warehouse, alias: Alias) -> list[Row]:
    return warehouse.query(load_sql("models/alias_holders"), {"alias": alias})


def assign_alias(
    warehouse: Warehouse,
    model_id: str,
    alias: Alias,
    now: datetime,
    change: AliasChange = TRAINING_ASSIGNMENT,
) -> list[str]:
    """Give ``alias`` to ``model_id``; returns the model ids that lost it (demoted by key). The change is
    appended to the alias history as ``change`` describes it (nothing when the model already held it).

    champion: the previous champion loses it; refused while another model of the target's system is a shadow.
    shadow: the previous shadow of the same system loses it; refused for the champion's system.
    """
    if alias not in ALIASES:
        raise ValueError(f"alias must be one of {ALIASES}, not {alias!r}")
    target = model_row(warehouse, model_id)
    if target is None:
        raise KeyError(f"model {model_id!r} is not registered")
    system_id = target["system_id"]
    if alias == CHAMPION:
        for shadow in alias_holders(warehouse, SHADOW):
            if shadow["system_id"] == system_id and shadow["model_id"] != model_id:
                raise AliasConflictError(
                    f"{shadow['model_id']} is the shadow of system {system_id}; a champion of the same "
                    "system would share its prediction slots. Train the candidate under another --system-id."
                )
        demoted = [h for h in alias_holders(warehouse, CHAMPION) if h["model_id"] != model_id]
    else:
        for champion in alias_holders(warehouse, CHAMPION):
            if champion["model_id"] == model_id:
                raise AliasConflictError(
                    f"{model_id} is the champion; make another model champion before it becomes a shadow"
                )
            if champion["system_id"] == system_id:
                raise AliasConflictError(
                    f"{champion['model_id']} is the champion of system {system_id}; a shadow of the same "
                    "system would share its prediction slots. Train the candidate under another --system-id."
                )
        demoted = [
            h
            for h in alias_holders(warehouse, SHADOW)
            if h["system_id"] == system_id and h["model_id"] != model_id
        ]
    if target["alias"] == alias and not demoted:
        return []
    if demoted:
        warehouse.replace_rows(
            MODEL_REGISTRY,
            [{**holder, "alias": None, "alias_updated_at": now} for holder in demoted],
            ["model_id"],
        )
    warehouse.replace_rows(
        MODEL_REGISTRY, [{**target, "alias": alias, "alias_updated_at": now}], ["model_id"]
    )
    previous = str(demoted[0]["model_id"]) if demoted else None
    record_alias_change(warehouse, change, alias, previous, model_id, now)
    return [str(holder["model_id"]) for holder in demoted]


def remove_alias(warehouse: Warehouse, model_id: str, now: datetime, change: AliasChange) -> str:
    """Take a shadow's alias away (it stops being predicted); returns the alias removed. The champion is
    never left empty: promote another model, or roll back."""
    target = model_row(warehouse, model_id)
    if target is None:
        raise KeyError(f"model {model_id!r} is not registered")
    if target["alias"] is None:
        raise AliasConflictError(f"{model_id} holds no alias")
    if target["alias"] == CHAMPION:
        raise AliasConflictError(
            f"{model_id} is the champion; promote another model (`courtside promote`) or roll back "
            "(`courtside promote --rollback`) instead of leaving no champion"
        )
    alias = str(target["alias"])
    warehouse.replace_rows(MODEL_REGISTRY, [{**target, "alias": None, "alias_updated_at": now}], ["model_id"])
    record_alias_change(warehouse, change, alias, model_id, None, now)
    return alias
