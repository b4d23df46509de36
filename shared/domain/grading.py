"""Grading one prediction against the game's outcome: graded, voided (with a reason) or pending.

Rules, in order (see docs/thresholds.md for the error bands):
1. Game postponed -> VOIDED ``game_postponed``.
2. Game not final -> PENDING ``game_not_final``.
3. Final game, player missing from the box score -> PENDING ``player_missing_from_box_score`` (reported, so
   the box score can be backfilled; never silently counted as a loss or a void).
4. Final game, player did not play (status dnp/inactive, or 0 minutes) -> VOIDED with a reason taken from the
   player's latest pre-game injury status: OUT/DOUBTFUL -> ``dnp_injury_confirmed``, QUESTIONABLE/PROBABLE ->
   ``dnp_late_scratch``, anything else -> ``dnp_unknown``.
5. Played but no points recorded -> PENDING ``actual_points_missing``.
6. Otherwise GRADED: error metrics always; OVER wins when actual > line, UNDER wins when actual < line;
   actual == line is a push (``is_correct`` None, ``is_push`` True; it still counts as graded).
   PASS / NO_LINE predictions get error metrics but never a win, loss or push.

Grades only move forward (issue 11, finding 3): a settled grade (graded or voided) of a prediction never
turns back into a pending one of the same prediction (``unsettles``), and a row keeps the grading time of the
newest trigger that graded it (``shared/services/grading.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.vocabulary import BoxScoreStatus, GameStatus, InjuryStatus, Recommendation


class GradeStatus(StrEnum):
    GRADED = "graded"
    VOIDED = "voided"
    PENDING = "pending"


class VoidReason(StrEnum):
    DNP_INJURY_CONFIRMED = "dnp_injury_confirmed"
    DNP_LATE_SCRATCH = "dnp_late_scratch"
    DNP_UNKNOWN = "dnp_unknown"
    GAME_POSTPONED = "game_postponed"


class PendingReason(StrEnum):
    GAME_NOT_FINAL = "game_not_final"
    PLAYER_MISSING_FROM_BOX_SCORE = "player_missing_from_box_score"
    ACTUAL_POINTS_MISSING = "actual_points_missing"


@dataclass(frozen=True)
class GradingInput:
    """Everything needed to grade one prediction. ``box_score_status`` is None when the player has no row in
    the box score; ``pre_game_injury_status`` is the latest report before tip-off (None if none)."""

    recommendation: Recommendation
    predicted_points: float
    line: float | None
    game_status: GameStatus
    box_score_status: BoxScoreStatus | None
    actual_points: int | None
    minutes: float | None
    pre_game_injury_status: InjuryStatus | None

    def __post_init__(self) -> None:
        # An OVER/UNDER without a line cannot be graded: that is a bug upstream, so say so loudly.
        if self.recommendation.is_bet and self.line is None:
            raise ValueError(f"{self.recommendation} prediction has no line")
        if self.actual_points is not None and self.actual_points < 0:
            raise ValueError(f"actual_points must be >= 0, got {self.actual_points}")
        if self.minutes is not None and self.minutes < 0:
            raise ValueError(f"minutes must be >= 0, got {self.minutes}")


@dataclass(frozen=True)
class GradeOutcome:
    """Result of grading. Error fields are None unless ``status`` is GRADED; line fields also need a line.

    signed_error = predicted - actual; line_margin = actual - line; prediction_margin = predicted - line
    (the edge); within_3 / within_5 = absolute_error <= the ErrorBands close / wide points.
    """

    status: GradeStatus
    is_correct: bool | None = None
    is_push: bool = False
    void_reason: VoidReason | None = None
    pending_reason: PendingReason | None = None
    absolute_error: float | None = None
    signed_error: float | None = None
    line_margin: float | None = None
    prediction_margin: float | None = None
    within_3: bool | None = None
    within_5: bool | None = None
    # Derived from status; a real field so it survives dataclasses.asdict() into a row.
    is_voided: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_voided", self.status is GradeStatus.VOIDED)
        if (self.void_reason is None) == (self.status is GradeStatus.VOIDED):
            raise ValueError("void_reason must be set exactly when status is VOIDED")
        if (self.pending_reason is None) == (self.status is GradeStatus.PENDING):
            raise ValueError("pending_reason must be set exactly when status is PENDING")

    @property
    def is_graded(self) -> bool:
        return self.status is GradeStatus.GRADED


_INJURY_CONFIRMED = frozenset({InjuryStatus.OUT, InjuryStatus.DOUBTFUL})
_LATE_SCRATCH = frozenset({InjuryStatus.QUESTIONABLE, InjuryStatus.PROBABLE})


def dnp_void_reason(pre_game_injury_status: InjuryStatus | None) -> VoidReason:
    """Why a player who did not play is voided, judged from the latest pre-game injury report."""
    if pre_game_injury_status in _INJURY_CONFIRMED:
        return VoidReason.DNP_INJURY_CONFIRMED
    if pre_game_injury_status in _LATE_SCRATCH:
        return VoidReason.DNP_LATE_SCRATCH
    return VoidReason.DNP_UNKNOWN


def did_not_play(box_score_status: BoxScoreStatus, minutes: float | None) -> bool:
    """DNP when the box score says dnp/inactive, or the player logged 0 minutes."""
    return box_score_status in (BoxScoreStatus.DNP, BoxScoreStatus.INACTIVE) or minutes == 0


def bet_result(recommendation: Recommendation, line: float, actual_points: int) -> bool | None:
    """True/False for a won/lost OVER or UNDER, None for a push or a non-bet (PASS / NO_LINE)."""
    if not recommendation.is_bet or actual_points == line:
        return None
    if recommendation is Recommendation.OVER:
        return actual_points > line
    return actual_points < line


def grade_prediction(inp: GradingInput, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> GradeOutcome:
    """Apply the grading rules in the module docstring to one prediction."""
    if inp.game_status is GameStatus.POSTPONED:
        return GradeOutcome(status=GradeStatus.VOIDED, void_reason=VoidReason.GAME_POSTPONED)
    if inp.game_status is not GameStatus.FINAL:
        return GradeOutcome(status=GradeStatus.PENDING, pending_reason=PendingReason.GAME_NOT_FINAL)
    if inp.box_score_status is None:
        return GradeOutcome(
            status=GradeStatus.PENDING, pending_reason=PendingReason.PLAYER_MISSING_FROM_BOX_SCORE
        )
    if did_not_play(inp.box_score_status, inp.minutes):
        return GradeOutcome(
            status=GradeStatus.VOIDED, void_reason=dnp_void_reason(inp.pre_game_injury_status)
        )
    if inp.actual_points is None:
        return GradeOutcome(status=GradeStatus.PENDING, pending_reason=PendingReason.ACTUAL_POINTS_MISSING)

    actual = inp.actual_points
    signed_error = inp.predicted_points - actual
    absolute_error = abs(signed_error)
    bands = thresholds.errors
    line = inp.line
    is_push = inp.recommendation.is_bet and line is not None and actual == line
    return GradeOutcome(
        status=GradeStatus.GRADED,
        is_correct=None if line is None else bet_result(inp.recommendation, line, actual),
        is_push=is_push,
        absolute_error=absolute_error,
        signed_error=signed_error,
        line_margin=None if line is None else actual - line,
        prediction_margin=None if line is None else inp.predicted_points - line,
        within_3=absolute_error <= bands.close_points,
        within_5=absolute_error <= bands.wide_points,
    )


SETTLED = frozenset({GradeStatus.GRADED, GradeStatus.VOIDED})


@dataclass(frozen=True)
class StoredGrade:
    """What grading needs of a stored prediction_accuracy row to keep grades moving forward only."""

    prediction_id: str
    status: GradeStatus
    graded_at: datetime
    run_id: str | None


def unsettles(stored: StoredGrade | None, prediction_id: str, status: GradeStatus) -> bool:
    """Whether writing ``status`` for ``prediction_id`` would turn its settled grade back into a pending one.

    Its inputs only move forward (a final game stays final, box scores are only added or corrected), so such
    a grade can only come from a run that read them before a newer run settled the grade (two deliveries
    racing): it must not replace it. A new prediction (another id) is graded afresh."""
    return (
        stored is not None
        and stored.prediction_id == prediction_id
        and stored.status in SETTLED
        and status is GradeStatus.PENDING
    )
