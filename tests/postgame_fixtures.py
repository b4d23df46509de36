"""Rows for the post-game tests, written through ``deps.warehouse.replace_rows`` like the real loaders do."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.bootstrap import Dependencies
from shared.clock import eastern_datetime
from shared.schema_files import table_definitions

SYSTEM = "catboost_points_v1"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def tipoff(game_date: date) -> datetime:
    """19:30 US Eastern on the game date."""
    return eastern_datetime(game_date, 19, 30)


def schedule(deps: Dependencies, game_id: str, game_date: date, status: str = "final") -> None:
    deps.warehouse.replace_rows(
        "nba_raw.schedule",
        [
            {
                "game_id": game_id,
                "game_date": game_date,
                "tipoff_utc": tipoff(game_date),
                "home_team": "BOS",
                "away_team": "NYK",
                "status": status,
                "source_object": "schedule.csv",
                "source_row": 1,
                "loaded_at": LOADED_AT,
            }
        ],
        ["game_id"],
    )


def box_score(
    deps: Dependencies,
    game_id: str,
    game_date: date,
    player_id: str,
    points: int,
    minutes: float = 30.0,
    status: str = "played",
) -> None:
    deps.warehouse.replace_rows(
        "nba_raw.boxscores",
        [
            {
                "game_id": game_id,
                "game_date": game_date,
                "player_id": player_id,
                "player_name": f"Player {player_id}",
                "team": "BOS",
                "opponent": "NYK",
                "is_home": True,
                "minutes": minutes,
                "points": points,
                "status": status,
                "source_object": "box.csv",
                "source_row": 1,
                "loaded_at": LOADED_AT,
            }
        ],
        ["game_id", "player_id"],
    )


def injury(deps: Dependencies, game_date: date, player_id: str, status: str, reported_at: datetime) -> None:
    deps.warehouse.replace_rows(
        "nba_raw.injuries",
        [
            {
                "game_date": game_date,
                "player_id": player_id,
                "status": status,
                "reported_at": reported_at,
                "source_object": "injuries.csv",
                "source_row": 1,
                "loaded_at": LOADED_AT,
            }
        ],
        ["game_date", "player_id", "reported_at"],
    )


def line_snapshot(
    deps: Dependencies,
    game_id: str,
    game_date: date,
    player_id: str,
    bookmaker: str,
    line: float,
    snapshot_at: datetime,
    is_in_game: bool = False,
) -> None:
    deps.warehouse.replace_rows(
        "nba_raw.prop_line_snapshots",
        [
            {
                "game_id": game_id,
                "game_date": game_date,
                "player_id": player_id,
                "player_name": f"Player {player_id}",
                "bookmaker": bookmaker,
                "line": line,
                "over_price": -110,
                "under_price": -110,
                "snapshot_at": snapshot_at,
                "is_in_game": is_in_game,
                "source_object": "lines.csv",
                "source_row": 1,
                "loaded_at": LOADED_AT,
            }
        ],
        ["game_id", "player_id", "bookmaker", "snapshot_at"],
    )


def prediction(
    deps: Dependencies,
    game_id: str,
    game_date: date,
    player_id: str,
    predicted: float,
    line: float | None,
    recommendation: str,
    system_id: str = SYSTEM,
    created_at: datetime | None = None,
    p_over: float | None = 0.6,
    over_price: int = -110,
    under_price: int = -110,
) -> str:
    created = created_at or tipoff(game_date) - timedelta(hours=3)
    prediction_id = hashlib.sha256(f"{game_date}{player_id}{system_id}{created}".encode()).hexdigest()[:16]
    has_line = line is not None
    deps.warehouse.insert_missing_rows(
        "nba_predictions.player_prop_predictions",
        [
            {
                "prediction_id": prediction_id,
                "run_id": "run-test",
                "game_date": game_date,
                "game_id": game_id,
                "player_id": player_id,
                "player_name": f"Player {player_id}",
                "team": "BOS",
                "opponent": "NYK",
                "system_id": system_id,
                "model_id": f"{system_id}-model",
                "is_champion": True,
                "feature_version": "v1",
                "features_hash": "hash",
                "predicted_points": predicted,
                "line_source": "ACTUAL_PROP" if has_line else "NO_PROP_LINE",
                "line_value": line,
                "line_bookmaker": "DraftKings" if has_line else None,
                "line_snapshot_at": created - timedelta(minutes=5) if has_line else None,
                "over_price": over_price if has_line else None,
                "under_price": under_price if has_line else None,
                "edge": predicted - line if line is not None else None,
                "p_over": p_over if has_line else None,
                "confidence": 0.6 if has_line else None,
                "recommendation": recommendation if has_line else "NO_LINE",
                "min_edge": 3.0,
                "created_at": created,
            }
        ],
        ["prediction_id"],
    )
    return prediction_id


def accuracy(deps: Dependencies, game_date: date, *args: Any, **kwargs: Any) -> None:
    """A prediction_accuracy row as grading writes it (for sharpness / diagnostics tests)."""
    deps.warehouse.replace_rows(
        "nba_predictions.prediction_accuracy",
        [accuracy_row(game_date, *args, **kwargs)],
        ["game_date", "player_id", "system_id"],
    )


def accuracy_row(
    game_date: date,
    player_id: str,
    predicted: float,
    line: float,
    actual: int,
    recommendation: str,
    system_id: str = SYSTEM,
    grade_status: str = "graded",
    p_over: float | None = 0.6,
    closing_line: float | None = None,
    over_price: int = -110,
    under_price: int = -110,
    model_id: str = "m",
    is_champion: bool = True,
) -> dict[str, Any]:
    """The prediction_accuracy row grading would write (see ``accuracy``)."""
    graded = grade_status == "graded"
    if not graded or recommendation not in ("OVER", "UNDER") or actual == line:
        is_correct = None
    else:
        is_correct = actual > line if recommendation == "OVER" else actual < line
    return {
        "game_date": game_date,
        "player_id": player_id,
        "system_id": system_id,
        "game_id": f"G-{game_date}",
        "player_name": f"Player {player_id}",
        "prediction_id": f"p-{game_date}-{player_id}-{system_id}",
        "model_id": model_id,
        "is_champion": is_champion,
        "grade_status": grade_status,
        "predicted_points": predicted,
        "actual_points": actual if graded else None,
        "absolute_error": abs(predicted - actual) if graded else None,
        "signed_error": predicted - actual if graded else None,
        "line_value": line,
        "closing_line": closing_line,
        "over_price": over_price,
        "under_price": under_price,
        "p_over": p_over,
        "edge": predicted - line,
        "recommendation": recommendation,
        "is_correct": is_correct,
        "is_push": graded and recommendation in ("OVER", "UNDER") and actual == line,
        "is_voided": grade_status == "voided",
        "graded_at": LOADED_AT,
    }


def table_contents(
    deps: Dependencies, exclude: Sequence[str] = ("nba_orchestration.pipeline_runs",)
) -> dict[str, Any]:
    """Every table's rows (sorted), for "a redelivery changes nothing" comparisons. pipeline_runs is excluded:
    it records each delivery by design (delivery_attempt, timings)."""
    contents: dict[str, Any] = {}
    for definition in table_definitions():
        if definition.is_view or definition.qualified_name in exclude:
            continue
        rows = deps.warehouse.query(f"SELECT * FROM {definition.qualified_name}")
        contents[definition.qualified_name] = sorted(repr(sorted(r.items())) for r in rows)
    return contents
