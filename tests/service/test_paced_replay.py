"""The paced replay (``courtside run`` on gcp): one landing at a time, each chain awaited in pipeline_runs.

Google Cloud is stood in for by the in-process bus, drained only while the pacer sleeps between polls
and never given a simulated clock: publishTime is the wall clock, as on Pub/Sub, so the season's
clock reaches the functions only through the carried event time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from courtside.paced_replay import PacedReplay, ReplayStoppedError, chain_progress
from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.runtime import handle_cloud_event
from shared.schema_files import table_definitions
from shared.settings import Settings
from shared.step import StepContext, StepResult

DAYS = 3


def run(function: str, status: str = "success", published: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"function_name": function, "status": status, "published_topics": published, **extra}


def test_nothing_recorded_yet_owes_one_ingest_run_per_file() -> None:
    progress = chain_progress([], files_landed=2)
    assert progress.owed == {"ingest": 2}
    assert not progress.done


def test_every_published_topic_owes_a_run_to_each_of_its_subscribers() -> None:
    runs = [
        run("ingest", published="lines-loaded"),
        run("ingest", status="skipped"),
        run("feature_store", published="features-ready"),
    ]
    assert chain_progress(runs, files_landed=2).owed == {"prediction": 1}
    grading = [run("ingest", published="boxscores-loaded"), run("grading", published="grading-complete")]
    assert chain_progress(grading, files_landed=1).owed == {"sharpness": 1, "diagnostics": 1}
    twice = [run("ingest", published="boxscores-loaded"), run("grading", published="alerts,alerts")]
    assert chain_progress(twice, files_landed=1).owed == {"alerts": 2}


def test_a_finished_chain_is_done_and_rejections_count_as_finished() -> None:
    runs = [
        run("ingest", published="lines-loaded"),
        run("ingest", status="rejected"),
        run("feature_store", published="features-ready"),
        run("prediction"),
    ]
    progress = chain_progress(runs, files_landed=2)
    assert progress.done
    assert progress.rejected == 1
    assert "1 rejected" in progress.describe()


def test_a_failed_run_is_not_done_even_when_nothing_is_owed() -> None:
    progress = chain_progress([run("ingest", status="failed")], files_landed=0)
    assert progress.failed and not progress.done


def test_a_run_without_an_outcome_yet_finishes_nothing() -> None:
    progress = chain_progress([run("ingest", status="running", published="lines-loaded")], files_landed=1)
    assert progress.owed == {"ingest": 1}
    assert not progress.failed


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    return folder


class CloudBetweenPolls:
    """The deployed chain: it runs only while the pacer sleeps; the pacer's clock moves by its sleeps.

    Records, at each upload, the deliveries still in flight and the files uploaded since the chain last
    ran: when every landing waits for its chain, only the current landing's own files are in flight.
    """

    def __init__(self, deps: Dependencies, runs_chain: bool = True) -> None:
        self.deps = deps
        self.runs_chain = runs_chain
        self.polls = 0
        self.elapsed = 0.0
        self.uploads: list[tuple[str, int, int]] = []  # (object, in flight, uploaded since the chain ran)
        self._uploaded_since_sleep = 0
        write = deps.blobs.write_bytes

        def recording_write(
            bucket: str, name: str, data: bytes, metadata: Mapping[str, str] | None = None
        ) -> None:
            in_flight = deps.bus.pending()  # type: ignore[attr-defined]
            self.uploads.append((name, in_flight, self._uploaded_since_sleep))
            self._uploaded_since_sleep += 1
            write(bucket, name, data, metadata)

        deps.blobs.write_bytes = recording_write  # type: ignore[method-assign]

    def sleep(self, seconds: float) -> None:
        self.polls += 1
        self.elapsed += seconds
        self._uploaded_since_sleep = 0
        if self.runs_chain:
            self.deps.bus.drain()  # type: ignore[attr-defined]

    def monotonic(self) -> float:
        return self.elapsed


@pytest.fixture
def cloud_deps(tmp_path: Path) -> Iterator[Callable[[], Dependencies]]:
    built: list[Dependencies] = []

    def build() -> Dependencies:
        # No settable clock: every publishTime is the wall clock, as on Google Cloud.
        built.append(build_dependencies(Settings(home=tmp_path / f"cloud-{len(built)}")))
        return built[-1]

    yield build
    for deps in built:
        deps.warehouse.close()  # type: ignore[attr-defined]


def snapshot(deps: Dependencies) -> dict[str, list[str]]:
    """Every table but pipeline_runs and its latest view (timings), without ``run_id`` (each replay is a new
    run)."""
    runs = ("nba_orchestration.pipeline_runs", "nba_orchestration.pipeline_runs_latest")
    tables = [d.qualified_name for d in table_definitions() if d.qualified_name not in runs]
    return {
        table: sorted(
            repr({k: v for k, v in row.items() if k != "run_id"})
            for row in deps.warehouse.query(f"SELECT * FROM {table}")
        )
        for table in tables
    }


def test_each_landing_waits_for_its_chain_and_acts_as_of_the_seasons_clock(
    season: Path, cloud_deps: Callable[[], Dependencies], tmp_path: Path
) -> None:
    first, _ = season_dates(season)
    last = first + timedelta(days=DAYS - 1)
    deps = cloud_deps()
    cloud = CloudBetweenPolls(deps)
    days: list[date] = []

    reports = PacedReplay(deps, season, sleep=cloud.sleep, monotonic=cloud.monotonic).run(
        first, last, on_day=lambda report: days.append(report.game_date)
    )

    assert days == [first + timedelta(days=n) for n in range(DAYS)]
    assert [r.game_date for r in reports] == days
    uploads = [name for name, _, _ in cloud.uploads]
    assert uploads[0] == "schedule/season.csv" and len(uploads) > DAYS * 2
    for name, in_flight, own_files_before in cloud.uploads:
        assert in_flight == own_files_before, f"{name} landed while an earlier landing's chain was in flight"
    assert cloud.polls >= 1 + 2 * DAYS  # every landing waited at least one poll for its chain
    assert deps.warehouse.query("SELECT COUNT(*) AS n FROM nba_predictions.ml_feature_store")[0]["n"] > 0

    # The same dates replayed in process on the simulated clock write the very same tables.
    local = build_dependencies(Settings(home=tmp_path / "local"), clock=SettableClock())
    try:
        replay(local, season, first, last)
        assert snapshot(deps) == snapshot(local)
    finally:
        local.warehouse.close()  # type: ignore[attr-defined]


def test_a_failing_step_stops_the_replay_naming_the_function_and_date(
    season: Path, cloud_deps: Callable[[], Dependencies]
) -> None:
    first, _ = season_dates(season)
    deps = cloud_deps()

    def broken_feature_store(event: Any, context: StepContext) -> StepResult:
        raise RuntimeError("BigQuery said no")

    deps.bus.connect(  # type: ignore[attr-defined]
        lambda function, cloud_event: handle_cloud_event(
            function, cloud_event, deps, handler=broken_feature_store if function == "feature_store" else None
        )
    )
    cloud = CloudBetweenPolls(deps)

    with pytest.raises(ReplayStoppedError) as stopped:
        PacedReplay(deps, season, sleep=cloud.sleep, monotonic=cloud.monotonic).run(first, first)

    message = str(stopped.value)
    assert f"{first} morning" in message
    assert f"feature_store failed on game date {first}" in message
    assert "BigQuery said no" in message
    landed = [name for name, _, _ in cloud.uploads]
    assert not any(name.startswith("boxscores/") for name in landed), "nothing lands after a failure"


def test_a_chain_that_never_finishes_times_out_naming_who_is_still_owed(
    season: Path, cloud_deps: Callable[[], Dependencies]
) -> None:
    first, _ = season_dates(season)
    deps = cloud_deps()
    cloud = CloudBetweenPolls(deps, runs_chain=False)  # e.g. every push refused until dead-lettered

    with pytest.raises(ReplayStoppedError, match=r"did not finish within 60 s .*waiting on ingest 1"):
        PacedReplay(
            deps, season, timeout_seconds=60, poll_seconds=10, sleep=cloud.sleep, monotonic=cloud.monotonic
        ).run(first, first)
    assert cloud.polls == 6
