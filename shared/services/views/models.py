"""The model lifecycle as far as it exists: the registry and its aliases. Promotions and retrains have no
workflow yet, so the view says so instead of inventing them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from shared.clock import today_et
from shared.domain.systems import production_systems_param
from shared.ports import Warehouse
from shared.services.views.common import HISTORY_DAYS
from shared.services.views.health import NO_RETRAIN_YET, shadow_comparison
from shared.sql import load_sql

NO_PROMOTIONS_YET = "no promotion workflow exists yet: aliases are assigned by `courtside train --alias`"


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
    return {
        "registry": registry,
        # One champion, and a shadow per system (the fleet), each labelled with its system.
        "aliases": {
            r["alias"] if r["alias"] == "champion" else f"{r['alias']} ({r['system']})": r["model_id"]
            for r in registry
            if r["alias"]
        },
        "promotions": [],
        "promotions_note": NO_PROMOTIONS_YET,
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
