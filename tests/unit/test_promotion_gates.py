"""The promotion gates: each refuses on its own (the others passing); a refusal lists every reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from shared.domain.evaluation import EvaluationRow, paired_comparison
from shared.domain.promotion_gates import (
    ChampionEvidence,
    Gate,
    Loadability,
    PromotionEvidence,
    evaluate_gates,
    failed,
)
from shared.domain.thresholds import DEFAULT_THRESHOLDS, PromotionGates

POLICY = PromotionGates(min_bets=40, max_ece=0.08)
BETS = 40


def bet(index: int, *, correct: bool = True, p_over: float = 0.5, **changes: object) -> EvaluationRow:
    """A bet against a line of 20: the player scores 25 or 15 in turn, the model is 1 point off, the naive
    averages and the line 5 points off; P(over) 0.5 on an even split of overs and unders (ECE 0)."""
    over = index % 2 == 0
    actual = 25.0 if over else 15.0
    predicted = actual - 1.0 if over else actual + 1.0
    called_over = over if correct else not over
    row = EvaluationRow(
        game_date=date(2025, 1, 1) + timedelta(days=index // 10),
        player_id=f"p{index}",
        predicted_points=predicted,
        actual_points=actual,
        line_value=20.0,
        recommendation="OVER" if called_over else "UNDER",
        is_bet=True,
        is_correct=correct,
        is_push=False,
        price=-110,
        closing_line=20.0,
        p_over=p_over,
        baseline_last10=20.0,
        baseline_season=20.0,
        baseline_ewma=20.0,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


LOADABLE = Loadability(
    feature_version="v1",
    known_feature_versions=("v1",),
    trained_catboost="1.2.10",
    pinned_catboost="1.2.10",
    load_error=None,
)


def evidence(**changes: object) -> PromotionEvidence:
    """Evidence on which every gate passes; ``changes`` break one thing."""
    base = PromotionEvidence(
        model_id="candidate",
        config_hash="a" * 64,
        run_id="wf-run",
        rows=[bet(i) for i in range(BETS)],
        champion=ChampionEvidence(None),
        loadability=LOADABLE,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def failing(evidence_: PromotionEvidence) -> dict[Gate, str]:
    return {result.gate: result.reason for result in failed(evaluate_gates(evidence_, POLICY))}


def test_every_gate_passes_on_good_evidence() -> None:
    results = evaluate_gates(evidence(), POLICY)
    assert [r.gate for r in results] == list(Gate)
    assert failed(results) == []
    assert "no champion yet" in next(r.reason for r in results if r.gate is Gate.CHAMPION)


def test_evidence_gate_refuses_alone_too_few_bets() -> None:
    reasons = failing(evidence(rows=[bet(i) for i in range(BETS - 1)]))
    assert set(reasons) == {Gate.EVIDENCE}
    assert "39 production-equivalent bets" in reasons[Gate.EVIDENCE]
    assert "40 required" in reasons[Gate.EVIDENCE]


def test_evidence_gate_refuses_a_model_without_config_lineage() -> None:
    reasons = failing(evidence(config_hash=None))
    assert set(reasons) == {Gate.EVIDENCE}
    assert "no config lineage" in reasons[Gate.EVIDENCE]


def test_baselines_gate_refuses_alone_when_one_naive_average_wins() -> None:
    # The season average knows the outcome: it beats the model; the other baselines still lose.
    rows = [replace(row, baseline_season=float(row.actual_points or 0)) for row in evidence().rows]
    reasons = failing(evidence(rows=rows))
    assert set(reasons) == {Gate.BASELINES}
    assert "season average 1.000 vs 0.000 (n=40)" in reasons[Gate.BASELINES]
    assert "last-10" not in reasons[Gate.BASELINES]


def test_baselines_gate_compares_the_line_on_rows_with_a_line_only() -> None:
    # The line is exact on half the rows and missing on the rest: on its own rows it wins.
    rows = [
        replace(row, line_value=row.actual_points) if i % 4 == 0 else replace(row, line_value=None)
        for i, row in enumerate(evidence().rows)
    ]
    reasons = failing(evidence(rows=rows))
    assert "the line 1.000 vs 0.000 (n=10)" in reasons[Gate.BASELINES]


def test_champion_gate_refuses_alone_when_significantly_worse() -> None:
    champion_rows = [bet(i) for i in range(200)]
    loser_rows = [bet(i, correct=i % 3 == 0) for i in range(200)]  # wins a third of the same bets
    paired = paired_comparison(loser_rows, champion_rows)
    champion = ChampionEvidence("champion-model", "wf-champion", paired)
    reasons = failing(evidence(champion=champion))
    assert set(reasons) == {Gate.CHAMPION}
    assert "significantly worse" in reasons[Gate.CHAMPION]
    assert "hit rate" in reasons[Gate.CHAMPION]


def test_champion_gate_passes_when_not_significantly_worse_and_refuses_without_evidence() -> None:
    paired = paired_comparison(evidence().rows, evidence().rows)
    same = evaluate_gates(evidence(champion=ChampionEvidence("champion-model", "wf-c", paired)), POLICY)
    assert failed(same) == []
    missing = ChampionEvidence("champion-model", missing="it has no config lineage")
    assert failing(evidence(champion=missing)) == {
        Gate.CHAMPION: "no evidence for champion champion-model: it has no config lineage"
    }


def test_calibration_gate_refuses_alone_when_p_over_is_miscalibrated() -> None:
    rows = [replace(row, p_over=0.95) for row in evidence().rows]
    reasons = failing(evidence(rows=rows))
    assert set(reasons) == {Gate.CALIBRATION}
    assert "ECE of P(over) 0.450 on 40 bets" in reasons[Gate.CALIBRATION]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"pinned_catboost": "1.2.9"}, "trained with catboost 1.2.10, the prediction function pins 1.2.9"),
        ({"feature_version": "v9"}, "feature version v9 is not a deployed contract"),
        ({"load_error": "the model file does not load"}, "the artifact does not load"),
        ({"pinned_catboost": None}, "pins no catboost"),
    ],
)
def test_loadable_gate_refuses_alone(change: dict[str, object], expected: str) -> None:
    reasons = failing(evidence(loadability=replace(LOADABLE, **change)))  # type: ignore[arg-type]
    assert set(reasons) == {Gate.LOADABLE}
    assert expected in reasons[Gate.LOADABLE]


def test_a_refusal_lists_every_failing_reason() -> None:
    champion = ChampionEvidence("champion-model", missing="no walk-forward run of its config")
    broken = evidence(
        rows=[bet(i, p_over=0.95, baseline_last10=float(25 if i % 2 == 0 else 15)) for i in range(10)],
        champion=champion,
        loadability=replace(LOADABLE, pinned_catboost="1.1.0"),
    )
    reasons = failing(broken)
    assert set(reasons) == set(Gate)
    assert all(reason for reason in reasons.values())


def test_default_minimum_bets_is_the_documented_500() -> None:
    assert DEFAULT_THRESHOLDS.promotion.min_bets == 500
    with pytest.raises(ValueError, match="min_bets"):
        PromotionGates(min_bets=0)
