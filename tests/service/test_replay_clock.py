"""A replay moves time through the clock the composition root was given, and needs one it can set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from courtside.replay import land
from shared.clock import SettableClock, parse_utc
from shared.dependencies import Dependencies

AT = datetime(2026, 1, 14, 17, 30, tzinfo=UTC)


def test_files_landed_by_a_replay_are_published_at_the_simulated_instant(
    deps_with: Callable[..., Dependencies], tmp_path: Path
) -> None:
    clock = SettableClock()
    deps = deps_with(clock=clock)
    delivered: list[Any] = []
    deps.bus.connect(lambda function, cloud_event: delivered.append((function, cloud_event)))  # type: ignore[attr-defined]
    (tmp_path / "injuries").mkdir()
    (tmp_path / "injuries" / "2026-01-14.csv").write_text("header\n", encoding="utf-8")

    assert land(deps, tmp_path, [tmp_path / "injuries" / "2026-01-14.csv"], AT) == ["injuries/2026-01-14.csv"]

    [(function, cloud_event)] = delivered
    assert function == "ingest"
    assert parse_utc(cloud_event["time"]) == AT
    assert clock() != AT  # back to real time once the files have landed


def test_a_replay_refuses_a_clock_it_cannot_set(deps: Dependencies, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="SettableClock"):
        land(deps, tmp_path, [], AT)
