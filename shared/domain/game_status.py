"""A game's status only moves forward: scheduled -> final | postponed, never back (pure, no I/O).

The season schedule file (every game ``scheduled``) is re-landed at the start of every replay, and a feed may
re-send an older file at any time. Such a row describes a state the game has left: it is valid, but it is
superseded by what is stored and changes nothing. While a game is still ``scheduled`` any row may update it
(a new tip-off time or date, or its result). ``final`` and ``postponed`` are both terminal: a row saying the
other one contradicts the stored result and is refused (``status_conflict``), never applied.
"""

from __future__ import annotations

from enum import Enum

from shared.domain.vocabulary import GameStatus


class Transition(Enum):
    APPLY = "apply"  # new game, still-scheduled game, or the same terminal status (a correction)
    SUPERSEDED = "superseded"  # an older statement of a game already final or postponed: keep the stored row
    CONFLICT = "conflict"  # final vs postponed: the stored result stays, the row is refused


_TERMINAL = frozenset({GameStatus.FINAL.value, GameStatus.POSTPONED.value})


def transition(stored_status: str | None, incoming_status: str) -> Transition:
    if stored_status is None or stored_status not in _TERMINAL or stored_status == incoming_status:
        return Transition.APPLY
    if incoming_status == GameStatus.SCHEDULED.value:
        return Transition.SUPERSEDED
    return Transition.CONFLICT
