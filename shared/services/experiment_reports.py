"""Reports over walk-forward evidence: one run (``show_run``) or several side by side (``compare_runs``).

They read what ``shared.services.walk_forward`` stored (``experiment_runs``, ``experiment_folds``,
``experiment_rows``) and compute every figure with the pure ``shared.domain.evaluation``, in one mode at a
time. ``run_evidence`` is also what a promotion gate reads: a run's lineage and its per-bet outcomes, to
pair against the champion's run on the same bets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from shared.domain.evaluation import (
    Evaluation,
    EvaluationMode,
    EvaluationRow,
    PairedComparison,
    evaluate,
    paired_comparison,
)
from shared.ports import Row, Warehouse
from shared.sql import load_sql


class UnknownRunError(LookupError):
    """No walk-forward run has that id."""


@dataclass(frozen=True)
class RunEvidence:
    run: Row  # experiment_runs
    folds: list[Row]  # experiment_folds, in fold order
    rows: list[EvaluationRow]  # experiment_rows, every predicted player-game of the run


@dataclass(frozen=True)
class RunReport:
    run: Row
    folds: list[Row]
    evaluation: Evaluation


@dataclass(frozen=True)
class PairedReport:
    a: str
    b: str
    comparison: PairedComparison


@dataclass(frozen=True)
class ComparisonReport:
    mode: EvaluationMode
    runs: list[RunReport]
    paired: list[PairedReport]  # the first run against each other run (production-equivalent bets only)


def stored_row(row: Row) -> EvaluationRow:
    """A row of ``experiment_rows`` as the domain's input."""

    def number(name: str) -> float | None:
        return None if row[name] is None else float(row[name])

    return EvaluationRow(
        game_date=row["game_date"],
        player_id=str(row["player_id"]),
        predicted_points=float(row["predicted_points"]),
        actual_points=number("actual_points"),
        line_value=number("line_value"),
        recommendation=str(row["recommendation"]),
        is_bet=bool(row["is_bet"]),
        is_correct=None if row["is_correct"] is None else bool(row["is_correct"]),
        is_push=bool(row["is_push"]),
        price=None if row["bet_price"] is None else int(row["bet_price"]),
        closing_line=number("closing_line"),
        p_over=number("p_over"),
        baseline_last10=float(row["baseline_last10"]),
        baseline_season=float(row["baseline_season"]),
        baseline_ewma=number("baseline_ewma"),
    )


def run_evidence(warehouse: Warehouse, run_id: str) -> RunEvidence:
    runs = warehouse.query(load_sql("experiments/run_by_id"), {"run_id": run_id})
    if not runs:
        raise UnknownRunError(f"no walk-forward run {run_id!r} in nba_predictions.experiment_runs")
    run = runs[0]
    span = {"run_id": run_id, "date_from": run["evaluation_from"], "date_to": run["evaluation_to"]}
    folds = warehouse.query(load_sql("experiments/run_folds"), span)
    rows = [stored_row(row) for row in warehouse.query(load_sql("experiments/run_rows"), span)]
    return RunEvidence(run, folds, rows)


def show_run(warehouse: Warehouse, run_id: str, mode: EvaluationMode) -> RunReport:
    evidence = run_evidence(warehouse, run_id)
    return RunReport(evidence.run, evidence.folds, evaluate(evidence.rows, mode))


def compare_runs(warehouse: Warehouse, run_ids: list[str], mode: EvaluationMode) -> ComparisonReport:
    """Each run in ``mode``; in production-equivalent mode also the first run paired with each other."""
    evidence = [run_evidence(warehouse, run_id) for run_id in run_ids]
    reports = [RunReport(e.run, e.folds, evaluate(e.rows, mode)) for e in evidence]
    paired = []
    if mode is EvaluationMode.PRODUCTION_EQUIVALENT:
        first = evidence[0]
        for other in evidence[1:]:
            paired.append(
                PairedReport(
                    str(first.run["run_id"]),
                    str(other.run["run_id"]),
                    paired_comparison(first.rows, other.rows),
                )
            )
    return ComparisonReport(mode, reports, paired)


def _plain_run(run: Row) -> dict[str, Any]:
    return {key: value for key, value in run.items() if key != "config"}


def report_json(report: RunReport | ComparisonReport) -> dict[str, Any]:
    """A JSON-ready mapping (dates and enums become strings with ``json.dumps(default=str)``)."""
    if isinstance(report, RunReport):
        return {
            "run": _plain_run(report.run),
            "folds": report.folds,
            "evaluation": asdict(report.evaluation),
        }
    return {
        "mode": str(report.mode),
        "runs": [report_json(run) for run in report.runs],
        "paired": [asdict(pair) for pair in report.paired],
    }
