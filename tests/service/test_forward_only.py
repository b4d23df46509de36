"""Issue 11, finding 3: a late, older message never rolls state back.

A game date's feature builds (the 09:00 scheduled build, the 12:30 and 17:05 lines-loaded) and the
features-ready each successful build publishes are delivered in orders drawn by hypothesis (derandomized,
a bounded number of examples), with duplicates and late redeliveries. A features-ready exists only once its
build has run and published it (causality); a delivery that fails transiently is redelivered later, as
Pub/Sub would. The final feature rows and current predictions must equal the in-order result's.
Prediction *history* may legitimately differ (an order that skips a build makes fewer versions); its ids,
run ids, creation and snapshot times are bookkeeping, so the current view is compared without them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shared.bootstrap import Dependencies
from shared.clock import eastern_datetime
from shared.domain.features import FEATURE_VERSION
from shared.events import FeaturesReady, LinesLoaded, ScheduledRun
from shared.runtime import handle_cloud_event
from shared.services.feature_store import FEATURE_STORE
from tests.service import test_predict_pipeline as predict
from tests.service.test_predict_pipeline import cloud_event, event_fields

league = predict.league  # the synthetic league and its trained champion (pytest fixtures)
trained = predict.trained

CURRENT = "nba_predictions.player_prop_predictions_current"
# Bookkeeping of a version, not its content. line_snapshot_at too: a rebuild whose model inputs (features
# hash) are unchanged keeps the standing version, with the snapshot time of the build that first made it.
BOOKKEEPING = {"prediction_id", "supersedes_prediction_id", "run_id", "created_at", "line_snapshot_at"}
MAX_EXAMPLES = 12


@dataclass(frozen=True)
class Message:
    function: str
    topic: str
    event: Any
    publish_time: datetime
    message_id: str


def feature_messages(day: date) -> list[Message]:
    """The date's feature triggers, in the order they are published."""

    def lines_loaded(snapshot_hour: int) -> LinesLoaded:
        return LinesLoaded(
            **event_fields(day),
            source_object=f"lines/{day}_{snapshot_hour}.csv",
            rows_loaded=10,
            rows_rejected=0,
            latest_snapshot_at=eastern_datetime(day, snapshot_hour),
        )

    scheduled = ScheduledRun(schedule="morning-feature-build", relative_day="today")
    return [
        Message("feature_store", "feature-build-requested", scheduled, eastern_datetime(day, 9), "f-0900"),
        Message("feature_store", "lines-loaded", lines_loaded(10), eastern_datetime(day, 12, 30), "f-1230"),
        Message("feature_store", "lines-loaded", lines_loaded(17), eastern_datetime(day, 17, 5), "f-1705"),
    ]


def deliver(deps: Dependencies, message: Message) -> Message | None:
    """Deliver one message; returns the features-ready it published (if any). Raises if it failed."""
    outcome = handle_cloud_event(
        message.function,
        cloud_event(message.function, message.topic, message.event, message.publish_time, message.message_id),
        deps,
    )
    if "features-ready" not in outcome.published:
        return None
    assert outcome.game_date is not None
    ready = FeaturesReady(
        **event_fields(outcome.game_date),
        feature_version=FEATURE_VERSION,
        rows_written=outcome.rows_written,
        production_ready_rows=0,
    )
    return Message(
        "prediction",
        "features-ready",
        ready,
        message.publish_time + timedelta(minutes=1),
        "p-" + message.message_id,
    )


def reset(deps: Dependencies, day: date) -> None:
    for table in (FEATURE_STORE, "nba_predictions.player_prop_predictions"):
        deps.warehouse.execute(f"DELETE FROM {table} WHERE game_date = @d", {"d": day})
    deps.warehouse.execute("DELETE FROM nba_orchestration.pipeline_runs WHERE TRUE")


def final_state(deps: Dependencies, day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    features = deps.warehouse.query(
        f"SELECT * FROM {FEATURE_STORE} WHERE game_date = @d ORDER BY player_id", {"d": day}
    )
    current = [
        {k: v for k, v in row.items() if k not in BOOKKEEPING}
        for row in deps.warehouse.query(
            f"SELECT * FROM {CURRENT} WHERE game_date = @d ORDER BY player_id, system_id", {"d": day}
        )
    ]
    return features, current


def _difference(rows: list[dict[str, Any]], expected: list[dict[str, Any]]) -> str:
    if len(rows) != len(expected):
        return f"{len(rows)} rows, {len(expected)} expected"
    columns = sorted({k for row, want in zip(rows, expected, strict=True) for k in row if row[k] != want[k]})
    return f"columns that differ: {columns}"


def in_order(deps: Dependencies, day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reset(deps, day)
    for message in feature_messages(day):
        ready = deliver(deps, message)
        assert ready is not None, f"{message.message_id} built nothing in order"
        deliver(deps, ready)
    return final_state(deps, day)


def test_any_delivery_order_ends_in_the_in_order_state(deps, league, trained):
    day = league.game_dates[-1]
    expected_features, expected_current = in_order(deps, day)
    assert len(expected_features) == 36 and len(expected_current) == 36
    assert len({row["line_value"] for row in expected_current}) > 1

    @settings(
        derandomize=True,
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: each example costs seconds
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        reset(deps, day)
        pending = list(feature_messages(day))
        redeliveries = data.draw(st.integers(0, 4), label="redeliveries")
        delivered: list[Message] = []
        attempts = 0
        while pending:
            attempts += 1
            assert attempts < 60, "a message keeps failing: it would be dead-lettered"
            message = pending.pop(data.draw(st.integers(0, len(pending) - 1), label="next"))
            try:
                ready = deliver(deps, message)
            except Exception:  # transient (e.g. no features yet): Pub/Sub redelivers it later
                pending.append(replace(message))
                continue
            delivered.append(message)
            if ready is not None:
                pending.append(ready)
            if redeliveries and delivered and data.draw(st.booleans(), label="redeliver an earlier one"):
                redeliveries -= 1
                pending.append(data.draw(st.sampled_from(delivered), label="late redelivery"))
        features, current = final_state(deps, day)
        assert features == expected_features, _difference(features, expected_features)
        assert current == expected_current, _difference(current, expected_current)

    check()


def test_a_late_features_ready_never_makes_an_older_version_current(deps, league, trained):
    """The 09:01 features-ready arrives after the 12:31 one made versions: the newest features still win."""
    day = league.game_dates[-1]
    _, expected_current = in_order(deps, day)
    reset(deps, day)
    morning, noon, evening = feature_messages(day)
    late = deliver(deps, morning)
    noon_ready = deliver(deps, noon)
    assert late is not None and noon_ready is not None
    deliver(deps, noon_ready)
    assert deliver(deps, evening) is not None  # its features-ready is still on its way ...
    deliver(deps, late)  # ... when the 09:01 one, redelivered late, predicts from the 17:05 features
    assert final_state(deps, day)[1] == expected_current
