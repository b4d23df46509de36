"""One valid sample event per function, as the Pub/Sub payload its trigger topic carries."""

from __future__ import annotations

from typing import Any

SAMPLE_DATE = "2026-01-14"
_BASE = {"game_date": SAMPLE_DATE, "run_id": "sample-run", "produced_at": "2026-01-14T15:00:00Z"}

SAMPLE_SCHEDULE_CSV = (
    "game_id,game_date,tipoff_utc,home_team,away_team,status\n"
    "0022500999,2026-01-14,2026-01-15T03:30:00Z,LAL,BOS,scheduled\n"
)

SAMPLE_EVENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "ingest": ("raw-objects", {"bucket": "courtside-local-courtside-raw", "name": "schedule/sample.csv"}),
    "feature_store": (
        "lines-loaded",
        {
            **_BASE,
            "produced_by": "ingest",
            "source_object": "lines/x.csv",
            "rows_loaded": 0,
            "rows_rejected": 0,
        },
    ),
    "prediction": (
        "features-ready",
        {
            **_BASE,
            "produced_by": "feature_store",
            "feature_version": "v1",
            "rows_written": 0,
            "production_ready_rows": 0,
        },
    ),
    "grading": (
        "boxscores-loaded",
        {
            **_BASE,
            "produced_by": "ingest",
            "source_object": "boxscores/x.csv",
            "rows_loaded": 0,
            "rows_rejected": 0,
        },
    ),
    "sharpness": (
        "grading-complete",
        {**_BASE, "produced_by": "grading", "gradable": 0, "graded": 0, "voided": 0, "pending": 0},
    ),
    "diagnostics": (
        "grading-complete",
        {**_BASE, "produced_by": "grading", "gradable": 0, "graded": 0, "voided": 0, "pending": 0},
    ),
    # The monthly scheduler's payload: the date is resolved from the publish time (nothing to train on in
    # an empty warehouse: a clear skip).
    "training": ("retrain-requested", {"schedule": "monthly-retrain", "relative_day": "today"}),
    "alerts": (
        "alerts",
        {
            **_BASE,
            "produced_by": "diagnostics",
            "level": "WARNING",
            "kind": "performance",
            "system_id": "catboost_points_v1",
            "dedupe_key": "performance|catboost_points_v1|MODEL_DRIFT|WARNING",
            "title": "Sample alert",
            "summary": "A sample alert from the vendoring test",
        },
    ),
    "reconciler": ("reconcile-requested", {"schedule": "reconciliation", "relative_day": "today"}),
}
