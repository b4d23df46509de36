"""A bus that pushes each message straight to its subscribers' HTTP endpoints, like a Pub/Sub push
subscription: the fallback ``make emulate`` uses when the official Pub/Sub emulator is not installed.

Selected by ``COURTSIDE_PUSH_ENDPOINTS``, a JSON object mapping each function to its base URL
(``{"ingest": "http://127.0.0.1:8101", ...}``). For every subscription of the topic (from
``shared/topology.py``) it POSTs the push envelope of ``shared.messages.push_envelope`` to
``<base>/projects/<project>/topics/<topic>`` (functions-framework takes the CloudEvent source from
that path). Delivery happens on a background thread, after ``publish`` returns, as with Pub/Sub: the
publishing function still holds the embedded DuckDB file until its own invocation ends. A non-2xx
answer is retried with backoff up to ``MAX_DELIVERY_ATTEMPTS`` and then dead-lettered (logged and
kept in ``dead_letters``). Not for production: there, Pub/Sub itself pushes.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from shared.clock import utc_now
from shared.messages import encode, push_envelope
from shared.topology import FUNCTIONS, MAX_DELIVERY_ATTEMPTS, Subscription, subscriptions_of_topic

log = logging.getLogger("courtside.push")


@dataclass(frozen=True)
class PushDeadLetter:
    subscription: str
    message_id: str
    error: str


def parse_endpoints(text: str) -> dict[str, str]:
    """``COURTSIDE_PUSH_ENDPOINTS`` -> {function: base URL}; refuses unknown functions and non-URLs."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"COURTSIDE_PUSH_ENDPOINTS is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError("COURTSIDE_PUSH_ENDPOINTS must be a JSON object {function: url}")
    unknown = sorted(set(raw) - set(FUNCTIONS))
    if unknown:
        raise ValueError(f"COURTSIDE_PUSH_ENDPOINTS names unknown function(s) {unknown}")
    for function, url in raw.items():
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"COURTSIDE_PUSH_ENDPOINTS[{function!r}] must be an http(s) URL")
    return {str(function): str(url).rstrip("/") for function, url in raw.items()}


class HttpPushBus:
    def __init__(
        self,
        project: str,
        endpoints: Mapping[str, str],
        *,
        max_attempts: int = MAX_DELIVERY_ATTEMPTS,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 120.0,
    ) -> None:
        self._project = project
        self._endpoints = dict(endpoints)
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._timeout = timeout_seconds
        self._queue: queue.Queue[tuple[Subscription, str, dict[str, Any]]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self.dead_letters: list[PushDeadLetter] = []

    def publish(self, topic: str, event: BaseModel, event_time: datetime | None = None) -> str:
        data, attributes = encode(
            topic, event, event_time
        )  # refuses the wrong contract before anything is sent
        subscriptions = subscriptions_of_topic(topic)
        missing = sorted({s.function for s in subscriptions} - set(self._endpoints))
        if missing:  # refuse before anything is sent, rather than deliver to only some subscribers
            raise LookupError(f"no push endpoint for {missing} (COURTSIDE_PUSH_ENDPOINTS)")
        message_id = f"push-{uuid.uuid4().hex}"
        published_at = utc_now()
        for subscription in subscriptions:
            body = push_envelope(
                self._project, topic, subscription.name, data, attributes, message_id, published_at
            )
            url = f"{self._endpoints[subscription.function]}/projects/{self._project}/topics/{topic}"
            self._queue.put((subscription, url, body))
        self._ensure_worker()
        return message_id

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until every queued delivery finished (delivered or dead-lettered); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="http-push-bus", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            subscription, url, body = self._queue.get()
            try:
                self._deliver(subscription, url, body)
            finally:
                self._queue.task_done()

    def _deliver(self, subscription: Subscription, url: str, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode("utf-8")
        error = ""
        for attempt in range(1, self._max_attempts + 1):
            request = urllib.request.Request(
                url, data=payload, method="POST", headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self._timeout) as response:
                    if 200 <= response.status < 300:
                        return
                    error = f"HTTP {response.status}"
            except urllib.error.HTTPError as exc:
                error = f"HTTP {exc.code}"
            except OSError as exc:
                error = f"{type(exc).__name__}: {exc}"
            log.warning("push to %s failed (attempt %d): %s", subscription.name, attempt, error)
            if attempt < self._max_attempts:
                time.sleep(self._backoff * 2 ** (attempt - 1))
        message_id = str(body["message"]["messageId"])
        log.error("dead-lettering %s on %s: %s", message_id, subscription.name, error)
        self.dead_letters.append(PushDeadLetter(subscription.name, message_id, error))
