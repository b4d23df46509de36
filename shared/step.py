"""What a service step receives (its context) and returns (its result).

Services never build clients or read the environment: the context carries the adapters chosen by
the composition root, the run identity, and the instant the triggering message was published.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from shared.clock import utc_now
from shared.dependencies import Dependencies
from shared.topology import topics_published_by

StepStatus = Literal["success", "skipped"]


@dataclass
class StepContext:
    function: str
    deps: Dependencies
    event_id: str
    run_id: str
    # The decision time: the replay's carried event time when the message has one, else its publishTime.
    publish_time: datetime
    attributes: dict[str, str] = field(default_factory=dict)
    # Set only when the triggering message carried an event time; passed on to what this step publishes.
    event_time: datetime | None = None
    published: list[tuple[str, BaseModel]] = field(default_factory=list)

    @property
    def warehouse(self) -> Any:
        return self.deps.warehouse

    def event_fields(self, game_date: date) -> dict[str, Any]:
        """The fields every outgoing event carries; the run id propagates down the chain."""
        return {
            "game_date": game_date,
            "run_id": self.run_id,
            "produced_by": self.function,
            "produced_at": utc_now(),
        }

    def publish(self, topic: str, event: BaseModel) -> str:
        if topic not in topics_published_by(self.function):
            raise RuntimeError(
                f"{self.function} is not a declared publisher of {topic!r} (shared/topology.py)"
            )
        message_id = self.deps.bus.publish(topic, event, event_time=self.event_time)
        self.published.append((topic, event))
        return message_id


@dataclass(frozen=True)
class StepResult:
    game_date: date | None
    rows_read: int
    rows_written: int
    detail: str
    status: StepStatus = "success"


def run_id_of_delivery(function: str, event_id: str) -> str:
    """The run id of a delivery whose event carries none (a scheduled run): derived from the message id, so
    a redelivered message (or a rerun backfill) writes identical rows."""
    return uuid.uuid5(uuid.NAMESPACE_OID, f"{function}:{event_id}").hex
