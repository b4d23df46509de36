"""Who is running warehouse statements right now (function, step, run id), and how many each has run.

The runtime binds the labels around a delivery (``labelled``); the warehouse adapters read them to label
every BigQuery job (so the bill splits by function) and to count jobs per function and kind (``read``:
a query; ``write``: a statement, or a keyed write's MERGE (two jobs when large: a load, then the MERGE,
``shared/adapters/keyed_writes.py``); ``bookkeeping``:
anything run while the step is ``bookkeeping``, i.e. the run record). Both adapters count the jobs
BigQuery would run, so the local figures are the cloud's. A leaf: standard library only, so adapters
and the runtime can both import it.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

BOOKKEEPING = "bookkeeping"
# BigQuery bills at least this much per query job (on-demand), however little it reads; load jobs are free.
MINIMUM_BILLED_BYTES = 10 * 1024**2
# BigQuery label rules: keys and values of at most 63 characters, lowercase letters, digits, _ and -;
# keys start with a letter. Anything else becomes "_".
_LABEL_LENGTH = 63
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]")


@dataclass(frozen=True)
class JobLabels:
    function: str
    step: str
    run_id: str

    def as_bigquery(self) -> dict[str, str]:
        """The labels every BigQuery job of this work carries, sanitised to BigQuery's rules."""
        return {"function": label_value(self.function), "step": label_value(self.step)} | (
            {"run_id": label_value(self.run_id)} if self.run_id else {}
        )


_current: ContextVar[JobLabels | None] = ContextVar("courtside_job_labels", default=None)


def label_value(value: str) -> str:
    """``value`` as a valid BigQuery label value (lowercase, [a-z0-9_-], at most 63 characters)."""
    return _NOT_ALLOWED.sub("_", value.lower())[:_LABEL_LENGTH]


def current() -> JobLabels | None:
    return _current.get()


@contextmanager
def labelled(function: str, step: str, run_id: str = "") -> Iterator[JobLabels]:
    """Statements run inside this block are labelled and counted as ``function``'s ``step``."""
    labels = JobLabels(function, step, run_id)
    token = _current.set(labels)
    try:
        yield labels
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class JobBytes:
    """A function's query jobs and their bytes processed and billed (at least the minimum per job)."""

    jobs: int
    processed: int
    billed: int


class StatementCounts:
    """Warehouse statements per (function, kind), and rows scanned and BigQuery bytes per function (when
    the adapter can tell), counted by the adapters; thread-safe."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._scanned: Counter[str] = Counter()
        self._jobs: list[tuple[str, int | Callable[[], int]]] = []  # (function, bytes processed)
        self._lock = threading.Lock()

    def add_job_bytes(self, processed: int | Callable[[], int]) -> None:
        """One query job that processed ``processed`` bytes, billed at least ``MINIMUM_BILLED_BYTES``.

        ``processed`` may be a function that estimates them, called once when the figures are first read
        (``bytes_scanned``): the estimate's own work then stays out of the time of the job's function."""
        labels = current()
        with self._lock:
            self._jobs.append((labels.function if labels else "", processed))

    def bytes_scanned(self) -> dict[str, JobBytes]:
        with self._lock:
            self._jobs = [(function, p() if callable(p) else p) for function, p in self._jobs]
            totals: dict[str, JobBytes] = {}
            for function, processed in self._jobs:
                assert isinstance(processed, int)
                known = totals.get(function, JobBytes(0, 0, 0))
                totals[function] = JobBytes(
                    known.jobs + 1,
                    known.processed + processed,
                    known.billed + max(processed, MINIMUM_BILLED_BYTES),
                )
            return totals

    def add_rows_scanned(self, rows: int) -> None:
        labels = current()
        with self._lock:
            self._scanned[labels.function if labels else ""] += rows

    def rows_scanned(self) -> dict[str, int]:
        with self._lock:
            return dict(self._scanned)

    def add(self, kind: str, jobs: int = 1) -> None:
        labels = current()
        function = labels.function if labels else ""
        if labels is not None and labels.step == BOOKKEEPING:
            kind = BOOKKEEPING
        with self._lock:
            self._counts[(function, kind)] += jobs

    def snapshot(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._scanned.clear()
            self._jobs.clear()
