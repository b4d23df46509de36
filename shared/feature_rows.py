"""Reads of stored feature rows (``nba_predictions.ml_feature_store``) over the warehouse port.

Prediction, training and backtests read what the feature store wrote through this module rather than
through the feature-store service, so no service imports another to read a table. Turning a stored row
into contract values is pure and lives in the domain (``shared.domain.features.stored_feature_values``).
"""

from __future__ import annotations

from datetime import date

from shared.ports import Row, Warehouse
from shared.sql import load_sql


def read_feature_rows(warehouse: Warehouse, game_date: date, feature_version: str) -> list[Row]:
    """The stored rows of one date and feature version, ordered by game then player."""
    return warehouse.query(
        load_sql("features/feature_rows"), {"game_date": game_date, "feature_version": feature_version}
    )
