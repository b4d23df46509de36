"""The model registry: which trained models exist and which hold the ``champion``/``challenger`` aliases.

One row per model in ``nba_predictions.model_registry`` (key: model_id). Each alias is held by at most one
model: assigning it rewrites the previous holder's row with alias NULL (by key), then the new holder's.
A challenger must belong to a different system than the champion, because predictions are versioned per
(game date, player, system): two models of one system would overwrite each other's current prediction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, Literal

from shared.ports import Row, Warehouse
from shared.sql import load_sql

MODEL_REGISTRY = "nba_predictions.model_registry"
ML_EXPERIMENTS = "nba_predictions.ml_experiments"
CHAMPION: Final = "champion"
CHALLENGER: Final = "challenger"
ALIASES: tuple[str, ...] = (CHAMPION, CHALLENGER)

Alias = Literal["champion", "challenger"]


class AliasConflictError(ValueError):
    """An alias assignment would put a champion and a challenger of the same system side by side."""


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
    return warehouse.query(load_sql("models/aliased_models"))


def assign_alias(warehouse: Warehouse, model_id: str, alias: Alias, now: datetime) -> list[str]:
    """Give ``alias`` to ``model_id``; returns the model ids that lost it (demoted by key)."""
    if alias not in ALIASES:
        raise ValueError(f"alias must be one of {ALIASES}, not {alias!r}")
    target = model_row(warehouse, model_id)
    if target is None:
        raise KeyError(f"model {model_id!r} is not registered")
    other_alias = CHALLENGER if alias == CHAMPION else CHAMPION
    for other in warehouse.query(load_sql("models/alias_holders"), {"alias": other_alias}):
        if other["system_id"] == target["system_id"] and other["model_id"] != model_id:
            raise AliasConflictError(
                f"{other['model_id']} is {other_alias} of system {target['system_id']}; "
                f"a {alias} of the same system would share its prediction slots. "
                "Train the candidate under another --system-id."
            )
    holders = warehouse.query(load_sql("models/alias_holders"), {"alias": alias})
    demoted = [holder for holder in holders if holder["model_id"] != model_id]
    if demoted:
        warehouse.replace_rows(
            MODEL_REGISTRY,
            [{**holder, "alias": None, "alias_updated_at": now} for holder in demoted],
            ["model_id"],
        )
    warehouse.replace_rows(
        MODEL_REGISTRY, [{**target, "alias": alias, "alias_updated_at": now}], ["model_id"]
    )
    return [str(holder["model_id"]) for holder in demoted]
