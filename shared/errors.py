"""The errors a step raises on purpose; ``shared/failures.py`` classifies every exception (docs/errors.md).

PermanentError: retrying cannot help (malformed or invalid message, impossible request). The runtime
logs it, records the run as ``rejected`` and acknowledges the message: no retry storm.
TransientError (and infrastructure faults: warehouse unreachable, Slack down) propagate, the function
answers 500 and Pub/Sub redelivers until the subscription's dead-letter topic takes it.
"""

from __future__ import annotations


class PermanentError(Exception):
    """Retrying the same message can never succeed."""


class InvalidMessageError(PermanentError):
    """The message could not be decoded or failed its contract."""


class RefusedError(PermanentError):
    """The input was understood but must not be acted on (e.g. a model of the wrong feature version)."""


class MissingRowsError(RuntimeError):
    """A step found zero rows where rows were expected; never a silent success.

    Deliberately not permanent: the data may still be landing, so Pub/Sub retries and finally
    dead-letters, where the dead-letter alert makes it visible.
    """


class TransientError(RuntimeError):
    """Retrying the same message may succeed (an infrastructure fault: network, timeout, 5xx)."""
