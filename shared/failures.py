"""The one classification of every exception a step can meet: permanent or transient.

Permanent: retrying the same message can never succeed. The runtime records the run ``rejected`` and
acknowledges the message (no retry storm). Transient: an infrastructure fault that a later attempt may not
meet. The runtime records the run ``failed`` and raises, so Pub/Sub redelivers and, after the
subscription's attempts, dead-letters (nothing retried forever, nothing dropped).

Where the exception was raised matters: anything unexpected while *reading the input* (decoding the
CloudEvent, validating the event contract) says the input is bad, so it is permanent unless it is an
infrastructure fault; anything unexpected while the *step runs* is transient (it may be the warehouse,
a deployment or a code fault, and a dead letter keeps the message for a replay once that is fixed).
The table in docs/errors.md mirrors ``classify``; keep the two in step.
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import MissingRowsError, PermanentError, TransientError


class Verdict(StrEnum):
    PERMANENT = "permanent"  # recorded `rejected`, acknowledged
    TRANSIENT = "transient"  # recorded `failed`, raised, redelivered, finally dead-lettered


class Phase(StrEnum):
    INPUT = "input"  # decoding the delivery and validating the event contract
    STEP = "step"  # the service handling a valid event


# HTTP statuses of an infrastructure fault worth retrying: timeout, rate limit, server errors.
TRANSIENT_HTTP_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def classify(exc: BaseException, phase: Phase) -> Verdict:
    if isinstance(exc, PermanentError):
        return Verdict.PERMANENT
    if isinstance(exc, TransientError | MissingRowsError) or is_infrastructure_fault(exc):
        return Verdict.TRANSIENT
    return Verdict.PERMANENT if phase is Phase.INPUT else Verdict.TRANSIENT


def is_infrastructure_fault(exc: BaseException) -> bool:
    """Network, I/O, timeouts, rate limits and 5xx from any client library (by duck typing: no imports).

    A missing file is not a fault of the infrastructure: the caller decides what a missing object means.
    """
    if isinstance(exc, FileNotFoundError | NotADirectoryError | IsADirectoryError):
        return False
    if isinstance(exc, ConnectionError | TimeoutError | OSError | MemoryError):
        return True  # requests' and urllib3's connection errors are OSErrors too
    status = http_status(exc)
    if status is not None:
        return status in TRANSIENT_HTTP_STATUSES
    # google.api_core.exceptions.RetryError (retries exhausted) carries no status code.
    return type(exc).__name__ in {"RetryError", "DeadlineExceeded", "ServiceUnavailable", "TooManyRequests"}


def http_status(exc: BaseException) -> int | None:
    """The HTTP status a client exception carries (google.api_core ``code``, requests ``response``)."""
    code = getattr(exc, "code", None)
    if isinstance(code, int) and 100 <= code <= 599:
        return code
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None
