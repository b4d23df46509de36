"""Unit tests of prediction identity (shared.domain.prediction_identity)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from shared.domain.features import apply_defaults, features_hash
from shared.domain.prediction_identity import prediction_id, prediction_slot_id

GAME_DATE = date(2025, 1, 14)
HASH_A = hashlib.sha256(b"row a").hexdigest()
HASH_B = hashlib.sha256(b"row b").hexdigest()


def test_prediction_id_is_first_32_hex_of_sha256_of_json_parts() -> None:
    parts = ["prediction-id-v1", "prediction", "2025-01-14", "203999", "catboost_v1", "m-2025-01-01", HASH_A]
    expected = hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode()).hexdigest()[:32]
    assert prediction_id(GAME_DATE, "203999", "catboost_v1", "m-2025-01-01", HASH_A) == expected


def test_redelivered_event_gives_the_same_id() -> None:
    first = prediction_id(GAME_DATE, "203999", "catboost_v1", "m1", HASH_A)
    again = prediction_id(date(2025, 1, 14), "203999", "catboost_v1", "m1", HASH_A)
    assert first == again
    assert len(first) == 32
    assert int(first, 16) >= 0


def test_changed_line_gives_a_new_version_in_the_same_slot() -> None:
    row, _ = apply_defaults({"pts_avg_last5": 20.0, "line_value": 21.5, "has_line": 1})
    moved, _ = apply_defaults(
        {"pts_avg_last5": 20.0, "line_value": 22.5, "line_movement": 1.0, "has_line": 1}
    )
    before = prediction_id(GAME_DATE, "203999", "catboost_v1", "m1", features_hash(row))
    after = prediction_id(GAME_DATE, "203999", "catboost_v1", "m1", features_hash(moved))
    assert before != after
    assert prediction_slot_id(GAME_DATE, "203999", "catboost_v1") == prediction_slot_id(
        date(2025, 1, 14), "203999", "catboost_v1"
    )


@pytest.mark.parametrize(
    "changed",
    [
        {"game_date": date(2025, 1, 15)},
        {"player_id": "204000"},
        {"system_id": "baseline_v1"},
        {"model_id": "m2"},
        {"features_hash": HASH_B},
    ],
)
def test_every_input_changes_the_id(changed: dict[str, object]) -> None:
    base: dict[str, object] = {
        "game_date": GAME_DATE,
        "player_id": "203999",
        "system_id": "catboost_v1",
        "model_id": "m1",
        "features_hash": HASH_A,
    }
    assert prediction_id(**dict(base, **changed)) != prediction_id(**base)  # type: ignore[arg-type]


def test_parts_cannot_be_shifted_between_fields() -> None:
    assert prediction_slot_id(GAME_DATE, "12", "3x") != prediction_slot_id(GAME_DATE, "1", "23x")


def test_slot_and_prediction_ids_differ() -> None:
    slot = prediction_slot_id(GAME_DATE, "203999", "catboost_v1")
    assert slot != prediction_id(GAME_DATE, "203999", "catboost_v1", "m1", HASH_A)
    assert len(slot) == 32


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match=r"datetime\.date"):
        prediction_id(datetime(2025, 1, 15, 1, 0, tzinfo=UTC), "203999", "s", "m", HASH_A)
    with pytest.raises(ValueError, match="player_id"):
        prediction_id(GAME_DATE, " ", "s", "m", HASH_A)
    with pytest.raises(ValueError, match="features_hash"):
        prediction_id(GAME_DATE, "203999", "s", "m", "abc")
    with pytest.raises(ValueError, match="features_hash"):
        prediction_id(GAME_DATE, "203999", "s", "m", HASH_A.upper())
