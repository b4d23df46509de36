"""Deterministic prediction identity, so that writing a prediction is idempotent.

The old system created duplicate predictions (and deactivated the wrong ones) because every delivery of an
event wrote a new row. Here the id is a pure function of what the prediction is about and what it was made
from: a redelivered Pub/Sub event recomputes the same id (an upsert, no new version), while a changed input
(a moved line changes the features hash) or a new model yields a new id, i.e. a new version of the same slot.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime

PREDICTION_ID_LENGTH = 32
_IDENTITY_VERSION = "prediction-id-v1"
_FEATURES_HASH = re.compile(r"[0-9a-f]{64}")


def _require_game_date(game_date: date) -> None:
    # datetime is a subclass of date; a timestamp here is the UTC-versus-Eastern date bug waiting to happen.
    if isinstance(game_date, datetime) or not isinstance(game_date, date):
        raise ValueError(f"game_date must be a US Eastern datetime.date, got {game_date!r}")


def _require_text(**fields: str) -> None:
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")


def _digest(parts: list[str]) -> str:
    # JSON encoding keeps the parts unambiguous (no separator can be smuggled inside an id).
    payload = json.dumps(parts, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()[:PREDICTION_ID_LENGTH]


def prediction_slot_id(game_date: date, player_id: str, system_id: str) -> str:
    """Id of the slot all versions of one system's prediction for one player-game share (32 hex chars).

    Used to find the previous active version when a new version is written.
    """
    _require_game_date(game_date)
    _require_text(player_id=player_id, system_id=system_id)
    return _digest([_IDENTITY_VERSION, "slot", game_date.isoformat(), player_id, system_id])


def prediction_id(game_date: date, player_id: str, system_id: str, model_id: str, features_hash: str) -> str:
    """Stable id of one prediction version: first 32 hex chars of a sha256 over its identifying inputs.

    ``features_hash`` is ``shared.domain.features.features_hash`` of the row used (64 lowercase hex chars).
    """
    _require_game_date(game_date)
    _require_text(player_id=player_id, system_id=system_id, model_id=model_id)
    if not isinstance(features_hash, str) or not _FEATURES_HASH.fullmatch(features_hash):
        raise ValueError(f"features_hash must be 64 lowercase hex chars, got {features_hash!r}")
    return _digest(
        [
            _IDENTITY_VERSION,
            "prediction",
            game_date.isoformat(),
            player_id,
            system_id,
            model_id,
            features_hash,
        ]
    )
