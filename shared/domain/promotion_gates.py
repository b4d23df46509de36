"""The gates a model must pass to become champion. Pure: evidence in, one result per gate out.

Five gates, each judged on its own and all reported (a refusal names every failing reason):

- ``evidence``: the model has config lineage (the experiment config it was trained with, by hash) and a
  walk-forward run of that config on the production path covers at least ``min_bets`` production-equivalent
  bets.
- ``baselines``: on every player-game of that run with an outcome (all rows), the model's MAE beats each
  naive baseline's MAE on exactly the rows that baseline has (last-10, season, EWMA; the line on the rows
  with a line). All rows, not the bets: a bet is where the model disagrees with the line by at least the
  minimum edge, a population its own error selects, where the line wins on MAE by construction.
- ``champion``: the paired comparison (candidate minus champion, ``evaluation.paired_comparison``) on the
  bets both made is not significantly worse in hit rate or ROI, nor in profit per player-game both priced;
  no champion yet passes and says so.
- ``calibration``: the ECE of P(over) on the run's bets is at most ``max_ece``.
- ``loadable``: the prediction function can load it (known feature version, the catboost it was trained with
  is the one the function pins, and the artifact loads through the function's own loader).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.domain.evaluation import (
    Difference,
    EvaluationMode,
    EvaluationRow,
    PairedComparison,
    error_figure,
    evaluate,
    population,
)
from shared.domain.thresholds import PromotionGates


class Gate(StrEnum):
    EVIDENCE = "evidence"
    BASELINES = "baselines"
    CHAMPION = "champion"
    CALIBRATION = "calibration"
    LOADABLE = "loadable"


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    passed: bool
    reason: str


@dataclass(frozen=True)
class Loadability:
    """What the prediction function needs of a model, as gathered by the service."""

    feature_version: str
    known_feature_versions: tuple[str, ...]
    trained_catboost: str
    pinned_catboost: str | None  # None: the function pins no catboost
    load_error: str | None  # None: the artifact loaded through the prediction service's loader


@dataclass(frozen=True)
class ChampionEvidence:
    """The current champion and, when found, the paired comparison of the candidate's run with its run."""

    model_id: str | None  # None: there is no champion yet
    run_id: str | None = None
    paired: PairedComparison | None = None  # A = the candidate, B = the champion
    missing: str = ""  # why there is no comparison, when there is a champion but no evidence


@dataclass(frozen=True)
class PromotionEvidence:
    model_id: str
    config_hash: str | None  # None: trained without an experiment config (no lineage)
    run_id: str | None  # the walk-forward run of that config the gates read (None: none found)
    rows: Sequence[EvaluationRow]  # every predicted player-game of that run
    champion: ChampionEvidence
    loadability: Loadability


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def evidence_gate(evidence: PromotionEvidence, policy: PromotionGates) -> GateResult:
    if evidence.config_hash is None:
        return GateResult(
            Gate.EVIDENCE,
            False,
            f"model {evidence.model_id} has no config lineage (trained without an experiment config): "
            "train it with `courtside train --config experiments/NAME.yaml`",
        )
    if evidence.run_id is None:
        return GateResult(
            Gate.EVIDENCE,
            False,
            f"no walk-forward run of its config (hash {evidence.config_hash[:12]}): "
            "run `courtside experiment run experiments/NAME.yaml`",
        )
    bets = len(population(evidence.rows, EvaluationMode.PRODUCTION_EQUIVALENT))
    passed = bets >= policy.min_bets
    return GateResult(
        Gate.EVIDENCE,
        passed,
        f"run {evidence.run_id}: {bets} production-equivalent bets "
        f"({'at least' if passed else 'fewer than'} the {policy.min_bets} required)",
    )


# Each naive baseline and how to read it from a row (the line: rows with a line only).
_BASELINES: tuple[tuple[str, Callable[[EvaluationRow], float | None]], ...] = (
    ("last-10 average", lambda row: row.baseline_last10),
    ("season average", lambda row: row.baseline_season),
    ("EWMA", lambda row: row.baseline_ewma),
    ("the line", lambda row: row.line_value),
)


def baselines_gate(evidence: PromotionEvidence) -> GateResult:
    rows = population(evidence.rows, EvaluationMode.ALL_ROWS)
    if not rows:
        return GateResult(Gate.BASELINES, False, "no evaluated rows with an outcome: nothing to compare")
    losses: list[str] = []
    wins: list[str] = []
    for name, pick in _BASELINES:
        same = [(row, value) for row in rows if (value := pick(row)) is not None]
        model = error_figure([(row.predicted_points, float(row.actual_points or 0.0)) for row, _ in same])
        baseline = error_figure([(value, float(row.actual_points or 0.0)) for row, value in same])
        if model.mae is None or baseline.mae is None:
            losses.append(f"{name}: no rows to compare")
            continue
        text = f"{name} {_figure(model.mae)} vs {_figure(baseline.mae)} (n={model.n})"
        (wins if model.mae < baseline.mae else losses).append(text)
    if losses:
        return GateResult(
            Gate.BASELINES, False, "MAE (model vs baseline, all rows) not better than " + "; ".join(losses)
        )
    return GateResult(Gate.BASELINES, True, "MAE (model vs baseline, all rows): " + "; ".join(wins))


