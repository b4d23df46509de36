"""Alert sink posting Block Kit messages to a Slack incoming webhook (slack-sdk's WebhookClient).

The webhook URL is a secret: it is kept in a private attribute, left out of ``repr``, never logged (the
client gets a silenced logger because slack-sdk logs request URLs at DEBUG and errors with the URL), and
scrubbed from every exception message this sink raises.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.webhook import WebhookClient

REDACTED = "<slack-webhook-url>"


class SlackDeliveryError(RuntimeError):
    """Slack did not accept the alert. Not permanent: Pub/Sub redelivers the message."""


def _silent_logger() -> logging.Logger:
    logger = logging.getLogger("courtside.slack_webhook_client")
    logger.setLevel(logging.CRITICAL + 10)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    return logger


class SlackWebhookSink:
    def __init__(self, webhook_url: str, timeout_seconds: int = 10, client: Any | None = None) -> None:
        if not webhook_url:
            raise ValueError("a Slack webhook URL is required")
        self.__url = webhook_url
        self._client = client or WebhookClient(webhook_url, timeout=timeout_seconds, logger=_silent_logger())

    def __repr__(self) -> str:
        return f"SlackWebhookSink(webhook_url={REDACTED!r})"

    def _scrub(self, text: str) -> str:
        return text.replace(self.__url, REDACTED)

    def send(self, payload: Mapping[str, Any]) -> None:
        try:
            response = self._client.send_dict(dict(payload))
        except Exception as exc:
            # Never chain the original: its message (and traceback locals) may carry the URL.
            raise SlackDeliveryError(
                self._scrub(f"Slack webhook request failed: {type(exc).__name__}: {exc}")
            ) from None
        status = int(getattr(response, "status_code", 0) or 0)
        if not 200 <= status < 300:
            body = self._scrub(str(getattr(response, "body", "") or ""))[:300]
            raise SlackDeliveryError(f"Slack webhook answered HTTP {status}: {body}")
