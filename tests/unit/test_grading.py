"""Every grading rule, against hand-worked outcomes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from shared.domain.grading import (
    GradeOutcome,
    GradeStatus,
    GradingInput,
    PendingReason,
    StoredGrade,
    VoidReason,
    grade_prediction,
    unsettles,
)
from shared.domain.vocabulary import BoxScoreStatus, GameStatus, InjuryStatus, Recommendation


def _input(**overrides: object) -> GradingInput:
    base = GradingInput(
        recommendation=Recommendation.OVER,
        predicted_points=24.0,
        line=21.5,
        game_status=GameStatus.FINAL,
        box_score_status=BoxScoreStatus.PLAYED,
        actual_points=25,
        minutes=34.0,
        pre_game_injury_status=None,
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def test_over_win_with_all_error_fields() -> None:
    outcome = grade_prediction(_input())
    assert outcome.status is GradeStatus.GRADED
    assert outcome.is_correct is True
    assert outcome.is_push is False
    assert outcome.is_voided is False
    assert outcome.absolute_error == pytest.approx(1.0)
    assert outcome.signed_error == pytest.approx(-1.0)  # predicted 24 - actual 25
    assert outcome.line_margin == pytest.approx(3.5)  # actual 25 - line 21.5
    assert outcome.prediction_margin == pytest.approx(2.5)  # predicted 24 - line 21.5
    assert outcome.within_3 is True
    assert outcome.within_5 is True


def test_over_loss() -> None:
    outcome = grade_prediction(_input(actual_points=18))
    assert outcome.is_correct is False
    assert outcome.signed_error == pytest.approx(6.0)
    assert outcome.line_margin == pytest.approx(-3.5)
    assert outcome.within_3 is False
    assert outcome.within_5 is False


def test_under_win_and_loss() -> None:
    under = _input(recommendation=Recommendation.UNDER, predicted_points=17.0)
    assert grade_prediction(dataclasses.replace(under, actual_points=19)).is_correct is True
    assert grade_prediction(dataclasses.replace(under, actual_points=22)).is_correct is False


def test_within_bands_are_inclusive() -> None:
    assert grade_prediction(_input(actual_points=27)).within_3 is True  # |24 - 27| == 3
    outcome = grade_prediction(_input(actual_points=29))  # |24 - 29| == 5
    assert (outcome.within_3, outcome.within_5) == (False, True)


@pytest.mark.parametrize("recommendation", [Recommendation.OVER, Recommendation.UNDER])
def test_push_has_no_result_but_is_graded(recommendation: Recommendation) -> None:
    outcome = grade_prediction(_input(recommendation=recommendation, line=22.0, actual_points=22))
    assert outcome.status is GradeStatus.GRADED
    assert outcome.is_push is True
    assert outcome.is_correct is None
    assert outcome.line_margin == pytest.approx(0.0)
    assert outcome.absolute_error == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("injury", "reason"),
    [
        (InjuryStatus.OUT, VoidReason.DNP_INJURY_CONFIRMED),
        (InjuryStatus.DOUBTFUL, VoidReason.DNP_INJURY_CONFIRMED),
        (InjuryStatus.QUESTIONABLE, VoidReason.DNP_LATE_SCRATCH),
        (InjuryStatus.PROBABLE, VoidReason.DNP_LATE_SCRATCH),
        (InjuryStatus.AVAILABLE, VoidReason.DNP_UNKNOWN),
        (None, VoidReason.DNP_UNKNOWN),
    ],
)
def test_dnp_void_reason_from_pre_game_injury_status(injury: InjuryStatus | None, reason: VoidReason) -> None:
    outcome = grade_prediction(
        _input(
            box_score_status=BoxScoreStatus.DNP, actual_points=0, minutes=0.0, pre_game_injury_status=injury
        )
    )
    assert outcome.status is GradeStatus.VOIDED
    assert outcome.is_voided is True
    assert outcome.void_reason is reason
    assert outcome.is_correct is None
    assert outcome.absolute_error is None


def test_inactive_status_is_dnp() -> None:
    outcome = grade_prediction(
        _input(
            box_score_status=BoxScoreStatus.INACTIVE,
            actual_points=None,
            minutes=None,
            pre_game_injury_status=InjuryStatus.OUT,
        )
    )
    assert outcome.void_reason is VoidReason.DNP_INJURY_CONFIRMED


def test_zero_minutes_is_dnp_even_when_status_says_played() -> None:
    outcome = grade_prediction(
        _input(actual_points=0, minutes=0.0, pre_game_injury_status=InjuryStatus.PROBABLE)
    )
    assert outcome.status is GradeStatus.VOIDED
    assert outcome.void_reason is VoidReason.DNP_LATE_SCRATCH


def test_postponed_game_is_voided_whatever_the_box_score() -> None:
    outcome = grade_prediction(_input(game_status=GameStatus.POSTPONED, box_score_status=None))
    assert outcome.status is GradeStatus.VOIDED
    assert outcome.void_reason is VoidReason.GAME_POSTPONED


def test_player_missing_from_final_box_score_is_pending() -> None:
    outcome = grade_prediction(_input(box_score_status=None, actual_points=None, minutes=None))
    assert outcome.status is GradeStatus.PENDING
    assert outcome.pending_reason is PendingReason.PLAYER_MISSING_FROM_BOX_SCORE
    assert outcome.is_voided is False
    assert outcome.is_correct is None


def test_game_not_final_is_pending() -> None:
    outcome = grade_prediction(_input(game_status=GameStatus.SCHEDULED, box_score_status=None))
    assert outcome.status is GradeStatus.PENDING
    assert outcome.pending_reason is PendingReason.GAME_NOT_FINAL
    assert outcome.absolute_error is None


def test_played_without_points_is_pending() -> None:
    outcome = grade_prediction(_input(actual_points=None))
    assert outcome.pending_reason is PendingReason.ACTUAL_POINTS_MISSING


def test_pass_gets_error_metrics_but_no_result() -> None:
    outcome = grade_prediction(_input(recommendation=Recommendation.PASS, actual_points=21))
    assert outcome.status is GradeStatus.GRADED
    assert outcome.is_correct is None
    assert outcome.is_push is False
    assert outcome.absolute_error == pytest.approx(3.0)
    assert outcome.signed_error == pytest.approx(3.0)
    assert outcome.line_margin == pytest.approx(-0.5)


def test_pass_landing_on_the_line_is_not_a_push() -> None:
    outcome = grade_prediction(_input(recommendation=Recommendation.PASS, line=21.0, actual_points=21))
    assert (outcome.is_correct, outcome.is_push) == (None, False)


def test_no_line_gets_error_metrics_without_line_fields() -> None:
    outcome = grade_prediction(_input(recommendation=Recommendation.NO_LINE, line=None, actual_points=30))
    assert outcome.status is GradeStatus.GRADED
    assert outcome.is_correct is None
    assert outcome.absolute_error == pytest.approx(6.0)
    assert outcome.signed_error == pytest.approx(-6.0)
    assert outcome.line_margin is None
    assert outcome.prediction_margin is None
    assert outcome.within_5 is False


def test_bet_without_a_line_is_rejected() -> None:
    with pytest.raises(ValueError, match="no line"):
        _input(recommendation=Recommendation.UNDER, line=None)


def test_outcome_rejects_inconsistent_reasons() -> None:
    with pytest.raises(ValueError):
        GradeOutcome(status=GradeStatus.VOIDED)
    with pytest.raises(ValueError):
        GradeOutcome(status=GradeStatus.GRADED, pending_reason=PendingReason.GAME_NOT_FINAL)


def test_is_voided_survives_asdict() -> None:
    row = dataclasses.asdict(grade_prediction(_input(game_status=GameStatus.POSTPONED)))
    assert row["is_voided"] is True
    assert row["void_reason"] == "game_postponed"


def test_a_settled_grade_of_a_prediction_is_never_unsettled_but_a_new_prediction_is_graded_afresh() -> None:
    at = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
    for settled in (GradeStatus.GRADED, GradeStatus.VOIDED):
        stored = StoredGrade("p1", settled, at, "run-1")
        assert unsettles(stored, "p1", GradeStatus.PENDING)
        assert not unsettles(stored, "p2", GradeStatus.PENDING)
        assert not unsettles(stored, "p1", GradeStatus.GRADED)
    assert not unsettles(StoredGrade("p1", GradeStatus.PENDING, at, "run-1"), "p1", GradeStatus.PENDING)
    assert not unsettles(None, "p1", GradeStatus.PENDING)
