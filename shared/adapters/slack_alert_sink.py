"""Alert sink posting Block Kit messages to a Slack incoming webhook (slack-sdk's WebhookClient).

The webhook URL is a secret: it is kept in a private attribute, left out of ``repr``, never logged (the
client gets a silenced logger because slack-sdk logs request URLs at DEBUG and errors with the URL), and
scrubbed from every exception message this sink raises: the whole URL, its path, and each of its path's
secret segments (team, channel, token), plain or percent-encoded, since an HTTP error may echo any of them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from slack_sdk.webhook import WebhookClient

REDACTED = "<slack-webhook-url>"
# Path segments of a webhook that name no secret (``/services/T…/B…/token``).
_PUBLIC_SEGMENTS = frozenset({"services", "workflows", "triggers"})


def secret_parts(webhook_url: str) -> tuple[str, ...]:
    """Every text that gives away some of the webhook, longest first (so the URL goes before its path)."""
    path = urlsplit(webhook_url).path
    parts = {webhook_url, path, path.strip("/")}
    parts.update(seg for seg in path.split("/") if seg and seg.lower() not in _PUBLIC_SEGMENTS)
    parts.update({quote(p, safe="") for p in list(parts)} | {quote(p) for p in list(parts)})
    return tuple(sorted((p for p in parts if p), key=len, reverse=True))


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
        # Case-insensitive: percent-encoding may come back as %2f as well as %2F.
        self.__secrets = re.compile("|".join(map(re.escape, secret_parts(webhook_url))), re.IGNORECASE)
        self._client = client or WebhookClient(webhook_url, timeout=timeout_seconds, logger=_silent_logger())

    def __repr__(self) -> str:
        return f"SlackWebhookSink(webhook_url={REDACTED!r})"

    def _scrub(self, text: str) -> str:
        return self.__secrets.sub(REDACTED, text)

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
