"""Pure evaluation: the two populations, baselines on the same rows, breakdowns and the paired comparison."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from shared.domain.evaluation import (
    EvaluationMode,
    EvaluationRow,
    bet_profit,
    evaluate,
    ewma_before,
    ewma_by_player_game,
    paired_bootstrap,
    paired_comparison,
    population,
)

PE = EvaluationMode.PRODUCTION_EQUIVALENT
ALL = EvaluationMode.ALL_ROWS


def row(
    player: str = "p1",
    day: date = date(2026, 1, 5),
    predicted: float = 20.0,
    actual: float | None = 24.0,
    line: float | None = 18.5,
    recommendation: str = "OVER",
    *,
    is_bet: bool = True,
    price: int | None = -110,
    closing: float | None = 19.5,
    p_over: float | None = 0.6,
    last10: float = 19.0,
    season: float = 17.0,
    ewma: float | None = 21.0,
) -> EvaluationRow:
    is_push = actual is not None and line is not None and actual == line and is_bet
    correct = None
    if is_bet and not is_push and actual is not None and line is not None:
        correct = (actual > line) == (recommendation == "OVER")
    return EvaluationRow(
        game_date=day,
        player_id=player,
        predicted_points=predicted,
        actual_points=actual,
        line_value=line,
        recommendation=recommendation,
        is_bet=is_bet,
        is_correct=correct,
        is_push=is_push,
        price=price if is_bet else None,
        closing_line=closing,
        p_over=p_over,
        baseline_last10=last10,
        baseline_season=season,
        baseline_ewma=ewma,
    )


def test_the_two_populations_never_mix():
    rows = [
        row("bet"),
        row("pass", recommendation="PASS", is_bet=False),
        row("no line", line=None, recommendation="PASS", is_bet=False, closing=None),
        row("dnp", actual=None, is_bet=False),
    ]
    assert [r.player_id for r in population(rows, PE)] == ["bet"]
    assert [r.player_id for r in population(rows, ALL)] == ["bet", "pass", "no line"]
    evaluation = evaluate(rows, ALL)
    assert evaluation.n == 3 and evaluation.bets is None and evaluation.ece is None
    assert evaluation.errors["model"].n == 3
    assert evaluation.errors["the line"].n == 2  # only rows with a line, and the n says so
    assert evaluate(rows, PE).n == 1


def test_baselines_are_scored_on_the_same_rows_as_the_model():
    rows = [
        row("a", predicted=20, actual=24, last10=19, season=17, ewma=21, line=18.5),
        row("b", predicted=10, actual=8, last10=12, season=9, ewma=None, line=9.5, recommendation="UNDER"),
    ]
    errors = evaluate(rows, PE).errors
    assert errors["model"].mae == pytest.approx((4 + 2) / 2)
    assert errors["model"].bias == pytest.approx((-4 + 2) / 2)
    assert errors["last-10 average"].mae == pytest.approx((5 + 4) / 2)
    assert errors["season average"].mae == pytest.approx((7 + 1) / 2)
    assert errors["the line"].mae == pytest.approx((5.5 + 1.5) / 2)
    assert errors["EWMA"].n == 1
    assert errors["EWMA"].mae == pytest.approx(3.0)


def test_bets_hit_rate_roi_and_the_naive_directions():
    rows = [
        row("w1", actual=25, line=20.5, recommendation="OVER", price=-120),  # win
        row("w2", actual=10, line=12.5, recommendation="UNDER", price=+110),  # win
        row("l1", actual=15, line=20.5, recommendation="OVER"),  # loss
        row("push", actual=20, line=20.0, recommendation="OVER"),  # push
    ]
    evaluation = evaluate(rows, PE)
    assert evaluation.bets is not None
    assert (evaluation.bets.bets, evaluation.bets.pushes) == (4, 1)
    assert (evaluation.bets.hit.wins, evaluation.bets.hit.n) == (2, 3)
    assert evaluation.bets.hit.lower is not None and evaluation.bets.hit.lower < 2 / 3
    assert evaluation.bets.roi == pytest.approx((100 / 120 + 1.1 - 1 + 0) / 4)
    assert evaluation.always_over is not None and evaluation.always_under is not None
    assert (evaluation.always_over.wins, evaluation.always_over.n) == (1, 3)
    assert (evaluation.always_under.wins, evaluation.always_under.n) == (2, 3)
    assert evaluation.by_direction is not None and set(evaluation.by_direction) == {"OVER", "UNDER"}


def test_calibration_and_clv():
    rows = [
        row("a", actual=25, line=20.5, p_over=1.0, closing=21.5, recommendation="OVER"),
        row("b", actual=10, line=20.5, p_over=0.0, closing=19.5, recommendation="UNDER"),
    ]
    evaluation = evaluate(rows, PE)
    assert evaluation.brier == 0.0 and evaluation.ece == 0.0 and evaluation.calibration_n == 2
    assert evaluation.clv_mean == pytest.approx(1.0) and evaluation.clv_n == 2  # both beat the close by 1
    wrong = evaluate([replace(rows[0], p_over=0.0)], PE)
    assert wrong.brier == 1.0 and wrong.ece == 1.0


def test_breakdowns_by_tier_and_month():
    rows = [row("star", season=25.0), row("bench", season=3.0, day=date(2026, 2, 1))]
    evaluation = evaluate(rows, PE)
    assert evaluation.by_tier is not None and set(evaluation.by_tier) == {"Star", "Bench"}
    assert evaluation.by_month is not None and set(evaluation.by_month) == {"2026-01", "2026-02"}


def test_ewma_uses_only_earlier_games():
    assert ewma_before([]) is None
    assert ewma_before([10.0]) == 10.0
    assert ewma_before([10.0, 20.0], alpha=0.5) == 15.0
    history = [("p", date(2026, 1, 1), 10.0), ("p", date(2026, 1, 3), 20.0), ("p", date(2026, 1, 5), 90.0)]
    got = ewma_by_player_game(
        history, [("p", date(2026, 1, 3)), ("p", date(2026, 1, 5)), ("q", date(2026, 1, 5))]
    )
    assert got[("p", date(2026, 1, 3))] == 10.0  # the game of the date itself is not used
    assert got[("p", date(2026, 1, 5))] == pytest.approx(0.15 * 20 + 0.85 * 10)
    assert got[("q", date(2026, 1, 5))] is None
    with pytest.raises(ValueError, match="alpha"):
        ewma_before([1.0], alpha=0.0)


def test_paired_comparison_uses_only_bets_both_made():
    a = [
        row("x", recommendation="OVER", actual=25),
        row("y", recommendation="OVER", actual=25),
        row("only-a", recommendation="OVER", actual=25),
    ]
    b = [
        row("x", recommendation="UNDER", actual=25),
        row("y", recommendation="OVER", actual=25),
        row("only-b", recommendation="UNDER", actual=10),
        row("not-bet", is_bet=False),
    ]
    comparison = paired_comparison(a, b, resamples=200)
    assert comparison.pairs == 2 and comparison.same_direction == 1
    assert (comparison.a_hit.wins, comparison.b_hit.wins, comparison.a_hit.n) == (2, 1, 2)
    assert comparison.hit_rate.difference == pytest.approx(0.5)
    assert comparison.roi.difference == pytest.approx((100 / 110 + 1) / 2)
    assert paired_comparison(a, b, resamples=200) == comparison  # fixed seed: reproducible


def test_paired_opportunities_count_what_each_system_chose_to_bet():
    a = [row("x", recommendation="OVER", actual=25), row("y", recommendation="PASS", is_bet=False, actual=25)]
    b = [row("x", recommendation="OVER", actual=25), row("y", recommendation="UNDER", actual=25)]
    comparison = paired_comparison(a, b, resamples=200)
    assert comparison.roi.difference == 0.0  # the one bet both made, same side: no difference
    assert comparison.opportunities is not None
    assert comparison.opportunities.n == 2
    assert comparison.opportunities.difference == pytest.approx((0 + (0 - -1)) / 2)  # B lost a bet A passed


def test_paired_absolute_error_is_on_every_row_both_predicted_whose_player_played():
    a = [
        row("x", predicted=20.0, actual=24.0, is_bet=False, recommendation="PASS"),
        row("y", predicted=10.0, actual=10.0),
        row("dnp", predicted=10.0, actual=None, is_bet=False),
        row("only-a", predicted=0.0, actual=30.0),
    ]
    b = [
        row("x", predicted=23.0, actual=24.0),
        row("y", predicted=12.0, actual=10.0, is_bet=False, line=None),
        row("dnp", predicted=12.0, actual=None, is_bet=False),
    ]
    error = paired_comparison(a, b, resamples=200).absolute_error
    assert error is not None
    # x: |20-24| - |23-24| = 3; y: 0 - 2 = -2; dnp and only-a are not pairs of played rows.
    assert error.n == 2
    assert error.difference == pytest.approx(0.5)


def test_paired_bootstrap_interval():
    assert paired_bootstrap([]).difference is None
    constant = paired_bootstrap([1.0] * 50, resamples=100)
    assert (constant.lower, constant.upper, constant.significant) == (1.0, 1.0, True)
    noise = paired_bootstrap([1.0, -1.0] * 50, resamples=500)
    assert noise.lower is not None and noise.upper is not None
    assert noise.lower < 0 < noise.upper and not noise.significant


def test_bet_profit_at_recorded_prices():
    assert bet_profit(row(actual=25, line=20.5, price=+150)) == 1.5
    assert bet_profit(row(actual=15, line=20.5)) == -1.0
    assert bet_profit(row(actual=20, line=20.0)) == 0.0
    assert bet_profit(row(actual=25, line=20.5, price=None)) == pytest.approx(100 / 110)
