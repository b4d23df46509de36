"""A replay paced for a chain that runs elsewhere (Google Cloud): one landing at a time, each awaited.

The embedded replay delivers everything a landing triggers before the next one, on a clock it sets.
On Google Cloud the deployed functions deliver, and Pub/Sub stamps real times. So here each landing
(the season schedule, then per date the morning files and the results) is uploaded with its
simulated instant in the objects' metadata (``shared/event_time.py``: every message of its chain
carries it and the as-of rules use it), and the next landing waits until that chain has finished in
``pipeline_runs``. That is the flow control: at most one landing's messages (a handful) are in
flight, so a season never reaches the functions as one burst.

When a landing's chain has finished is read from the runs alone: each landed file is owed one ingest
run, and every finished run is owed one run per subscription of each topic it published
(``published_topics``, which repeats a topic published twice). The chain is finished when every
function has as many finished runs (success, skipped or rejected) as it is owed. A ``failed`` run
stops the replay at once, naming the function and date (Pub/Sub keeps retrying the message; rerun
from that date once the cause is fixed: every write is keyed). A message refused until it
dead-letters never reaches a function, so it shows as a timeout naming who is still owed a run.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from courtside.replay import MORNING_FILES, RESULTS, SEASON_SCHEDULE, DayReport, Landing, landings
from shared import run_log
from shared.clock import utc_now
from shared.dependencies import Dependencies
from shared.services.raw_files import land_raw_file
from shared.topology import FUNCTIONS, subscriptions_of_topic

FINISHED = frozenset({"success", "skipped", "rejected"})
DEFAULT_TIMEOUT_SECONDS = 30 * 60.0
DEFAULT_POLL_SECONDS = 10.0
# Runs are selected by their start (the functions' clock) from just before the landing (this machine's
# clock); the margin absorbs skew between the two. Runs already counted for an earlier landing are
# excluded by key, so the margin never counts them twice.
CLOCK_SKEW = timedelta(seconds=30)


class ReplayStoppedError(RuntimeError):
    """A step of a replayed date failed, or its chain did not finish in time."""


@dataclass(frozen=True)
class ChainProgress:
    finished: int
    owed: dict[str, int]  # function -> runs owed but not finished yet
    failed: tuple[Mapping[str, Any], ...]
    rejected: int

    @property
    def done(self) -> bool:
        return not self.owed and not self.failed

    def describe(self) -> str:
        waiting = ", ".join(f"{function} {count}" for function, count in self.owed.items()) or "nothing"
        rejected = f", {self.rejected} rejected" if self.rejected else ""
        return f"{self.finished} run(s) finished{rejected}; waiting on {waiting}"


def chain_progress(runs: Iterable[Mapping[str, Any]], files_landed: int) -> ChainProgress:
    """How far the chain of ``files_landed`` files has come, from the runs it has recorded so far."""
    expected: Counter[str] = Counter({"ingest": files_landed})
    finished: Counter[str] = Counter()
    failed = []
    rejected = 0
    for run in runs:
        if run["status"] == "failed":
            failed.append(run)
            continue
        if run["status"] not in FINISHED:  # not an outcome (yet): it finishes nothing and owes nothing
            continue
        rejected += run["status"] == "rejected"
        finished[run["function_name"]] += 1
        for topic in filter(None, (run["published_topics"] or "").split(",")):
            for subscription in subscriptions_of_topic(topic):
                expected[subscription.function] += 1
    owed = {f: expected[f] - finished[f] for f in FUNCTIONS if expected[f] > finished[f]}
    return ChainProgress(sum(finished.values()), owed, tuple(failed), rejected)


@dataclass
class PacedReplay:
    """Lands one landing at a time and waits for its chain; ``sleep`` and ``monotonic`` are injectable
    so a test can run the chain between polls."""

    deps: Dependencies
    folder: Path
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    poll_seconds: float = DEFAULT_POLL_SECONDS
    report: Callable[[str], None] = lambda _: None
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    _counted: set[tuple[str, str]] = field(default_factory=set, init=False)

    def run(
        self, start: date, end: date, on_day: Callable[[DayReport], None] | None = None
    ) -> list[DayReport]:
        reports: list[DayReport] = []
        for landing in landings(self.folder, start, end):
            landed = self.land_and_wait(landing)
            if landing.label == SEASON_SCHEDULE:
                continue
            if landing.label == MORNING_FILES:
                reports.append(DayReport(landing.game_date))
            reports[-1].files += landed
            if on_day and landing.label == RESULTS:
                on_day(reports[-1])
        return reports

    def land_and_wait(self, landing: Landing) -> list[str]:
        since = utc_now() - CLOCK_SKEW
        names = [
            land_raw_file(self.deps, path, path.relative_to(self.folder).as_posix(), event_time=landing.at)
            for path in landing.paths
        ]
        what = f"{landing.game_date} {landing.label}"
        deadline = self.monotonic() + self.timeout_seconds
        while True:
            runs = [r for r in run_log.runs_since(self.deps.warehouse, since) if _key(r) not in self._counted]
            progress = chain_progress(runs, len(names))
            self.report(f"{what}: {progress.describe()}")
            if progress.failed:
                raise ReplayStoppedError(_failure(what, progress.failed))
            if progress.done:
                self._counted.update(_key(r) for r in runs)
                return names
            if self.monotonic() >= deadline:
                raise ReplayStoppedError(
                    f"{what}: the chain did not finish within {self.timeout_seconds:.0f} s "
                    f"({progress.describe()}); a message may be retrying or dead-lettered: see "
                    "`courtside status` and the dead-letter archive subscriptions (docs/deploying.md)"
                )
            self.sleep(self.poll_seconds)


def _key(run: Mapping[str, Any]) -> tuple[str, str]:
    return str(run["function_name"]), str(run["event_id"])


def _failure(what: str, failed: Iterable[Mapping[str, Any]]) -> str:
    lines = [
        f"{run['function_name']} {run['status']} on game date {run['game_date']} "
        f"(event {run['event_id']}, attempt {run['delivery_attempt']}): {run['error'] or run['detail']}"
        for run in failed
    ]
    return (
        f"{what}: replay stopped, a step failed (Pub/Sub keeps retrying it; fix the cause and rerun "
        "from this date):\n  " + "\n  ".join(lines)
    )
