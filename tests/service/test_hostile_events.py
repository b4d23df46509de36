"""Issue 11, finding 4: every permanent problem is rejected and recorded, never raised as retryable.

A fixed seed and budget of hostile deliveries (tests/hostile_events.py) over every function: malformed
envelopes, payloads that are not the topic's event, hostile field values and ids, object names no store
accepts, unreadable raw files. Each must come back ``rejected`` with its pipeline_runs row saying so.
"""

from __future__ import annotations

import time
from collections import Counter

from shared import run_log
from shared.bootstrap import Dependencies
from shared.runtime import handle_cloud_event
from shared.topology import FUNCTIONS
from tests.hostile_events import RAW_BUCKET, hostile_deliveries

SEED = 20261129
BUDGET = 5_000


def test_every_hostile_event_is_rejected_and_recorded(deps: Dependencies) -> None:
    escaped: Counter[str] = Counter()
    examples: dict[str, str] = {}
    per_function: Counter[str] = Counter()
    started = time.perf_counter()
    for hostile in hostile_deliveries(SEED, BUDGET):
        for name, content in hostile.raw_files.items():
            deps.blobs.write_bytes(RAW_BUCKET, name, content)
        per_function[hostile.function] += 1
        try:
            outcome = handle_cloud_event(hostile.function, hostile.cloud_event, deps)
        except Exception as exc:  # raised = retryable: the escape this test exists to catch
            escaped[hostile.case] += 1
            examples.setdefault(hostile.case, f"{hostile.function}: raised {type(exc).__name__}: {exc}"[:300])
            continue
        recorded = run_log.run_of_event(deps.warehouse, hostile.function, outcome.event_id)
        if outcome.status != "rejected" or [row["status"] for row in recorded] != ["rejected"]:
            escaped[hostile.case] += 1
            examples.setdefault(
                hostile.case,
                f"{hostile.function}: {outcome.status}, recorded {[r['status'] for r in recorded]}: "
                f"{outcome.detail}"[:300],
            )
    elapsed = time.perf_counter() - started
    print(f"{BUDGET} hostile events ({dict(sorted(per_function.items()))}) in {elapsed:.1f} s")
    assert not escaped, f"{sum(escaped.values())} escaped: {dict(escaped)}\n" + "\n".join(
        f"  {case}: {example}" for case, example in sorted(examples.items())
    )
    assert sum(per_function.values()) == BUDGET >= 5_000
    assert set(per_function) == set(FUNCTIONS)  # every function of the topology, training included
