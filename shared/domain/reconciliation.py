"""What a game date should have, compared with what it has: the first step of the chain that is missing.

The chain fills a date in order: features, and predictions of every production-ready row with a line (when
a champion exists), before the first tip-off (after it they can no longer be made, only reported); grades
once every game is final (a prediction pending for a player missing from the box score is grading's own
reported outcome, not a gap); then sharpness and diagnostics once something is graded. Only the *first*
missing step is re-driven: each step publishes the event that triggers the next, so re-driving the earliest
gap fills everything after it. Pure: the counts come from ``shared/sql/reconciliation/date_states.sql`` and
the instant from the scheduler's publish time.

The morning watchdog (``shared/domain/watchdog.py``) judges the same dates against the same pre-game deadline
(``pregame_deadline_passed``): at the first tip-off the reconciler stops re-driving features and predictions
and the watchdog starts reporting them missing. Where they differ, they differ on purpose: with no champion
nothing is owed to the reconciler (it cannot make one) while the watchdog alerts; grades are re-driven as soon
as every game is final and reported only when still missing the next morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Step(StrEnum):
    FEATURES = "features"
    PREDICTIONS = "predictions"
    GRADES = "grades"
    SHARPNESS = "sharpness"
    DIAGNOSTICS = "diagnostics"


@dataclass(frozen=True)
class DateState:
    """What one game date has (every count over the date's partition only)."""

    game_date: date
    games: int  # games not postponed
    final_games: int
    first_tipoff: datetime | None
    feature_rows: int
    feature_version: str | None
    features_as_of: datetime | None
    ready_line_rows: int  # production-ready feature rows with a real line
    latest_pregame_line_at: datetime | None  # latest pre-tip line snapshot known
    has_champion: bool
    champion_predicted_ready_rows: int  # of ready_line_rows, those with a current champion prediction
    line_predictions: int  # current predictions (every system) with a real line
    ungraded: int  # of line_predictions, those with no grade or graded before their game was final
    graded: int
    voided: int
    pending: int
    sharpness_rows: int
    diagnostics_rows: int


@dataclass(frozen=True)
class Gap:
    game_date: date
    step: Step
    reason: str
    # False when the step can no longer be re-driven: features and predictions are pre-game only.
    redrivable: bool = True


def pregame_deadline_passed(first_tipoff: datetime, now: datetime) -> bool:
    """Whether a date's pre-game steps (features, predictions) are past due: from its first tip-off on, a
    call made can no longer be a prediction."""
    return now >= first_tipoff


def first_gap(state: DateState, now: datetime) -> Gap | None:
    """The earliest missing step of ``state``'s date at ``now``, or None when the date is complete so far."""
    if state.games == 0 or state.first_tipoff is None:
        return None
    before_tipoff = not pregame_deadline_passed(state.first_tipoff, now)
    stale = (
        state.feature_rows > 0
        and state.latest_pregame_line_at is not None
        and state.features_as_of is not None
        and state.latest_pregame_line_at > state.features_as_of
    )
    if state.feature_rows == 0 or (stale and before_tipoff):
        reason = "no feature rows" if state.feature_rows == 0 else "features older than the latest line"
        if not before_tipoff:
            return Gap(state.game_date, Step.FEATURES, f"{reason}, and the first tip-off has passed", False)
        return Gap(state.game_date, Step.FEATURES, f"{reason} before the first tip-off")
    if state.has_champion and state.champion_predicted_ready_rows < state.ready_line_rows:
        missing = state.ready_line_rows - state.champion_predicted_ready_rows
        reason = f"{missing} of {state.ready_line_rows} ready rows with a line lack a champion prediction"
        if not before_tipoff:
            # A call made after the games (perhaps by a model trained on them) is no prediction at all.
            return Gap(
                state.game_date, Step.PREDICTIONS, f"{reason}, and the first tip-off has passed", False
            )
        return Gap(state.game_date, Step.PREDICTIONS, reason)
    all_final = state.final_games >= state.games
    if all_final and state.ungraded > 0:
        return Gap(
            state.game_date,
            Step.GRADES,
            f"every game is final but {state.ungraded} of {state.line_predictions} predictions with a line "
            "are ungraded",
        )
    if state.graded > 0 and state.sharpness_rows == 0:
        return Gap(state.game_date, Step.SHARPNESS, f"{state.graded} graded predictions, no sharpness rows")
    if state.graded > 0 and state.diagnostics_rows == 0:
        return Gap(state.game_date, Step.DIAGNOSTICS, f"{state.graded} graded predictions, no diagnosis")
    return None


def gaps_to_redrive(states: list[DateState], now: datetime, limit: int) -> tuple[list[Gap], list[Gap]]:
    """(gaps to re-drive now, oldest date first, at most ``limit``; gaps that cannot be or must wait)."""
    gaps = [gap for state in sorted(states, key=lambda s: s.game_date) if (gap := first_gap(state, now))]
    redrivable = [gap for gap in gaps if gap.redrivable]
    return redrivable[:limit], [gap for gap in gaps if not gap.redrivable] + redrivable[limit:]
