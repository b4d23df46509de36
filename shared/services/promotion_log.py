"""The alias history: ``nba_predictions.model_promotions``, one appended row per alias change.

Written by ``model_registry.assign_alias`` / ``remove_alias`` (every path that moves an alias goes through
them), with one plain INSERT: the table is never updated or deleted from, so its history only grows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.ports import Row, Warehouse
from shared.sql import load_sql

MODEL_PROMOTIONS = "nba_predictions.model_promotions"


@dataclass(frozen=True)
class AliasChange:
    """Who moves an alias, why, and (for a gated promotion) the gates and the evidence they read."""

    action: str  # promote | demote | rollback | assign
    actor: str
    reason: str
    environment: str = ""
    forced: bool = False
    gates: Sequence[Mapping[str, Any]] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)


# What a training run that registers its model with an alias records (``courtside train --alias``, the demo's
# training policy, the monthly retrain): ungated, named by the caller when it knows better.
TRAINING_ASSIGNMENT = AliasChange(
    action="assign", actor="training", reason="registered with the alias by the training service"
)


def record_alias_change(
    warehouse: Warehouse,
    change: AliasChange,
    alias: str,
    from_model_id: str | None,
    to_model_id: str | None,
    changed_at: datetime,
) -> Row:
    gates = json.dumps(list(map(dict, change.gates)), sort_keys=True, default=str)
    evidence = json.dumps(dict(change.evidence), sort_keys=True, default=str)
    moved = [alias, from_model_id, to_model_id]
    identity = json.dumps([changed_at.isoformat(), change.action, *moved, change.actor, change.reason])
    row: Row = {
        "promotion_id": hashlib.sha256(identity.encode()).hexdigest()[:32],
        "changed_at": changed_at,
        "actor": change.actor,
        "environment": change.environment,
        "reason": change.reason,
        "action": change.action,
        "alias": alias,
        "from_model_id": from_model_id,
        "to_model_id": to_model_id,
        "forced": change.forced,
        "gates": gates,
        "evidence": evidence,
    }
    warehouse.execute(load_sql("models/record_promotion"), row)
    return row


def promotion_history(warehouse: Warehouse, now: datetime, days: int) -> list[Row]:
    """Alias changes of the last ``days`` days, oldest first."""
    return warehouse.query(load_sql("models/promotions_since"), {"since": now - timedelta(days=days)})
