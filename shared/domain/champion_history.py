"""Which champion a rollback restores, from the append-only alias history. Pure.

The champion history is a stack: every change that gives a model the champion alias (a promotion, forced or
not, or a training run that registered its model as champion) pushes it; a rollback pops the current
champion and restores the one below. So a second rollback goes one further back (B replaced A, C replaced B:
rollback restores B, a second rollback A), and a rollback with nothing below is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ROLLBACK = "rollback"


class NothingToRollBackError(LookupError):
    """The history holds no earlier champion to restore."""


def champion_stack(changes: Iterable[Mapping[str, Any]]) -> list[str]:
    """Champion model ids, oldest first, current last, from alias changes in the order they happened."""
    stack: list[str] = []
    for change in changes:
        if change["alias"] != "champion" or change["to_model_id"] is None:
            continue
        if change["action"] == ROLLBACK:
            if stack:
                stack.pop()
            if not stack or stack[-1] != change["to_model_id"]:
                stack.append(str(change["to_model_id"]))
        else:
            stack.append(str(change["to_model_id"]))
    return stack


def rollback_target(changes: Iterable[Mapping[str, Any]], current_champion: str | None) -> str:
    """The model a rollback makes champion again; NothingToRollBackError with the reason otherwise."""
    stack = champion_stack(changes)
    if current_champion is None:
        raise NothingToRollBackError("there is no champion to roll back")
    if not stack or stack[-1] != current_champion:
        raise NothingToRollBackError(
            f"champion {current_champion} did not become champion through a recorded alias change; "
            "promote the model you want instead"
        )
    earlier = [model_id for model_id in stack[:-1] if model_id != current_champion]
    if not earlier:
        raise NothingToRollBackError(f"no champion before {current_champion} in the promotion history")
    return earlier[-1]
