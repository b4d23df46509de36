"""Dead letters on the embedded default: kept on disk by the in-process bus, listed and re-driven later,
from another process, by the same service ``courtside dead-letters list|replay`` runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from shared.adapters.inprocess_bus import InProcessBus
from shared.bootstrap import build_dependencies, dead_letter_archive
from shared.clock import SettableClock
from shared.events import GradingComplete, ScheduledRun
from shared.handlers import load_handler
from shared.ports import ArchivedMessage
from shared.services.dead_letters import list_dead_letters, replay_dead_letters, replayable_event
from shared.settings import Settings
from shared.step import StepContext, StepResult
from shared.topology import MAX_DELIVERY_ATTEMPTS

GAME_DATE = date(2026, 1, 14)
PUBLISHED_AT = datetime(2026, 1, 15, 11, 0, tzinfo=UTC)  # 06:00 US Eastern on the 15th
SUBSCRIPTION = "sharpness-on-grading-complete"


def grading_complete() -> GradingComplete:
    return GradingComplete(
        game_date=GAME_DATE,
        run_id="run-1",
        produced_by="grading",
        produced_at=PUBLISHED_AT,
        gradable=3,
        graded=2,
        voided=1,
        pending=0,
    )


class FailingSharpness:
    """Sharpness fails while ``failing`` is set; every other function runs its real handler."""

    def __init__(self) -> None:
        self.failing = True
        self.calls = 0

    def __call__(self, function: str) -> Any:
        if function != "sharpness":
            return load_handler(function)

        def handler(event: Any, context: StepContext) -> StepResult:
            self.calls += 1
            if self.failing:
                raise ConnectionError("warehouse unreachable")
            return StepResult(event.game_date, 0, 0, "sharpness ran")

        return handler


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> FailingSharpness:
    fault = FailingSharpness()
    monkeypatch.setattr("shared.runtime.load_handler", fault)
    return fault


def dead_letter_one(settings: Settings) -> None:
    deps = build_dependencies(settings, clock=SettableClock())
    assert isinstance(deps.bus, InProcessBus) and isinstance(deps.clock, SettableClock)
    with deps.clock.set_to(PUBLISHED_AT):
        deps.bus.publish("grading-complete", grading_complete())
        deps.bus.drain()
    assert len(deps.bus.dead_letters) == 1
    deps.warehouse.close()  # type: ignore[attr-defined]


def sharpness_runs(settings: Settings) -> list[tuple[str, str]]:
    deps = build_dependencies(settings)
    rows = deps.warehouse.query(
        "SELECT event_id, status FROM nba_orchestration.pipeline_runs WHERE function_name = 'sharpness' "
        "ORDER BY started_at"
    )
    deps.warehouse.close()  # type: ignore[attr-defined]
    return [(str(row["event_id"]), str(row["status"])) for row in rows]


def test_a_dead_letter_survives_the_process_and_a_replay_redrives_it_once_the_fault_is_cleared(
    settings: Settings, failing: FailingSharpness
) -> None:
    dead_letter_one(settings)
    assert failing.calls == MAX_DELIVERY_ATTEMPTS
    assert len(list((settings.dead_letter_root / SUBSCRIPTION).glob("*.json"))) == 1

    later = build_dependencies(settings)  # another process on the same home
    archive = dead_letter_archive(later)
    [listed] = list_dead_letters(archive, SUBSCRIPTION, limit=10)
    assert listed.attributes["game_date"] == GAME_DATE.isoformat()
    assert "warehouse unreachable" in (listed.error or "")
    assert listed.published_at == PUBLISHED_AT
    assert GradingComplete.model_validate_json(listed.data) == grading_complete()
    assert len(list_dead_letters(archive, SUBSCRIPTION, limit=10)) == 1  # listing keeps it

    failing.failing = False
    [outcome] = replay_dead_letters(archive, later.bus, SUBSCRIPTION, limit=10)
    assert outcome.topic == "grading-complete" and outcome.new_message_id
    assert list_dead_letters(archive, SUBSCRIPTION, limit=10) == []
    assert isinstance(later.bus, InProcessBus)
    later.bus.drain()
    assert later.bus.dead_letters == []
    later.warehouse.close()  # type: ignore[attr-defined]
    # One row per attempt: the failed message's five stay on record, the replay (a new message) succeeded.
    runs = sharpness_runs(settings)
    assert [status for _, status in runs] == ["failed"] * MAX_DELIVERY_ATTEMPTS + ["success"]
    assert len({event_id for event_id, _ in runs}) == 2


def test_a_replay_that_fails_again_is_dead_lettered_again_and_nothing_is_lost(
    settings: Settings, failing: FailingSharpness
) -> None:
    dead_letter_one(settings)
    later = build_dependencies(settings)
    assert isinstance(later.bus, InProcessBus)
    archive = dead_letter_archive(later)
    replay_dead_letters(archive, later.bus, SUBSCRIPTION, limit=10)
    later.bus.drain()
    [again] = list_dead_letters(archive, SUBSCRIPTION, limit=10)
    assert GradingComplete.model_validate_json(again.data) == grading_complete()
    later.warehouse.close()  # type: ignore[attr-defined]


def test_a_replayed_scheduler_run_keeps_the_date_it_was_published_for() -> None:
    message = ArchivedMessage(
        subscription="grading-on-schedule",
        message_id="m-1",
        data=ScheduledRun(schedule="grading-safety-net", relative_day="yesterday").model_dump_json().encode(),
        attributes={},
        published_at=PUBLISHED_AT,
    )
    event = replayable_event("grading-requested", message)
    assert isinstance(event, ScheduledRun) and event.game_date == GAME_DATE


def test_the_cli_lists_and_replays_dead_letters(
    settings: Settings, failing: FailingSharpness, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead_letter_one(settings)
    monkeypatch.setenv("COURTSIDE_HOME", str(settings.home))
    _register_all()
    runner = CliRunner()
    listed = runner.invoke(app, ["dead-letters", "list", "--subscription", SUBSCRIPTION])
    assert listed.exit_code == 0, listed.output
    assert "2026-01-14" in listed.output
    assert runner.invoke(app, ["dead-letters", "list", "--subscription", "nope"]).exit_code != 0

    failing.failing = False
    replayed = runner.invoke(app, ["dead-letters", "replay"])
    assert replayed.exit_code == 0, replayed.output
    assert "replayed 1, kept 0; dead-lettered again: 0" in replayed.output
    assert "No dead letters." in runner.invoke(app, ["dead-letters", "list"]).output


def test_the_cli_reconciles_a_pinned_date(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURTSIDE_HOME", str(settings.home))
    _register_all()
    result = CliRunner().invoke(app, ["reconcile", "--date", "2026-01-14"])
    assert result.exit_code == 0, result.output
    assert "reconciler success: 0 date(s) with games checked 2026-01-14 .. 2026-01-14" in result.output


def test_dead_letters_are_kept_under_the_home(tmp_path: Path) -> None:
    assert Settings(home=tmp_path).dead_letter_root == tmp_path / "dead-letters"
