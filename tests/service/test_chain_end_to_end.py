"""The whole chain on the embedded default: a simulated season replayed through every function.

Replaying the same dates again must leave every table as it was: messages are new (new ids), but they
carry the same simulated publish times and the same data, and every write is keyed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from courtside.replay import MORNING, deliver_pending, land, replay, replay_clock
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock, eastern_datetime
from shared.domain.raw_validation import SPECS, FileKind
from shared.events import ScheduledRun
from shared.schema_files import table_definitions
from shared.services.training_policy import ensure_models, training_window
from shared.settings import Settings
from shared.topology import schedule

TRAINING_DAYS = 14
HOLDOUT_DAYS = 6
SERVED_DAYS = 6


@pytest.fixture(scope="module", params=["all-columns", "required-box-score-columns-only"])
def season(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    if request.param == "required-box-score-columns-only":
        # Feeds without the optional box-score columns (fga, fta, fg3a, rebounds, assists, starter) must
        # flow through the whole chain just the same.
        for path in sorted((folder / "boxscores").glob("*.csv")):
            drop_optional_columns(path)
    return folder


def drop_optional_columns(path: Path) -> None:
    required = SPECS[FileKind.BOXSCORES].required
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=required, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def chain(
    season: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Dependencies, date, date]]:
    deps = build_dependencies(Settings(home=tmp_path_factory.mktemp("home")), clock=SettableClock())
    first, _ = season_dates(season)
    served_from = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    served_to = served_from + timedelta(days=SERVED_DAYS - 1)
    replay(deps, season, first, served_from - timedelta(days=1))
    window = training_window(first, TRAINING_DAYS, HOLDOUT_DAYS)
    ensure_models(deps.warehouse, deps.blobs, deps.settings, window)
    replay(deps, season, served_from, served_to)
    yield deps, served_from, served_to
    deps.warehouse.close()  # type: ignore[attr-defined]


def snapshot(deps: Dependencies) -> dict[str, list[str]]:
    """Every table but pipeline_runs and its view (one row per delivery by design), without ``run_id``: a
    replay is a new run, and derived rows say which run last computed them; every other value must be
    identical."""
    runs = ("nba_orchestration.pipeline_runs", "nba_orchestration.pipeline_runs_latest")
    tables = [d.qualified_name for d in table_definitions() if d.qualified_name not in runs]
    return {
        table: sorted(
            repr({k: v for k, v in row.items() if k != "run_id"})
            for row in deps.warehouse.query(f"SELECT * FROM {table}")
        )
        for table in tables
    }


def count(deps: Dependencies, sql: str, start: date, end: date) -> int:
    return int(deps.warehouse.query(sql, {"start": start, "end": end})[0]["n"])


def test_every_function_ran_and_nothing_failed(chain: tuple[Dependencies, date, date]) -> None:
    deps, _, _ = chain
    runs = deps.warehouse.query(
        "SELECT function_name, status, COUNT(*) AS n "
        "FROM nba_orchestration.pipeline_runs_latest GROUP BY 1, 2"
    )
    statuses = {(r["function_name"], r["status"]) for r in runs}
    assert not [s for s in statuses if s[1] == "failed"], runs
    for function in ("ingest", "feature_store", "prediction", "grading", "sharpness", "diagnostics"):
        assert (function, "success") in statuses, runs
    assert deps.bus.dead_letters == []  # type: ignore[attr-defined]


def test_served_dates_are_predicted_graded_and_diagnosed(chain: tuple[Dependencies, date, date]) -> None:
    deps, start, end = chain
    in_range = "WHERE game_date BETWEEN @start AND @end"
    assert (
        count(
            deps,
            f"SELECT COUNT(*) AS n FROM nba_predictions.player_prop_predictions_current {in_range}",
            start,
            end,
        )
        > 500
    )
    graded = count(
        deps,
        "SELECT COUNT(*) AS n FROM nba_predictions.prediction_accuracy "
        f"{in_range} AND grade_status = 'graded'",
        start,
        end,
    )
    assert graded > 300
    systems = deps.warehouse.query(
        f"SELECT DISTINCT system_id FROM nba_orchestration.performance_diagnostics_daily {in_range}",
        {"start": start, "end": end},
    )
    assert {row["system_id"] for row in systems} == {"catboost_points_v1", "catboost_points_v1_shallow"}
    assert (
        count(deps, f"SELECT COUNT(*) AS n FROM nba_predictions.vegas_sharpness_daily {in_range}", start, end)
        > 0
    )
    confidences = deps.warehouse.query(
        "SELECT MIN(confidence) AS low, MAX(confidence) AS high FROM nba_predictions.player_prop_predictions"
    )[0]
    assert 0.0 <= confidences["low"] <= confidences["high"] <= 1.0


def test_replaying_the_same_dates_again_changes_no_table(
    chain: tuple[Dependencies, date, date], season: Path
) -> None:
    deps, start, end = chain
    before = snapshot(deps)
    replay(deps, season, start, end)
    assert snapshot(deps) == before


def test_shot_volume_features_follow_the_feed(chain: tuple[Dependencies, date, date], season: Path) -> None:
    deps, start, end = chain
    header = (
        next(iter(sorted((season / "boxscores").glob("*.csv")))).read_text(encoding="utf-8").splitlines()[0]
    )
    with_fga = deps.warehouse.query(
        "SELECT COUNTIF(fga IS NOT NULL) AS n FROM nba_raw.boxscores WHERE game_date < @end", {"end": end}
    )[0]["n"]
    defaulted = deps.warehouse.query(
        "SELECT COUNTIF(defaulted_features LIKE '%fga_avg_last10%') AS n, COUNT(*) AS total "
        "FROM nba_predictions.ml_feature_store WHERE game_date BETWEEN @start AND @end",
        {"start": start, "end": end},
    )[0]
    if "fga" in header.split(","):
        assert with_fga > 0
        assert defaulted["n"] < defaulted["total"]
    else:
        assert with_fga == 0
        assert defaulted["n"] == defaulted["total"] > 0


def test_relanding_the_season_schedule_then_the_grading_safety_net_rolls_nothing_back(
    chain: tuple[Dependencies, date, date], season: Path
) -> None:
    """Issue 11, finding 1: ``courtside run`` lands ``schedule/season.csv`` (every game ``scheduled``) at
    every start; a safety-net tick afterwards once turned final games back to scheduled, grades to pending."""
    deps, _, end = chain

    def state() -> dict[str, list[str]]:
        volatile = {"graded_at", "run_id"}  # a re-grade says when and by which run; nothing else may move
        return {
            "schedule": sorted(repr(r) for r in deps.warehouse.query("SELECT * FROM nba_raw.schedule")),
            "grades": sorted(
                repr({k: v for k, v in r.items() if k not in volatile})
                for r in deps.warehouse.query("SELECT * FROM nba_predictions.prediction_accuracy")
            ),
            "alerts": sorted(
                repr(r) for r in deps.warehouse.query("SELECT * FROM nba_orchestration.alert_log")
            ),
        }

    before = state()
    next_day = end + timedelta(days=1)
    land(deps, season, [season / "schedule" / "season.csv"], eastern_datetime(next_day, *MORNING))
    job = schedule("grading-safety-net")
    with replay_clock(deps).set_to(eastern_datetime(next_day, 6, 0)):
        deps.bus.publish(job.topic, ScheduledRun(schedule=job.name, relative_day=job.relative_day))
        deliver_pending(deps)

    after = state()
    assert after["schedule"] == before["schedule"]
    assert after["grades"] == before["grades"]
    assert after["alerts"] == before["alerts"]
