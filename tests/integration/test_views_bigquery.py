"""The dashboard's JSON endpoints on DuckDB and on BigQuery (bqemulator): the same SQL files through the
warehouse port must give the same answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from courtside.dashboard.app import create_app
from shared.bootstrap import Dependencies
from tests.postgame_fixtures import LOADED_AT, SYSTEM, accuracy, prediction, schedule

pytestmark = pytest.mark.integration

GRADED = date(2026, 1, 12)
TODAY = GRADED + timedelta(days=1)


def sharpness_row(tier: str, n: int, score: float) -> dict[str, Any]:
    return {
        "game_date": GRADED,
        "tier": tier,
        "system_id": SYSTEM,
        "n_graded": n,
        "n_bets": n,
        "n_pushes": 0,
        "vegas_mae": 4.0,
        "model_mae": 4.5,
        "model_beats_vegas_pct": score,
        "edge_3_plus_share": 0.5,
        "edge_5_plus_share": 0.25,
        "win_rate_n": n,
        "high_edge_win_rate_n": 0,
        "sharpness_score": score,
        "sharpness_status": "NORMAL",
        "vegas_mae_7d_n": n,
        "computed_at": LOADED_AT,
    }


@pytest.fixture
def deps(either_deps: Dependencies) -> Dependencies:
    built = either_deps
    schedule(built, "g0", GRADED)
    schedule(built, "g1", TODAY, status="scheduled")
    accuracy(built, GRADED, "p1", 30.0, 24.5, 31, "OVER", closing_line=25.5)
    accuracy(built, GRADED, "p2", 10.0, 14.5, 16, "UNDER", closing_line=14.5)
    prediction(
        built,
        "g1",
        TODAY,
        "p1",
        30.0,
        24.5,
        "OVER",
        created_at=datetime(2026, 1, 13, 17, tzinfo=LOADED_AT.tzinfo),
    )
    prediction(
        built,
        "g1",
        TODAY,
        "p2",
        12.0,
        14.5,
        "PASS",
        created_at=datetime(2026, 1, 13, 17, tzinfo=LOADED_AT.tzinfo),
    )
    built.warehouse.replace_rows(
        "nba_predictions.vegas_sharpness_daily",
        [sharpness_row("All", 2, 50.0), sharpness_row("Star", 1, 100.0)],
        ["game_date", "tier", "system_id"],
    )
    return built


def get(deps: Dependencies, path: str) -> Any:
    response = create_app(deps).test_client().get(f"{path}?date={TODAY.isoformat()}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_vegas_sharpness_endpoints(deps: Dependencies) -> None:
    trend = get(deps, "/api/vegas-sharpness/trend")
    assert trend["system"] == SYSTEM
    assert [(p["game_date"], p["sharpness_score"], p["n"]) for p in trend["points"]] == [
        ("2026-01-12", 50.0, 2)
    ]
    tiers = {
        t["tier"]: (t["n"], t["sharpness_score"]) for t in get(deps, "/api/vegas-sharpness/by-tier")["tiers"]
    }
    assert tiers == {
        "Star": (1, 100.0),
        "Starter": (0, None),
        "Rotation": (0, None),
        "Bench": (0, None),
        "All": (2, 50.0),
    }
    summary = get(deps, "/api/vegas-sharpness/summary")
    assert summary["latest"]["game_date"] == "2026-01-12" and summary["season"]["n"] == 2


def test_picks_performance_and_completeness_endpoints(deps: Dependencies) -> None:
    picks = get(deps, "/api/picks")
    assert [(b["player"], b["call"], b["edge"], b["tipoff_et"]) for b in picks["bets"]] == [
        ("Player p1", "OVER", 5.5, "19:30 ET")
    ]
    daily = get(deps, "/api/performance")["daily"]
    assert [
        (d["game_date"], d["rolling_hit_rate"], d["rolling_hit_rate_n"], d["clv_mean"]) for d in daily
    ] == [
        ("2026-01-12", 0.5, 2, 0.5)  # OVER won at 24.5 (closed 25.5: +1), UNDER lost at 14.5 (closed 14.5: 0)
    ]
    calendar = get(deps, "/api/completeness")
    assert [(d["game_date"], d["games"], d["graded"]) for d in calendar] == [
        ("2026-01-12", 1, 2),
        ("2026-01-13", 1, 0),
    ]
