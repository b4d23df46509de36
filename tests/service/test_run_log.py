"""The pipeline_runs owner: what the runtime writes is what the CLI, emulate and bench read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

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
        "published_topics": None,
        "detail": extra.pop("detail", f"{function} did {event_id}"),
        "error": None,
    }


def test_a_redelivery_appends_an_attempt_and_the_view_shows_the_latest(deps: Dependencies) -> None:
    wh = deps.warehouse
    run_log.record(wh, run("grading", "e1", "failed", 0))
    run_log.record(wh, run("grading", "e1", "success", 1))
    run_log.record(wh, run("sharpness", "e1", "success", 2))
    assert run_log.run_of_event(wh, "grading", "e1") == [
        {"status": "success", "detail": "grading did e1", "error": None}
    ]
    attempts = {(r["function_name"], r["status"]): r["delivery_attempt"] for r in run_log.runs_since(wh, T0)}
    assert attempts == {("grading", "success"): 2, ("sharpness", "success"): 1}  # counted per function
    stored = wh.query("SELECT status FROM nba_orchestration.pipeline_runs ORDER BY started_at")
    assert [r["status"] for r in stored] == ["failed", "success", "success"]  # nothing overwritten


def test_recording_a_run_is_one_insert_and_no_read(deps: Dependencies) -> None:
    statements: list[str] = []
    real = deps.warehouse

    class Spy:
        def __getattr__(self, name: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                statements.append(name if name not in ("query", "execute") else f"{name}: {args[0]}")
                return getattr(real, name)(*args, **kwargs)

            return call

    run_log.record(Spy(), run("grading", "e1", "success", 0))  # type: ignore[arg-type]
    assert len(statements) == 1 and statements[0].startswith("execute:")
    assert "INSERT INTO nba_orchestration.pipeline_runs" in statements[0]


def test_a_run_with_an_unknown_column_is_refused(deps: Dependencies) -> None:
    with pytest.raises(ValueError, match="delivery_attempt"):
        run_log.record(deps.warehouse, {**run("grading", "e1", "success", 0), "delivery_attempt": 1})


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


def test_topic_and_event_id_are_stored_within_their_bound(deps: Dependencies) -> None:
    """A hostile message once stored 5 MB in pipeline_runs.topic and event_id: both are bounded, and two
    long ids that share their first characters stay two runs."""
    from shared.messages import pubsub_cloud_event
    from shared.runtime import handle_cloud_event

    huge_topic = "t" * 5_000_000
    ids = ["m" * 5_000_000 + "-1", "m" * 5_000_000 + "-2"]
    for message_id in ids:
        for _ in range(2):  # the second delivery is a redelivery of the same message
            event = pubsub_cloud_event(
                "courtside-local", huge_topic, "sub", b"{}", {"courtside_topic": huge_topic}, message_id
            )
            assert handle_cloud_event("grading", event, deps).status == "rejected"
    rows = deps.warehouse.query(
        "SELECT LENGTH(event_id) AS id_length, LENGTH(topic) AS topic_length, delivery_attempt "
        "FROM nba_orchestration.pipeline_runs_latest ORDER BY event_id"
    )
    assert len(rows) == 2
    assert all(
        r["id_length"] <= run_log.MAX_KEY_LENGTH and r["topic_length"] <= run_log.MAX_KEY_LENGTH for r in rows
    )
    assert [r["delivery_attempt"] for r in rows] == [2, 2]
    assert run_log.run_of_event(deps.warehouse, "grading", ids[0])


def test_short_keys_are_stored_as_they_are() -> None:
    assert run_log.bounded("lines-loaded") == "lines-loaded"
    long = "x" * (run_log.MAX_KEY_LENGTH + 1)
    assert len(run_log.bounded(long)) == run_log.MAX_KEY_LENGTH
    assert run_log.bounded(long) != run_log.bounded(long + "y")
    assert run_log.bounded(long) == run_log.bounded(long)
