"""Alert sink used when no Slack webhook is configured: the alert goes to the log, never nowhere."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("courtside.alerts")


class LogAlertSink:
    def __init__(self) -> None:
        self.sent: list[Mapping[str, Any]] = []

    def send(self, payload: Mapping[str, Any]) -> None:
        self.sent.append(payload)
        log.warning("ALERT (no Slack webhook configured): %s", payload.get("text", "(no text)"))
        log.debug("alert payload: %s", json.dumps(payload, default=str)[:4000])
