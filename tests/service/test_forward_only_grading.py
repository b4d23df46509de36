"""Issue 11, finding 3, for grading: a late, older grading trigger never rolls grades back.

Grading reads the date's current inputs (predictions, schedule, box scores, pre-game lines) whenever it
runs, so a late message grades from inputs at least as new as the run before it; what it could still roll
back is the row itself: the time it was graded (an older trigger's publish time) and, when its inputs were
read before the box scores landed and written after a newer run (two deliveries racing), a settled grade
turned back into a pending one. The date's grading triggers (the 03:00 boxscores-loaded, the 06:00 safety
net, the reconciler's re-drive) are delivered in orders drawn by hypothesis with late redeliveries; the final
``prediction_accuracy`` must equal the in-order result, row for row, and no delivery may unsettle a grade.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from shared.bootstrap import Dependencies
from shared.clock import eastern_datetime
from shared.events import BoxscoresLoaded, ScheduledRun
from shared.messages import encode, pubsub_cloud_event
from shared.ports import Row, Warehouse
from shared.runtime import handle_cloud_event
from shared.services.grading import grade_date
from shared.sql import load_sql
from shared.topology import subscriptions_of_function
from tests import postgame_fixtures as fx

D = date(2026, 1, 9)
ACCURACY = "nba_predictions.prediction_accuracy"
MAX_EXAMPLES = 25


@dataclass(frozen=True)
class Trigger:
    topic: str
    event: BaseModel
    publish_time: datetime
    message_id: str


def grading_triggers(day: date) -> list[Trigger]:
    """The date's grading triggers, in the order they are published."""
    night = eastern_datetime(day + timedelta(days=1), 3)
    boxscores = BoxscoresLoaded(
        game_date=day,
        run_id="ingest-run",
        produced_by="ingest",
        produced_at=night,
        source_object=f"boxscores/{day}.csv",
        rows_loaded=4,
        rows_rejected=0,
    )
    safety_net = ScheduledRun(schedule="grading-safety-net", relative_day="yesterday")
    redrive = ScheduledRun(schedule="reconciliation", relative_day="yesterday", game_date=day)
    return [
        Trigger("boxscores-loaded", boxscores, night, "g-0300"),
        Trigger("grading-requested", safety_net, eastern_datetime(day + timedelta(days=1), 6), "g-0600"),
        Trigger("grading-requested", redrive, eastern_datetime(day + timedelta(days=1), 7, 20), "g-0720"),
    ]


def deliver(deps: Dependencies, trigger: Trigger) -> None:
    subscription = next(s for s in subscriptions_of_function("grading") if s.topic == trigger.topic)
    data, attributes = encode(trigger.topic, trigger.event)
    event = pubsub_cloud_event(
        "courtside-local",
        trigger.topic,
        subscription.name,
        data,
        attributes,
        trigger.message_id,
        trigger.publish_time,
    )
    handle_cloud_event("grading", event, deps)


def seed_date(deps: Dependencies, day: date) -> None:
    """A final game: two graded bets, a DNP (voided) and a player missing from the box score (pending)."""
    fx.schedule(deps, "G1", day)
    fx.box_score(deps, "G1", day, "a", 25)
    fx.box_score(deps, "G1", day, "b", 12)
    fx.box_score(deps, "G1", day, "c", 0, minutes=0, status="dnp")
    for player, predicted in (("a", 23.0), ("b", 16.0), ("c", 20.0), ("d", 18.0)):
        fx.prediction(deps, "G1", day, player, predicted, 20.5, "OVER" if predicted > 20.5 else "UNDER")
    fx.line_snapshot(deps, "G1", day, "a", "DraftKings", 21.5, fx.tipoff(day) - timedelta(minutes=10))


def accuracy(deps: Dependencies) -> list[dict[str, Any]]:
    return deps.warehouse.query(f"SELECT * FROM {ACCURACY} ORDER BY player_id, system_id")


def settled(rows: Sequence[Mapping[str, Any]]) -> set[tuple[str, str]]:
    return {(r["player_id"], r["system_id"]) for r in rows if r["grade_status"] in ("graded", "voided")}


def test_any_order_of_grading_triggers_ends_in_the_in_order_grades(deps):
    seed_date(deps, D)
    for trigger in grading_triggers(D):
        deliver(deps, trigger)
    expected = accuracy(deps)
    assert [r["grade_status"] for r in expected] == ["graded", "graded", "voided", "pending"]
    assert {r["graded_at"] for r in expected} == {grading_triggers(D)[-1].publish_time}

    @settings(
        derandomize=True,
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        deps.warehouse.execute(f"DELETE FROM {ACCURACY} WHERE game_date = @d", {"d": D})
        pending = list(grading_triggers(D))
        redeliveries = data.draw(st.integers(0, 3), label="redeliveries")
        delivered: list[Trigger] = []
        while pending:
            trigger = pending.pop(data.draw(st.integers(0, len(pending) - 1), label="next"))
            before = settled(accuracy(deps))
            deliver(deps, trigger)
            assert before <= settled(accuracy(deps)), f"{trigger.message_id} unsettled a grade"
            delivered.append(trigger)
            if redeliveries and data.draw(st.booleans(), label="redeliver an earlier one"):
                redeliveries -= 1
                pending.append(data.draw(st.sampled_from(delivered), label="late redelivery"))
        assert accuracy(deps) == expected

    check()


class InputsReadEarlier:
    """A warehouse whose grading inputs are the ones a racing run read before the box scores landed."""

    def __init__(self, warehouse: Warehouse, gradable_then: list[Row]) -> None:
        self._warehouse = warehouse
        self._gradable_then = gradable_then

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        if sql == load_sql("grading/gradable_predictions"):
            return self._gradable_then
        return self._warehouse.query(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._warehouse, name)


def test_a_run_that_read_its_inputs_before_the_box_scores_never_unsettles_a_newer_grade(deps):
    fx.schedule(deps, "G1", D)
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "b", 16.0, 20.5, "UNDER")
    # The 03:00 run reads its inputs: the game is final but no box score has landed yet ...
    read_early = deps.warehouse.query(load_sql("grading/gradable_predictions"), {"game_date": D})
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 0, minutes=0, status="dnp")
    six = eastern_datetime(D + timedelta(days=1), 6)
    grade_date(deps.warehouse, D, six, deps.settings)  # ... the 06:00 run settles both ...
    newer = accuracy(deps)
    assert [r["grade_status"] for r in newer] == ["graded", "voided"]

    racing = InputsReadEarlier(deps.warehouse, read_early)
    report = grade_date(racing, D, six - timedelta(hours=3), deps.settings)  # ... then the 03:00 one writes

    assert accuracy(deps) == newer
    assert (report.graded, report.voided, report.pending) == (1, 1, 0)
