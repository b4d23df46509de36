"""The run summary per system: decided bets exclude pushes, PASS and voids; errors use graded rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from shared.bootstrap import Dependencies
from shared.domain.metrics import hit_rate
from shared.domain.systems import production_systems_param
from shared.sql import load_sql

DAY = date(2026, 1, 14)


def accuracy(
    player: str, recommendation: str, actual: int | None, line: float, **extra: Any
) -> dict[str, Any]:
    graded = extra.pop("grade_status", "graded")
    correct = None
    if graded == "graded" and actual is not None and actual != line:
        correct = (
            (actual > line)
            if recommendation == "OVER"
            else (actual < line)
            if recommendation == "UNDER"
            else None
        )
    return {
        "game_date": DAY,
        "player_id": player,
        "system_id": extra.pop("system_id", "champ"),
        "game_id": "G1",
        "player_name": player,
        "prediction_id": f"p-{player}",
        "model_id": "m1",
        "is_champion": extra.pop("is_champion", True),
        "grade_status": graded,
        "predicted_points": 20.0,
        "actual_points": actual,
        "line_value": line,
        "recommendation": recommendation,
        "is_correct": correct,
        "is_push": graded == "graded" and actual == line,
        "is_voided": graded == "voided",
        "graded_at": datetime(2026, 1, 15, 8, tzinfo=UTC),
        **extra,
    }


def test_system_performance_counts_only_decided_bets(deps: Dependencies) -> None:
    rows = [
        accuracy("a", "OVER", 25, 19.5),  # win, |model-actual| 5, |line-actual| 5.5
        accuracy("b", "OVER", 15, 19.5),  # loss, 5 / 4.5
        accuracy("c", "UNDER", 20, 20.0),  # push: not decided, 0 / 0
        accuracy("d", "PASS", 30, 19.5),  # no bet, 10 / 10.5
        accuracy("e", "OVER", None, 19.5, grade_status="voided", void_reason="dnp_injury_confirmed"),
        accuracy("a", "UNDER", 25, 19.5, system_id="shadow", is_champion=False),  # loss
        accuracy("a", "OVER", 25, 19.5, system_id="champ_wf_s1", is_champion=False),  # a backtest: not listed
    ]
    deps.warehouse.replace_rows(
        "nba_predictions.prediction_accuracy", rows, ["game_date", "player_id", "system_id"]
    )
    result = deps.warehouse.query(
        load_sql("reports/system_performance"), {"start": DAY, "end": DAY, **production_systems_param()}
    )
    champion, shadow = result
    assert (champion["system_id"], champion["decided"], champion["wins"]) == ("champ", 2, 1)
    assert (champion["pushes"], champion["voided"], champion["graded"]) == (1, 1, 4)
    assert champion["model_mae"] == (5 + 5 + 0 + 10) / 4
    assert champion["line_mae"] == (5.5 + 4.5 + 0 + 10.5) / 4
    assert (shadow["system_id"], shadow["is_champion"], shadow["decided"], shadow["wins"]) == (
        "shadow",
        False,
        1,
        0,
    )
    rate = hit_rate(int(champion["wins"]), int(champion["decided"]))
    assert rate.rate == 0.5
    assert rate.n == 2
    assert rate.lower is not None
    assert rate.lower < 0.5238 < rate.upper  # type: ignore[operator]
