"""The one classification of exceptions (shared/failures.py), row by row of docs/errors.md."""

from __future__ import annotations

import pytest

from shared.errors import InvalidMessageError, MissingRowsError, RefusedError, TransientError
from shared.failures import Phase, Verdict, classify


class FakeGoogleError(Exception):
    """Shaped like google.api_core.exceptions.GoogleAPICallError: an HTTP status in ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(f"HTTP {code}")
        self.code = code


class FakeResponse:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


class FakeHttpError(Exception):
    """Shaped like requests.HTTPError: the status on ``response``."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.response = FakeResponse(status_code)


class RetryError(Exception):
    """Named like google.api_core.exceptions.RetryError (retries exhausted, no status)."""


BOTH = (Phase.INPUT, Phase.STEP)


@pytest.mark.parametrize("phase", BOTH)
@pytest.mark.parametrize(
    "exc",
    [InvalidMessageError("bad"), RefusedError("wrong model")],
)
def test_declared_permanent_errors_are_permanent_anywhere(exc, phase):
    assert classify(exc, phase) is Verdict.PERMANENT


@pytest.mark.parametrize("phase", BOTH)
@pytest.mark.parametrize(
    "exc",
    [
        TransientError("model read failed"),
        MissingRowsError("no rows yet"),
        ConnectionError("reset"),
        ConnectionResetError(),
        TimeoutError("read timed out"),
        OSError(5, "I/O error"),
        PermissionError("denied"),
        MemoryError(),
        FakeGoogleError(429),
        FakeGoogleError(500),
        FakeGoogleError(503),
        FakeGoogleError(504),
        FakeHttpError(502),
        FakeHttpError(408),
        RetryError("deadline"),
    ],
    ids=repr,
)
def test_infrastructure_faults_are_transient_anywhere(exc, phase):
    assert classify(exc, phase) is Verdict.TRANSIENT


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("x"),
        TypeError("x"),
        AttributeError("x"),
        KeyError("x"),
        RecursionError(),
        OverflowError(),
        UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
        FakeGoogleError(400),
        FileNotFoundError("gone"),
    ],
    ids=repr,
)
def test_unknown_errors_reading_the_input_are_permanent_but_retried_in_the_step(exc):
    assert classify(exc, Phase.INPUT) is Verdict.PERMANENT
    # Inside the step an unknown error may be a deployment or code fault: retried, then dead-lettered.
    assert classify(exc, Phase.STEP) is Verdict.TRANSIENT
