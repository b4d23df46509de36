"""The model lifecycle: the registry, its aliases and the alias history (``model_promotions``: promotions,
demotions, rollbacks and training runs that registered a model with an alias)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from shared.clock import eastern_datetime, today_et
from shared.domain.systems import production_systems_param
from shared.ports import Warehouse
from shared.services.views.common import HISTORY_DAYS
from shared.services.views.health import NO_RETRAIN_YET, shadow_comparison
from shared.sql import load_sql

NO_PROMOTIONS_YET = "no alias change recorded: `courtside promote MODEL_ID --to champion --reason TEXT`"


def models_view(warehouse: Warehouse, day: date) -> dict[str, Any]:
    rows = warehouse.query(
        load_sql("views/models"),
        {
            "since": day - timedelta(days=HISTORY_DAYS),
            "until": max(day, today_et()) + timedelta(days=1),
            **production_systems_param(),
        },
    )
    registry = []
    for r in rows:
        metrics = json.loads(r["metrics"]) if r["metrics"] else {}
        registry.append(
            {
                "model_id": r["model_id"],
                "system": r["system_id"],
                "alias": r["alias"],
                "alias_updated_at": r["alias_updated_at"],
                "trained_at": r["trained_at"],
                "trained_on": f"{r['train_from']}..{r['train_to']}",
                "holdout_to": r["holdout_to"],
                "train_rows": r["train_rows"],
                "holdout_rows": r["holdout_rows"],
                "holdout_mae": _holdout_mae(metrics),
            }
        )
    promotions = [
        {
            "changed_at": p["changed_at"],
            "action": p["action"],
            "alias": p["alias"],
            "from_model_id": p["from_model_id"],
            "to_model_id": p["to_model_id"],
            "forced": p["forced"],
            "failed_gates": ", ".join(g["gate"] for g in json.loads(p["gates"]) if not g["passed"]),
            "actor": p["actor"],
            "reason": p["reason"],
        }
        for p in reversed(
            warehouse.query(
                load_sql("models/promotions_since"),
                {"since": eastern_datetime(day, 0) - timedelta(days=HISTORY_DAYS)},
            )
        )
    ]
    return {
        "registry": registry,
        # One champion, and a shadow per system (the fleet), each labelled with its system.
        "aliases": {
            r["alias"] if r["alias"] == "champion" else f"{r['alias']} ({r['system']})": r["model_id"]
            for r in registry
            if r["alias"]
        },
        "promotions": promotions,
        "promotions_note": "" if promotions else NO_PROMOTIONS_YET,
        "last_retrain": None,
        "last_retrain_note": NO_RETRAIN_YET,
        "shadow_comparison": shadow_comparison(warehouse, day),
    }


def _holdout_mae(metrics: Any) -> float | None:
    if not isinstance(metrics, dict):
        return None
    for key in ("holdout_mae", "mae_holdout"):
        if isinstance(metrics.get(key), int | float):
            return float(metrics[key])
    holdout = metrics.get("holdout")
    if isinstance(holdout, dict) and isinstance(holdout.get("mae"), int | float):
        return float(holdout["mae"])
    return None
