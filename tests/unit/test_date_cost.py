"""The cost arithmetic of `courtside cost`: dry-run bytes per function, the 10 MB minimum, the month's $."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from courtside.date_cost import (
    TIB,
    FunctionCost,
    Statement,
    dry_run_costs,
    monthly_dollars,
)
from shared.job_labels import MINIMUM_BILLED_BYTES


class Sizes:
    def __init__(self) -> None:
        self.keyed: list[tuple[str, Sequence[str]]] = []

    def dry_run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        return 50 * 1024**2 if "boxscores" in sql else 1024

    def dry_run_keyed_write(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        self.keyed.append((table, key_columns))
        return 2 * 1024**2


def test_bytes_per_function_with_the_minimum_billed_per_statement() -> None:
    statements = [
        Statement("grading", "query", "SELECT * FROM nba_raw.boxscores WHERE game_date = @d", {"d": 1}),
        Statement(
            "grading",
            "keyed write",
            table="nba_predictions.prediction_accuracy",
            rows=[{}],
            key_columns=["k"],
        ),
        Statement("sharpness", "query", "SELECT 1"),
    ]
    sizes = Sizes()
    costs = {c.function: c for c in dry_run_costs(statements, sizes)}
    assert sizes.keyed == [("nba_predictions.prediction_accuracy", ["k"])]
    assert costs["grading"].statements == 2
    assert costs["grading"].bytes_processed == 52 * 1024**2
    assert costs["grading"].bytes_billed == 50 * 1024**2 + MINIMUM_BILLED_BYTES
    assert costs["sharpness"].bytes_processed == 1024
    assert costs["sharpness"].bytes_billed == MINIMUM_BILLED_BYTES


def test_monthly_estimate_at_the_configured_price() -> None:
    assert monthly_dollars(TIB // 30, 6.25) == pytest.approx(6.25, rel=1e-9)
    assert monthly_dollars(10 * 1024**2, 5.0, days=30) == pytest.approx(300 * 1024**2 / TIB * 5.0)


@pytest.mark.parametrize(
    ("function", "reads", "writes", "bookkeeping", "runs", "within"),
    [("grading", 2, 1, 1, 1, True), ("grading", 4, 1, 1, 1, False), ("prediction", 9, 2, 1, 1, None)],
)
def test_the_statement_target_is_four_per_invocation_but_for_prediction_and_training(
    function: str, reads: int, writes: int, bookkeeping: int, runs: int, within: bool | None
) -> None:
    cost = FunctionCost(function, runs, reads, writes, bookkeeping, rows_scanned=0, seconds=0.0)
    assert cost.within_target is within