def _interval(name: str, difference: Difference, unit: str) -> str:
    if difference.difference is None or difference.lower is None or difference.upper is None:
        return f"{name}: no pairs"
    if unit == "pp":  # a difference of two hit rates, in percentage points
        low, mid, high = (100 * v for v in (difference.lower, difference.difference, difference.upper))
        return f"{name} {mid:+.1f} pp [{low:+.1f}, {high:+.1f}] (n={difference.n})"
    return (
        f"{name} {difference.difference:+.3f}{unit} [{difference.lower:+.3f}, {difference.upper:+.3f}] "
        f"(n={difference.n})"
    )


def champion_gate(evidence: PromotionEvidence) -> GateResult:
    champion = evidence.champion
    if champion.model_id is None:
        return GateResult(Gate.CHAMPION, True, "no champion yet: nothing to compare with")
    if champion.model_id == evidence.model_id:
        return GateResult(Gate.CHAMPION, False, f"{evidence.model_id} is already the champion")
    if champion.paired is None:
        return GateResult(
            Gate.CHAMPION, False, f"no evidence for champion {champion.model_id}: {champion.missing}"
        )
    paired = champion.paired
    if paired.pairs == 0:
        return GateResult(
            Gate.CHAMPION,
            False,
            f"no bets both made with champion {champion.model_id}'s run {champion.run_id}",
        )
    checks = [("hit rate", paired.hit_rate, "pp"), ("ROI", paired.roi, " u/bet")]
    if paired.opportunities is not None:
        checks.append(("profit per player-game both priced", paired.opportunities, " u"))
    worse = [
        _interval(name, diff, unit)
        for name, diff, unit in checks
        if diff.upper is not None and diff.upper < 0.0
    ]
    summary = "; ".join(_interval(name, diff, unit) for name, diff, unit in checks)
    prefix = f"vs champion {champion.model_id} (run {champion.run_id}, {paired.pairs} bets both made)"
    if worse:
        return GateResult(Gate.CHAMPION, False, f"{prefix}: significantly worse in " + "; ".join(worse))
    return GateResult(Gate.CHAMPION, True, f"{prefix}: not significantly worse: {summary}")


def calibration_gate(evidence: PromotionEvidence, policy: PromotionGates) -> GateResult:
    figures = evaluate(evidence.rows, EvaluationMode.PRODUCTION_EQUIVALENT)
    if figures.ece is None:
        return GateResult(Gate.CALIBRATION, False, "no bet with P(over) and a decided outcome: ECE unknown")
    passed = figures.ece <= policy.max_ece
    return GateResult(
        Gate.CALIBRATION,
        passed,
        f"ECE of P(over) {figures.ece:.3f} on {figures.calibration_n} bets "
        f"({'within' if passed else 'above'} the {policy.max_ece:.3f} allowed)",
    )


def loadable_gate(loadability: Loadability) -> GateResult:
    problems = []
    if loadability.feature_version not in loadability.known_feature_versions:
        problems.append(
            f"feature version {loadability.feature_version} is not a deployed contract "
            f"({', '.join(loadability.known_feature_versions)})"
        )
    if loadability.pinned_catboost is None:
        problems.append("the prediction function pins no catboost version")
    elif loadability.pinned_catboost != loadability.trained_catboost:
        problems.append(
            f"trained with catboost {loadability.trained_catboost}, the prediction function pins "
            f"{loadability.pinned_catboost} (it refuses a model of another version)"
        )
    if loadability.load_error is not None:
        problems.append(f"the artifact does not load: {loadability.load_error}")
    if problems:
        return GateResult(Gate.LOADABLE, False, "; ".join(problems))
    return GateResult(
        Gate.LOADABLE,
        True,
        f"features {loadability.feature_version}, catboost {loadability.trained_catboost} as pinned; loads",
    )


def evaluate_gates(evidence: PromotionEvidence, policy: PromotionGates) -> list[GateResult]:
    """Every gate's result, in the order of the module docstring (all of them, passing or not)."""
    return [
        evidence_gate(evidence, policy),
        baselines_gate(evidence),
        champion_gate(evidence),
        calibration_gate(evidence, policy),
        loadable_gate(evidence.loadability),
    ]


def failed(results: Sequence[GateResult]) -> list[GateResult]:
    return [result for result in results if not result.passed]
