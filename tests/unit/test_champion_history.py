"""Which champion a rollback restores: the alias history is a stack, a second rollback goes further back."""

from __future__ import annotations

import pytest

from shared.domain.champion_history import NothingToRollBackError, champion_stack, rollback_target


def change(action: str, to: str | None, alias: str = "champion") -> dict[str, str | None]:
    return {"action": action, "alias": alias, "to_model_id": to}


def test_rollback_restores_the_previous_champion_then_one_further_back() -> None:
    history = [
        change("assign", "A"),
        change("promote", "B"),
        change("assign", "S", "shadow"),
        change("promote", "C"),
    ]
    assert champion_stack(history) == ["A", "B", "C"]
    assert rollback_target(history, "C") == "B"
    history.append(change("rollback", "B"))
    assert champion_stack(history) == ["A", "B"]
    assert rollback_target(history, "B") == "A"
    history.append(change("rollback", "A"))
    with pytest.raises(NothingToRollBackError, match="no champion before A"):
        rollback_target(history, "A")


def test_a_model_promoted_again_rolls_back_to_the_one_it_replaced() -> None:
    history = [change("promote", "A"), change("promote", "B"), change("promote", "A")]
    assert rollback_target(history, "A") == "B"


def test_rollback_is_refused_without_a_champion_or_a_recorded_one() -> None:
    with pytest.raises(NothingToRollBackError, match="no champion to roll back"):
        rollback_target([], None)
    with pytest.raises(NothingToRollBackError, match="did not become champion through a recorded"):
        rollback_target([change("promote", "A")], "X")
    shadow_only = [change("promote", "S", "shadow"), change("demote", None, "shadow")]
    assert champion_stack(shadow_only) == []
