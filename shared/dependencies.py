"""What every function, service and tool receives: the adapters chosen by the composition root.

A leaf module (it imports only the ports, the settings and the clock), so the runtime, the step
context and the services can name the type without importing the composition root that builds it
(``shared/bootstrap.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.clock import utc_now
from shared.ports import AlertSink, BlobStore, Bus, Warehouse
from shared.settings import Settings


@dataclass
class Dependencies:
    settings: Settings
    warehouse: Warehouse
    bus: Bus
    blobs: BlobStore
    alert_sink_factory: Callable[[], AlertSink]
    clock: Callable[[], datetime] = field(default=utc_now)
    # True when nothing announces a landed raw file (no bucket notification, as on the embedded
    # default), so landing one publishes the ``raw-objects`` message itself.
    announces_raw_objects: bool = False
    # Per-instance caches (e.g. loaded models), kept across invocations like a warm Cloud Function.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def alert_sink(self) -> AlertSink:
        if "alert_sink" not in self.cache:
            self.cache["alert_sink"] = self.alert_sink_factory()
        sink: AlertSink = self.cache["alert_sink"]
        return sink
