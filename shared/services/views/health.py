"""``courtside health``: is each system healthy? Its latest diagnosis, the runs, the models, the shadows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.clock import today_et
from shared.domain.metrics import hit_rate
from shared.domain.systems import production_systems_param
from shared.ports import Row, Warehouse
from shared.run_log import last_run_per_function
from shared.services.views.common import HISTORY_DAYS, NothingToShowError, eastern_timestamp, rate_fields
from shared.sql import load_sql

SHADOW_WINDOW_DAYS = 30
# Runs are recorded at wall-clock time: looked up over the month before the earlier of the date and today.
RUNS_WINDOW_DAYS = 30
NO_RETRAIN_YET = (
    "not shown here yet: the monthly training function records each retrain in nba_predictions.ml_experiments"
)


@dataclass(frozen=True)
class Health:
    game_date: date
    systems: list[dict[str, Any]]
    runs: list[Row]
    latest_model: Row | None
    last_retrain: str
    shadow_comparison: list[dict[str, Any]]


@dataclass(frozen=True)
class RecentDiagnoses:
    """Each system's latest two diagnoses on or before ``day``, newest first: one lookup serves both the
    health lights (the latest) and the picks' edge rule (the latest before ``day``, known that morning)."""

    day: date
    by_system: dict[str, list[Row]]

    def latest(self) -> dict[str, Row]:
        """Each system's latest diagnosis on or before ``day``, by system id."""
        return {system: rows[0] for system, rows in self.by_system.items() if rows}

    def latest_before(self, system_id: str) -> Row | None:
        """The system's latest diagnosis strictly before ``day``."""
        return next((r for r in self.by_system.get(system_id, []) if r["game_date"] < self.day), None)


def recent_diagnoses(warehouse: Warehouse, day: date) -> RecentDiagnoses:
    rows = warehouse.query(
        load_sql("views/latest_diagnostics"),
        {"since": day - timedelta(days=HISTORY_DAYS), "game_date": day, **production_systems_param()},
    )
    by_system: dict[str, list[Row]] = {}
    for row in rows:
        by_system.setdefault(str(row["system_id"]), []).append(row)
    return RecentDiagnoses(day, by_system)


def latest_diagnoses(warehouse: Warehouse, day: date) -> dict[str, Row]:
    """Each system's latest diagnosis on or before ``day``, by system id."""
    return recent_diagnoses(warehouse, day).latest()


def last_runs(warehouse: Warehouse, day: date) -> list[Row]:
    """Per function: latest run (status, game date), latest success and failures, for dates up to ``day``."""
    today = today_et()
    rows = last_run_per_function(
        warehouse,
        up_to=day,
        since=min(day, today) - timedelta(days=RUNS_WINDOW_DAYS),
        until=max(day, today) + timedelta(days=1),
    )
    for row in rows:
        row["last_started_at"] = eastern_timestamp(row["last_started_at"])
        row["last_success_at"] = eastern_timestamp(row["last_success_at"])
    return rows


def system_health(diagnosis: Row) -> dict[str, Any]:
    """One diagnosis row as the health fields an operator reads (rates always with n and interval)."""
    fields: dict[str, Any] = {"system": diagnosis["system_id"], "as_of": diagnosis["game_date"]}
    for days in (7, 14, 30):
        prefix = f"hit_rate_{days}d"
        fields[prefix] = diagnosis[prefix]
        fields[f"{prefix}_n"] = diagnosis[f"{prefix}_n"]
        fields[f"{prefix}_lower"] = diagnosis[f"{prefix}_lower"]
        fields[f"{prefix}_upper"] = diagnosis[f"{prefix}_upper"]
    fields.update(
        {
            "mae_7d": diagnosis["model_mae_recent"],
            "bias_7d": diagnosis["model_bias_recent"],
            "mae_7d_n": diagnosis["recent_n"],
            "drift_score": diagnosis["drift_score"],
            "root_cause": diagnosis["root_cause"],
            "root_cause_confidence": diagnosis["root_cause_confidence"],
            "factors": _json_list(diagnosis["contributing_factors"]),
            "alert_level": diagnosis["alert_level"],
            "sharpness_status": diagnosis["sharpness_status"],
            "market_regime": diagnosis["market_regime"],
            "completeness_gaps": diagnosis["problem_date_count"],
            "oldest_gap": diagnosis["oldest_problem_date"],
        }
    )
    return fields


def shadow_comparison(
    warehouse: Warehouse, day: date, days: int = SHADOW_WINDOW_DAYS
) -> list[dict[str, Any]]:
    """Every system side by side over the ``days`` ending on ``day``: hit rate (n, interval), MAE, bias."""
    start = day - timedelta(days=days - 1)
    rows = warehouse.query(
        load_sql("views/system_scores"), {"start": start, "end": day, **production_systems_param()}
    )
    return [
        {
            "system": row["system_id"],
            "champion": bool(row["is_champion"]),
            "window": f"{start}..{day}",
            **rate_fields(hit_rate(int(row["wins"]), int(row["decided"]))),
            "mae": row["mae"],
            "bias": row["bias"],
            "graded_n": row["graded"],
        }
        for row in rows
    ]


def health(warehouse: Warehouse, day: date, system: str | None = None) -> Health:
    diagnoses = latest_diagnoses(warehouse, day)
    if not diagnoses:
        raise NothingToShowError(
            f"no diagnosis on or before {day}: nothing has been graded and diagnosed yet"
        )
    if system is not None and system not in diagnoses:
        raise NothingToShowError(
            f"no diagnosis for system {system!r}; systems: {', '.join(sorted(diagnoses))}"
        )
    chosen = [d for s, d in diagnoses.items() if system is None or s == system]
    models = warehouse.query(
        load_sql("views/models"),
        {
            "since": day - timedelta(days=HISTORY_DAYS),
            "until": _model_horizon(day),
            **production_systems_param(),
        },
    )
    return Health(
        game_date=day,
        systems=[system_health(d) for d in chosen],
        runs=last_runs(warehouse, day),
        latest_model=models[0] if models else None,
        last_retrain=NO_RETRAIN_YET,
        shadow_comparison=shadow_comparison(warehouse, day),
    )


def _model_horizon(day: date) -> date:
    # Models may be trained (wall clock) long after the game dates they were trained on (a replayed season).
    return max(day, today_et()) + timedelta(days=1)


def _json_list(text: str | None) -> list[str]:
    if not text:
        return []
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
