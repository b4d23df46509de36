"""The alerts function's incident path on DuckDB and on BigQuery (bqemulator): its one combined read (the
history and the scope's incidents), the incident claim saved before the send, and a failed send putting the
incident back as it was (the row restored, or the opening's row deleted), so the retry sends once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.adapters.inprocess_bus import InProcessBus
from shared.adapters.local_blob_store import LocalBlobStore
from shared.adapters.slack_alert_sink import SlackDeliveryError
from shared.bootstrap import build_dependencies
from shared.services.alerts import deliver_alert
from shared.services.incidents import ALERT_INCIDENTS
from shared.settings import Settings
from tests.service.test_alerts_service import RecordingSink, _alert

pytestmark = pytest.mark.integration

D = date(2026, 3, 1)


@pytest.fixture
def warehouse(either_warehouse: Any) -> Any:
    return either_warehouse


def _incidents(warehouse: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = warehouse.query(
        f"SELECT peak_level, messages, claimed_key, claimed_on FROM {ALERT_INCIDENTS} ORDER BY opened_on"
    )
    return rows


def test_incident_claims_and_failed_sends_on_both_backends(
    warehouse: Any, gcp_settings: Settings, tmp_path: Path
) -> None:
    deps = build_dependencies(
        gcp_settings, warehouse=warehouse, bus=InProcessBus(), blobs=LocalBlobStore(tmp_path / "b")
    )
    sink = RecordingSink(fail=True)
    at = _alert().produced_at

    def deliver(event: Any) -> str:
        return deliver_alert(deps.warehouse, sink, event, recorded_at=at).status

    with pytest.raises(SlackDeliveryError):  # the opening's row is deleted again
        deliver(_alert(D))
    assert _incidents(warehouse) == []
    sink.fail = False
    assert deliver(_alert(D)) == "sent"
    opened = {"peak_level": "WARNING", "messages": 1, "claimed_key": _alert(D).dedupe_key, "claimed_on": D}
    assert _incidents(warehouse) == [opened]
    assert deliver(_alert(D)) == "duplicate"
    escalation = _alert(D + timedelta(days=1), "CRITICAL")
    sink.fail = True
    with pytest.raises(SlackDeliveryError):  # the incident's row is restored as it was
        deliver(escalation)
    assert _incidents(warehouse) == [opened]
    sink.fail = False
    assert deliver(escalation) == "sent"
    assert deliver(_alert(D + timedelta(days=2))) == "suppressed"
    assert _incidents(warehouse) == [
        {
            "peak_level": "CRITICAL",
            "messages": 2,
            "claimed_key": escalation.dedupe_key,
            "claimed_on": D + timedelta(days=1),
        }
    ]
    assert len(sink.sent) == 2
