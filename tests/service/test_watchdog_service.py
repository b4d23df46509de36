"""The dead man's switch on the embedded chain: with no champion nothing is predicted or graded, so the
grading-triggered diagnostics never runs; the morning watchdog must still raise an alert within one day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from courtside.replay import replay
from courtside.seasons import season_dates
from courtside.simulator import simulate_season
from shared import run_log
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import SettableClock, as_utc, eastern_datetime
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.services.model_registry import CHAMPION, MODEL_REGISTRY, aliased_models
from shared.services.training_policy import ensure_models, training_window
from shared.services.watchdog import check_silence
from shared.settings import Settings
from tests import postgame_fixtures as fx

TRAINING_DAYS = 14
HOLDOUT_DAYS = 6
SERVED_DAYS = 3
WITHOUT_CHAMPION_DAYS = 2


@pytest.fixture(scope="module")
def season_without_champion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Dependencies, date]]:
    """A season served by a champion for a few days, then with its champion removed: returns the first date
    without one."""
    folder = tmp_path_factory.mktemp("season") / "2025-26"
    simulate_season(folder, seed=7)
    deps = build_dependencies(Settings(home=tmp_path_factory.mktemp("home")), clock=SettableClock())
    first, _ = season_dates(folder)
    served_from = first + timedelta(days=TRAINING_DAYS + HOLDOUT_DAYS)
    removed_on = served_from + timedelta(days=SERVED_DAYS)
    replay(deps, folder, first, served_from - timedelta(days=1))
    ensure_models(
        deps.warehouse, deps.blobs, deps.settings, training_window(first, TRAINING_DAYS, HOLDOUT_DAYS)
    )
    replay(deps, folder, served_from, removed_on - timedelta(days=1))
    champion = [m for m in aliased_models(deps.warehouse) if m["alias"] == CHAMPION]
    deps.warehouse.replace_rows(MODEL_REGISTRY, [{**m, "alias": None} for m in champion], ["model_id"])
    replay(deps, folder, removed_on, removed_on + timedelta(days=WITHOUT_CHAMPION_DAYS - 1))
    yield deps, removed_on
    deps.warehouse.close()  # type: ignore[attr-defined]


def alerts_sent(deps: Dependencies) -> list[dict[str, Any]]:
    return deps.warehouse.query(
        "SELECT dedupe_key, game_date, level, recorded_at FROM nba_orchestration.alert_log "
        "WHERE status = 'sent' AND kind = 'watchdog' ORDER BY recorded_at"
    )


def test_removing_the_champion_raises_an_alert_within_one_day(
    season_without_champion: tuple[Dependencies, date],
) -> None:
    deps, removed_on = season_without_champion
    games_without_champion = deps.warehouse.query(
        "SELECT COUNT(*) AS n FROM nba_predictions.player_prop_predictions_current WHERE game_date >= @d",
        {"d": removed_on},
    )[0]["n"]
    assert games_without_champion == 0  # nothing predicted, so nothing graded: grading-complete never came
    sent = alerts_sent(deps)
    assert sent, "the watchdog stayed silent"
    first = sent[0]
    assert first["game_date"] == removed_on
    assert first["level"] in ("WARNING", "CRITICAL")
    assert "PREDICTIONS_MISSING" in str(first["dedupe_key"])
    # Within one day: the morning after the first game date without predictions.
    assert as_utc(first["recorded_at"]) <= eastern_datetime(removed_on + timedelta(days=1), 9, 30)
    # The second day without a champion escalates (two dates overdue); nothing was sent before the removal.
    assert [s["level"] for s in sent] == ["WARNING", "CRITICAL"]


def test_the_served_days_before_the_removal_were_quiet(
    season_without_champion: tuple[Dependencies, date],
) -> None:
    deps, removed_on = season_without_champion
    assert all(s["game_date"] >= removed_on for s in alerts_sent(deps))


def test_a_function_silent_while_games_were_played_is_reported(deps: Dependencies) -> None:
    first = date(2026, 1, 5)
    for offset in range(4):
        day = first + timedelta(days=offset)
        fx.schedule(deps, f"g{offset}", day)
        fx.prediction(deps, f"g{offset}", day, "p1", 20.0, 18.5, "OVER")
        fx.accuracy(deps, day, "p1", 20.0, 18.5, 22, "OVER")
    now = eastern_datetime(first + timedelta(days=4), 9, 30)
    recent = now - timedelta(hours=2)
    for function in DEFAULT_THRESHOLDS.watchdog.watched_functions:
        last = now - timedelta(hours=50) if function == "sharpness" else recent
        run_log.record(deps.warehouse, run(function, last))
    [finding] = check_silence(deps.warehouse, now, now.date())
    assert finding.cause == "FUNCTION_SILENT"
    assert finding.level == "WARNING"
    assert finding.evidence[0].startswith("sharpness: no successful run for 50 h")
    run_log.record(deps.warehouse, run("sharpness", recent, event_id="later"))
    assert check_silence(deps.warehouse, now, now.date()) == []


def run(function: str, finished_at: datetime, event_id: str = "e1") -> dict[str, object]:
    return {
        "function_name": function,
        "event_id": event_id,
        "status": "success",
        "started_at": finished_at - timedelta(seconds=1),
        "finished_at": finished_at,
    }
