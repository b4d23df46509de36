"""``make emulate``'s delivery path: a function under functions-framework receives push requests."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from courtside.function_servers import function_env, function_source, start_function
from courtside.one_date_files import plan_day, raw_files_for
from courtside.processes import free_port
from shared.adapters.duckdb_warehouse import DuckDBWarehouse
from shared.adapters.http_push_bus import HttpPushBus
from shared.clock import game_date_of
from shared.events import FeaturesReady
from shared.messages import encode, push_envelope

pytestmark = pytest.mark.integration

EVENT = FeaturesReady(
    game_date=date(2026, 1, 2),
    run_id="run-1",
    produced_by="feature_store",
    produced_at=datetime(2026, 1, 2, 15, 0, tzinfo=UTC),
    feature_version="v1",
    rows_written=3,
    production_ready_rows=3,
)


def _runs(home: Path) -> list[dict[str, object]]:
    warehouse = DuckDBWarehouse(home / "warehouse.duckdb", hold_connection=False)
    try:
        return warehouse.query(
            "SELECT function_name, event_id, topic, status, game_date, delivery_attempt, error "
            "FROM nba_orchestration.pipeline_runs_latest ORDER BY event_id"
        )
    finally:
        warehouse.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "courtside"
    warehouse = DuckDBWarehouse(home / "warehouse.duckdb")
    warehouse.ensure_tables()
    warehouse.close()
    return home


@pytest.fixture
def ingest_server(home: Path) -> Iterator[str]:
    port = free_port()
    server = start_function(function_source("ingest"), port, function_env(home))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        server.log_path.unlink(missing_ok=True)
    assert server.process.poll() is not None, "the function server was not stopped"


def test_push_request_over_http_reaches_the_runtime_and_is_recorded(home: Path, ingest_server: str) -> None:
    # ingest does not subscribe to features-ready: whatever the services do, the runtime must answer
    # 2xx (acknowledge), record the run as rejected, and the push bus must not retry it.
    bus = HttpPushBus("courtside-local", {"prediction": ingest_server}, max_attempts=2, backoff_seconds=0.1)
    message_id = bus.publish("features-ready", EVENT)
    assert bus.flush(60)
    assert bus.dead_letters == []
    [run] = _runs(home)
    assert run["function_name"] == "ingest"
    assert run["event_id"] == message_id
    assert run["topic"] == "features-ready"
    assert run["status"] == "rejected"
    assert run["game_date"] is None  # refused before the payload was read
    assert run["delivery_attempt"] == 1
    assert "does not subscribe to 'features-ready'" in str(run["error"])


def test_functions_framework_app_accepts_a_raw_push_envelope(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functions_framework

    import shared.bootstrap

    for name, value in function_env(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(shared.bootstrap, "_DEFAULT", None)
    source = function_source("ingest")
    monkeypatch.syspath_prepend(str(source.pythonpath))
    app = functions_framework.create_app("ingest", str(source.main), "cloudevent")  # type: ignore[no-untyped-call]
    client = app.test_client()
    data, attributes = encode("features-ready", EVENT)
    envelope = push_envelope(
        "courtside-local", "features-ready", "x", data, attributes, "m-77", datetime(2026, 1, 2, tzinfo=UTC)
    )
    response = client.post("/projects/courtside-local/topics/features-ready", json=envelope)
    assert response.status_code == 200
    assert [(r["event_id"], r["status"]) for r in _runs(home)] == [("m-77", "rejected")]
    assert base64.b64decode(envelope["message"]["data"]) == data


def test_the_live_day_plan_is_consistent() -> None:
    now = datetime(2026, 1, 2, 20, 0, tzinfo=UTC)  # 15:00 US Eastern
    plan = plan_day(None, now)
    assert plan.game_date == date(2026, 1, 2)
    assert all(game_date_of(tip) == plan.game_date for tip in plan.tipoffs)
    assert plan.open_snapshot < plan.close_snapshot < now < plan.tipoffs[0]
    late = plan_day(
        None, datetime(2026, 1, 3, 3, 25, tzinfo=UTC)
    )  # 22:25 ET: tip-offs would straddle midnight
    assert game_date_of(late.tipoffs[0]) == game_date_of(late.tipoffs[1]) == date(2026, 1, 3)
    names = [name for name, _ in raw_files_for(plan)]
    assert names[-2:] == ["schedule/2026-01-02.csv", "boxscores/2026-01-02.csv"]
    assert names.index("schedule/season.csv") < names.index("lines/2026-01-02_open.csv")
