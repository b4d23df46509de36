"""Operator views on small hand-made tables: dates without games, empty warehouse, player search, picks."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from courtside.dashboard import pages
from courtside.dashboard.app import create_app
from shared.bootstrap import Dependencies
from shared.services.views.common import NothingToShowError
from shared.services.views.picks import champion_picks
from shared.services.views.player import AmbiguousPlayerError, fold, player_history
from shared.services.views.today import todays_predictions
from shared.sql import load_sql
from tests.postgame_fixtures import SYSTEM, prediction, schedule

DAY = date(2026, 1, 14)
SHADOW = "catboost_points_v1_shallow"


def rename(deps: Dependencies, player_id: str, name: str) -> None:
    deps.warehouse.execute(
        "UPDATE nba_predictions.player_prop_predictions SET player_name = @name "
        "WHERE player_id = @player_id AND game_date BETWEEN @start AND @end",
        {"name": name, "player_id": player_id, "start": DAY - timedelta(days=30), "end": DAY},
    )


def shadow(deps: Dependencies) -> None:
    deps.warehouse.execute(
        "UPDATE nba_predictions.player_prop_predictions SET is_champion = FALSE "
        "WHERE system_id = @system AND game_date = @day",
        {"system": SHADOW, "day": DAY},
    )


@pytest.fixture
def slate(deps: Dependencies) -> Dependencies:
    schedule(deps, "g1", DAY, status="scheduled")
    prediction(deps, "g1", DAY, "p1", 30.0, 24.5, "OVER")
    prediction(deps, "g1", DAY, "p1", 26.0, 24.5, "PASS", system_id=SHADOW)
    prediction(deps, "g1", DAY, "p2", 10.0, 14.5, "UNDER")
    prediction(deps, "g1", DAY, "p2", 9.0, 14.5, "UNDER", system_id=SHADOW)
    prediction(deps, "g1", DAY, "p3", 18.0, 16.5, "PASS")
    shadow(deps)
    rename(deps, "p1", "Nikola Jokić")
    rename(deps, "p2", "Nikola Dončević")
    return deps


def test_fold_drops_case_and_accents() -> None:
    assert fold("Nikola JOKIĆ") == "nikola jokic"
    assert fold("Çağrı Dāvis") == "cagri davis"


def test_a_date_without_games_says_which_dates_have_them(slate: Dependencies) -> None:
    with pytest.raises(NothingToShowError, match=r"no games on 2026-01-15 \(ET\).*2026-01-14 to 2026-01-14"):
        todays_predictions(slate.warehouse, DAY + timedelta(days=1))


def test_an_empty_warehouse_says_so(deps: Dependencies) -> None:
    with pytest.raises(NothingToShowError, match="empty"):
        todays_predictions(deps.warehouse, DAY)
    with pytest.raises(NothingToShowError, match="no players"):
        player_history(deps.warehouse, "jokic", DAY)


def test_today_shows_each_system_with_shadow_agreement_and_eastern_tipoff(slate: Dependencies) -> None:
    rows = todays_predictions(slate.warehouse, DAY)
    by_key = {(r["player"], r["system"]): r for r in rows}
    assert len(rows) == 5
    jokic = by_key[("Nikola Jokić", SYSTEM)]
    assert (jokic["call"], jokic["edge"], jokic["line"], jokic["book"]) == ("OVER", 5.5, 24.5, "DraftKings")
    assert jokic["tipoff_et"] == "19:30 ET"
    assert jokic["shadows_agree"] is False  # the shadow passed
    assert by_key[("Nikola Dončević", SYSTEM)]["shadows_agree"] is True
    assert by_key[("Player p3", SYSTEM)]["shadows_agree"] is None  # no shadow predicted p3
    assert [r["player"] for r in todays_predictions(slate.warehouse, DAY, system=SYSTEM, min_edge=5)] == [
        "Nikola Jokić"
    ]


def test_unknown_system_lists_the_known_ones(slate: Dependencies) -> None:
    with pytest.raises(NothingToShowError, match="catboost_points_v1, catboost_points_v1_shallow"):
        todays_predictions(slate.warehouse, DAY, system="nope")


def test_picks_are_champion_bets_at_the_configured_edge_without_a_diagnosis(slate: Dependencies) -> None:
    picks = champion_picks(slate.warehouse, DAY, configured_min_edge=3.0)
    assert picks.system_id == SYSTEM
    assert picks.policy.min_edge == 3.0 and "no diagnosis" in picks.policy.reason
    assert [(b["player"], b["call"], b["edge"]) for b in picks.bets] == [
        ("Nikola Jokić", "OVER", 5.5),
        ("Nikola Dončević", "UNDER", -4.5),
    ]
    assert [b["player"] for b in champion_picks(slate.warehouse, DAY, 3.0, top=1).bets] == ["Nikola Jokić"]


def diagnose(deps: Dependencies, day: date, sharpness: str, alert_level: str) -> None:
    deps.warehouse.execute(
        "INSERT INTO nba_orchestration.performance_diagnostics_daily "
        "(game_date, system_id, hit_rate_7d_n, hit_rate_14d_n, hit_rate_30d_n, break_even, roi_30d_n,"
        " recent_n, baseline_n, calibration_n, clv_n, sharpness_status, scheduled_games, box_score_games,"
        " predictions, graded, season_start, problem_date_count, drift_score, root_cause,"
        " root_cause_confidence, alert_level, gated_by_sample_size, computed_at)"
        " VALUES (@day, @system, 0, 0, 0, 0.5238, 0, 0, 0, 0, 0, @sharpness, 1, 1, 1, 1, DATE '2025-08-01',"
        " 0, 0.1, 'VEGAS_SHARP', 0.7, @alert_level, FALSE, TIMESTAMP '2026-01-14')",
        {"day": day, "system": SYSTEM, "sharpness": sharpness, "alert_level": alert_level},
    )


def test_picks_raise_the_edge_when_the_last_diagnosis_found_vegas_very_sharp(slate: Dependencies) -> None:
    diagnose(slate, DAY - timedelta(days=1), "VERY_SHARP", "WARNING")
    picks = champion_picks(slate.warehouse, DAY, configured_min_edge=3.0)
    assert picks.policy.min_edge == 5.0
    assert "VERY_SHARP as of 2026-01-13" in picks.policy.reason
    assert [b["player"] for b in picks.bets] == ["Nikola Jokić"]


class CountingWarehouse:
    """The warehouse, counting the queries run per SQL text."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.queries: Counter[str] = Counter()

    def query(self, sql: str, params: Any = None) -> Any:
        self.queries[sql] += 1
        return self.inner.query(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_overview_looks_the_diagnoses_up_once_for_picks_and_health(slate: Dependencies) -> None:
    diagnose(slate, DAY - timedelta(days=1), "VERY_SHARP", "WARNING")
    diagnose(slate, DAY, "SHARP", "OK")  # diagnosed after the date's games: not known that morning
    counting = CountingWarehouse(slate.warehouse)
    context = pages.overview(replace(slate, warehouse=counting), DAY)
    assert counting.queries[load_sql("views/latest_diagnostics")] == 1
    # The edge rule still reads the diagnosis known that morning, the health light the latest one.
    assert context["picks"].policy.min_edge == 5.0
    assert "VERY_SHARP as of 2026-01-13" in context["picks"].policy.reason
    assert [(s["system"], s["as_of"], s["alert_level"]) for s in context["systems"]] == [(SYSTEM, DAY, "OK")]


def test_player_search_ignores_case_and_accents(slate: Dependencies) -> None:
    history = player_history(slate.warehouse, "jokic", DAY)
    assert history.player_name == "Nikola Jokić"
    assert {(p["system"], p["call"]) for p in history.predictions} == {(SYSTEM, "OVER"), (SHADOW, "PASS")}
    assert history.champion_rate["hit_rate_n"] == 0  # nothing graded yet: n shown, no rate
    assert history.champion_rate["hit_rate"] is None
    assert player_history(slate.warehouse, "p2", DAY).player_name == "Nikola Dončević"


def test_an_ambiguous_name_lists_every_match(slate: Dependencies) -> None:
    with pytest.raises(AmbiguousPlayerError) as caught:
        player_history(slate.warehouse, "NIKOLA", DAY)
    assert {m["player_id"] for m in caught.value.matches} == {"p1", "p2"}
    assert "Nikola Jokić" in str(caught.value) and "Nikola Dončević" in str(caught.value)


def test_an_unknown_player_is_one_clear_message(slate: Dependencies) -> None:
    with pytest.raises(NothingToShowError, match="no player matches 'zzz'"):
        player_history(slate.warehouse, "zzz", DAY)


def test_the_overview_shows_run_counts_as_integers_and_run_times_in_eastern(slate: Dependencies) -> None:
    slate.warehouse.execute(
        "INSERT INTO nba_orchestration.pipeline_runs "
        "(function_name, event_id, game_date, status, started_at) VALUES "
        "('grading', 'e1', @day, 'success', TIMESTAMP '2026-01-15 08:00:00+00'), "
        "('grading', 'e2', @day, 'failed', TIMESTAMP '2026-01-15 08:05:00+00')",
        {"day": DAY},
    )
    html = create_app(slate).test_client().get(f"/?date={DAY}").get_data(as_text=True)
    runs = html.split("Latest run of each function")[1]
    assert "<th>last_started_at (ET)</th><th>last_success_at (ET)</th>" in runs
    cells = [cell.split("</td>")[0] for cell in runs.split("<td>")[1:]]
    assert cells == [
        "grading",
        "failed",
        "2026-01-14",
        "2026-01-15 03:05 ET",
        "2026-01-15 03:00 ET",
        "1",
        "2",
    ]
    assert "+00:00" not in html
