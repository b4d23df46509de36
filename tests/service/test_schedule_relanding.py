"""Issue 11, finding 1: re-landing the season schedule must never roll a game's status back.

``courtside run`` lands ``schedule/season.csv`` (every game ``scheduled``) at the start of every invocation.
A game already ``final`` or ``postponed`` must stay so, and the grading safety net ticked afterwards must
find every graded row still graded and raise no alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock
from shared.events import ScheduledRun
from shared.services.ingest import ingest_object
from shared.settings import Settings
from shared.topology import schedule
from tests import postgame_fixtures as fx

D = date(2026, 1, 9)
SEASON_CSV = f"""game_id,game_date,tipoff_utc,home_team,away_team,status
G1,{D},2026-01-10T00:30:00Z,BOS,NYK,scheduled
G2,{D},2026-01-10T00:30:00Z,LAL,GSW,scheduled
G3,{D + timedelta(days=1)},2026-01-11T00:30:00Z,MIA,ORL,scheduled
"""
RESULTS_CSV = f"""game_id,game_date,tipoff_utc,home_team,away_team,status
G1,{D},2026-01-10T00:30:00Z,BOS,NYK,final
G2,{D},2026-01-10T00:30:00Z,LAL,GSW,postponed
"""


def land_and_ingest(deps: Dependencies, name: str, content: str, at: datetime) -> None:
    deps.blobs.write_bytes(deps.settings.raw_bucket, name, content.encode())
    ingest_object(deps.warehouse, deps.blobs, deps.settings.raw_bucket, name, at, "run-test")


@pytest.fixture
def deps(settings: Settings) -> Iterator[Dependencies]:
    """The embedded deployment on a settable clock, so a tick happens at a chosen instant."""
    dependencies = build_dependencies(settings, clock=SettableClock())
    yield dependencies
    dependencies.warehouse.close()  # type: ignore[attr-defined]


def tick_grading_safety_net(deps: Dependencies, at: datetime) -> None:
    """What ``courtside tick grading-safety-net`` does, at instant ``at``, then every downstream step."""
    job = schedule("grading-safety-net")
    assert isinstance(deps.clock, SettableClock)
    with deps.clock.set_to(at):
        deps.bus.publish(job.topic, ScheduledRun(schedule=job.name, relative_day=job.relative_day))
        deps.bus.drain()  # type: ignore[attr-defined]


def table(deps: Dependencies, sql: str) -> list[dict[str, Any]]:
    return sorted(deps.warehouse.query(sql), key=repr)


def state(deps: Dependencies) -> dict[str, list[dict[str, Any]]]:
    grades = (
        "SELECT player_id, grade_status, pending_reason, void_reason, actual_points"
        " FROM nba_predictions.prediction_accuracy"
    )
    return {
        "schedule": table(deps, "SELECT game_id, game_date, tipoff_utc, status FROM nba_raw.schedule"),
        "grades": table(deps, grades),
        "alerts": table(deps, "SELECT * FROM nba_orchestration.alert_log"),
    }


def graded_season(deps: Dependencies) -> None:
    morning = datetime(2026, 1, 8, 17, 30, tzinfo=UTC)
    land_and_ingest(deps, "schedule/season.csv", SEASON_CSV, morning)
    land_and_ingest(deps, f"schedule/{D}.csv", RESULTS_CSV, morning + timedelta(days=2))
    fx.box_score(deps, "G1", D, "a", 25)
    fx.box_score(deps, "G1", D, "b", 12)
    fx.prediction(deps, "G1", D, "a", 23.0, 20.5, "OVER")
    fx.prediction(deps, "G1", D, "b", 15.0, 12.5, "PASS")
    fx.prediction(deps, "G2", D, "c", 18.0, 14.5, "OVER")
    tick_grading_safety_net(deps, datetime(2026, 1, 10, 11, 0, tzinfo=UTC))


def test_relanding_the_season_schedule_changes_no_status_grade_or_alert(deps: Dependencies) -> None:
    graded_season(deps)
    before = state(deps)
    assert {r["game_id"]: r["status"] for r in before["schedule"]} == {
        "G1": "final",
        "G2": "postponed",
        "G3": "scheduled",
    }
    assert sorted(r["grade_status"] for r in before["grades"]) == ["graded", "graded", "voided"]

    land_and_ingest(deps, "schedule/season.csv", SEASON_CSV, datetime(2026, 1, 11, 17, 30, tzinfo=UTC))
    tick_grading_safety_net(deps, datetime(2026, 1, 10, 11, 5, tzinfo=UTC))

    assert state(deps) == before


def test_an_older_file_may_still_move_a_scheduled_games_tipoff(deps: Dependencies) -> None:
    graded_season(deps)
    moved = SEASON_CSV.replace(
        f"G3,{D + timedelta(days=1)},2026-01-11T00:30:00Z", f"G3,{D + timedelta(days=1)},2026-01-11T01:00:00Z"
    )
    land_and_ingest(deps, "schedule/season.csv", moved, datetime(2026, 1, 11, 17, 30, tzinfo=UTC))

    stored = {r["game_id"]: r for r in state(deps)["schedule"]}
    assert stored["G3"]["status"] == "scheduled"
    assert fx_utc(stored["G3"]["tipoff_utc"]) == datetime(2026, 1, 11, 1, 0, tzinfo=UTC)
    assert (stored["G1"]["status"], stored["G2"]["status"]) == ("final", "postponed")


def test_a_final_game_is_not_turned_postponed_and_the_conflict_is_recorded(deps: Dependencies) -> None:
    graded_season(deps)
    contradiction = RESULTS_CSV.replace("BOS,NYK,final", "BOS,NYK,postponed")
    land_and_ingest(deps, f"schedule/{D}-fix.csv", contradiction, datetime(2026, 1, 11, 17, 30, tzinfo=UTC))

    assert {r["game_id"]: r["status"] for r in state(deps)["schedule"]}["G1"] == "final"
    rejects = deps.warehouse.query("SELECT row_number, column_name, reason FROM nba_raw.rejects")
    assert [(r["row_number"], r["column_name"], r["reason"]) for r in rejects] == [
        (1, "status", "status_conflict")
    ]


def fx_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_a_scheduled_game_moved_to_another_date_leaves_its_old_date(deps: Dependencies) -> None:
    """Schedule rows are written by game id and date: the moved game must not stay at its old date too."""
    graded_season(deps)
    later = D + timedelta(days=3)
    moved = SEASON_CSV.replace(
        f"G3,{D + timedelta(days=1)},2026-01-11T00:30:00Z", f"G3,{later},2026-01-13T00:30:00Z"
    )
    land_and_ingest(deps, "schedule/season.csv", moved, datetime(2026, 1, 11, 17, 30, tzinfo=UTC))

    rows = [r for r in state(deps)["schedule"] if r["game_id"] == "G3"]
    assert [(r["game_date"], r["status"]) for r in rows] == [(later, "scheduled")]


def test_a_relanded_object_replaces_its_rejects_of_an_earlier_season(deps: Dependencies) -> None:
    """A late correction a season later still finds (and replaces) the object's first rejects."""
    graded_season(deps)
    name = f"schedule/{D}-fix.csv"
    contradiction = RESULTS_CSV.replace("BOS,NYK,final", "BOS,NYK,postponed")
    land_and_ingest(deps, name, contradiction, datetime(2026, 1, 11, 17, 30, tzinfo=UTC))
    land_and_ingest(deps, name, RESULTS_CSV, datetime(2026, 12, 1, 12, 0, tzinfo=UTC))

    assert deps.warehouse.query("SELECT row_number FROM nba_raw.rejects") == []
