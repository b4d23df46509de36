"""Cloud Logging's structured format for every function: one JSON object per line.

Cloud Run reads a JSON line on stdout/stderr as a structured entry: ``severity`` sets the entry's
severity (log-based alerts on ERROR depend on it), ``message`` its text (with the traceback, which
Error Reporting also picks up) and ``logging.googleapis.com/labels`` its labels. Each entry carries
the function, and once known the game date, run id, event id and the functions-framework's
execution id.

``configure_function_logging`` runs when a function's ``main.py`` is imported, which the
functions-framework does *after* its own ``LOG_EXECUTION_ID=true`` configuration: that sets the root
logger to WARNING with a plain-text handler, which would drop the run summary logged at INFO. So the
root logger is reset here to INFO with this one handler. That happens only in a function process
(Cloud Run sets ``K_SERVICE``, Terraform ``LOG_EXECUTION_ID``): a test or CLI that imports an entry
point in-process keeps its own logging.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

LABELS_FIELD = "logging.googleapis.com/labels"
SOURCE_LOCATION_FIELD = "logging.googleapis.com/sourceLocation"

_process_labels: dict[str, str] = {}
_event_labels: ContextVar[dict[str, str] | None] = ContextVar("courtside_log_labels", default=None)


class CloudLoggingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            message = f"{message}\n{self.formatStack(record.stack_info)}"
        labels = {**_process_labels, **(_event_labels.get() or {})}
        execution_id = _execution_id()
        if execution_id:
            labels["execution_id"] = execution_id
        entry: dict[str, Any] = {
            "severity": _severity(record.levelno),
            "message": message,
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            LABELS_FIELD: labels,
            SOURCE_LOCATION_FIELD: {
                "file": record.pathname,
                "line": str(record.lineno),
                "function": record.funcName,
            },
        }
        return json.dumps(entry, default=str)


class StandardStreamHandler(logging.Handler):
    """INFO and below to stdout, WARNING and above to stderr; the streams are looked up per record,
    so the functions-framework's per-request redirection (which adds its execution id) still applies."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = sys.stdout if record.levelno < logging.WARNING else sys.stderr
            stream.write(line + "\n")
            stream.flush()
        except Exception:  # logging must never take the function down
            self.handleError(record)


def in_function_process() -> bool:
    return bool(os.environ.get("K_SERVICE") or os.environ.get("LOG_EXECUTION_ID"))


def configure_function_logging(function: str, level: int = logging.INFO) -> None:
    """In a function process, make the root logger emit structured JSON at ``level``, whatever was
    configured before."""
    if not in_function_process():
        return
    _process_labels.clear()
    _process_labels["function"] = function
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = StandardStreamHandler()
    handler.setFormatter(CloudLoggingFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)


def bind_labels(**labels: object) -> None:
    """Add labels (game date, run id, ...) to every entry of the current event; ``None`` is skipped."""
    current = dict(_event_labels.get() or {})
    current.update({key: str(value) for key, value in labels.items() if value is not None})
    _event_labels.set(current)


def start_event_labels(**labels: object) -> Token[dict[str, str] | None]:
    """Start one event's labels; give the token to ``end_event_labels`` when the event is handled."""
    return _event_labels.set({key: str(value) for key, value in labels.items() if value is not None})


def end_event_labels(token: Token[dict[str, str] | None]) -> None:
    _event_labels.reset(token)


@contextmanager
def event_labels(**labels: object) -> Iterator[None]:
    """Labels for the duration of one event; whatever ``bind_labels`` adds inside is dropped after."""
    token = start_event_labels(**labels)
    try:
        yield
    finally:
        end_event_labels(token)


def _severity(levelno: int) -> str:
    for threshold, name in (
        (logging.CRITICAL, "CRITICAL"),
        (logging.ERROR, "ERROR"),
        (logging.WARNING, "WARNING"),
    ):
        if levelno >= threshold:
            return name
    return "INFO" if levelno >= logging.INFO else "DEBUG"


def _execution_id() -> str | None:
    """The functions-framework's execution id of the current request, when running under it."""
    try:
        from functions_framework import execution_id
    except ImportError:  # the CLI and tests run without the framework
        return None
    try:
        context = execution_id._get_current_context()  # type: ignore[no-untyped-call]
    except RuntimeError:  # outside a Flask application context
        return None
    value = getattr(context, "execution_id", None)
    return str(value) if value else None
