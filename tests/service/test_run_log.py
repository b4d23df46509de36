"""The pipeline_runs owner: what the runtime writes is what the CLI, emulate and bench read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared import run_log
from shared.dependencies import Dependencies

T0 = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
DAY = date(2026, 1, 14)


def run(function: str, event_id: str, status: str, minutes: int, **extra: Any) -> dict[str, Any]:
    started = T0 + timedelta(minutes=minutes)
    return {
        "function_name": function,
        "event_id": event_id,
        "run_id": "r1",
        "topic": "lines-loaded",
        "game_date": extra.pop("game_date", DAY),
        "status": status,
        "started_at": started,
        "finished_at": started + timedelta(seconds=2),
        "duration_ms": extra.pop("duration_ms", 2000),
        "rows_read": 1,
        "rows_written": extra.pop("rows_written", 5),
        "delivery_attempt": extra.pop("delivery_attempt", 1),
        "published_topics": None,
        "detail": extra.pop("detail", f"{function} did {event_id}"),
        "error": None,
    }


def test_a_redelivery_counts_its_attempt_and_replaces_its_row(deps: Dependencies) -> None:
    wh = deps.warehouse
    assert run_log.next_delivery_attempt(wh, "grading", "e1") == 1
    run_log.record(wh, run("grading", "e1", "failed", 0))
    assert run_log.next_delivery_attempt(wh, "grading", "e1") == 2
    run_log.record(wh, run("grading", "e1", "success", 1, delivery_attempt=2))
    assert run_log.next_delivery_attempt(wh, "grading", "e1") == 3
    assert run_log.run_of_event(wh, "grading", "e1") == [
        {"status": "success", "detail": "grading did e1", "error": None}
    ]
    assert run_log.next_delivery_attempt(wh, "sharpness", "e1") == 1  # per function


def test_reads_for_the_cli_emulate_and_bench(deps: Dependencies) -> None:
    wh = deps.warehouse
    assert run_log.game_date_bounds(wh) == (None, None)
    run_log.record(wh, run("ingest", "a", "success", 0, duration_ms=1000, game_date=DAY - timedelta(days=1)))
    run_log.record(wh, run("ingest", "b", "success", 10, duration_ms=3000))
    run_log.record(wh, run("ingest", "c", "rejected", 20, rows_written=0))
    run_log.record(wh, run("grading", "d", "success", 30))

    assert run_log.game_date_bounds(wh) == (DAY - timedelta(days=1), DAY)
    since = T0 + timedelta(minutes=5)
    assert [(r["function_name"], r["status"]) for r in run_log.runs_since(wh, since)] == [
        ("ingest", "success"),
        ("ingest", "rejected"),
        ("grading", "success"),
    ]
    outcomes = {
        (r["function_name"], r["status"]): (r["runs"], r["rows_written"])
        for r in run_log.outcomes_since(wh, since)
    }
    assert outcomes == {
        ("ingest", "success"): (1, 5),
        ("ingest", "rejected"): (1, 0),
        ("grading", "success"): (1, 5),
    }
    latest = run_log.latest_run_since(wh, "ingest", since)
    assert latest is not None and latest["status"] == "rejected"
    assert run_log.latest_run_since(wh, "alerts", since) is None
    per_date = run_log.latest_run_per_date(wh, DAY, DAY)
    assert sorted((r["function_name"], r["status"]) for r in per_date) == [
        ("grading", "success"),
        ("ingest", "rejected"),
    ]
    assert sorted(run_log.successful_durations(wh, "ingest")) == [1000, 3000]
    totals = {r["function_name"]: (r["runs"], r["ms"]) for r in run_log.time_per_function(wh)}
    assert totals == {"ingest": (3, 6000), "grading": (1, 2000)}
