"""The training policy: the season's training window, and one aliased system per alias, champion first."""

from __future__ import annotations

from datetime import date

from shared.services.model_registry import ALIASES, CHAMPION
from shared.services.training_policy import ALIASED_SYSTEMS, HOLDOUT_DAYS, TRAINING_DAYS, training_window


def test_the_window_trains_on_the_first_days_and_holds_out_the_next_ones() -> None:
    window = training_window(date(2025, 10, 21), training_days=3, holdout_days=2)
    assert window == (date(2025, 10, 21), date(2025, 10, 23), date(2025, 10, 25))
    default = training_window(date(2025, 10, 21))
    assert (default.train_to - default.train_from).days == TRAINING_DAYS - 1
    assert (default.holdout_to - default.train_to).days == HOLDOUT_DAYS


def test_every_alias_has_exactly_one_system_and_the_champion_trains_first() -> None:
    assert sorted(system.alias for system in ALIASED_SYSTEMS) == sorted(ALIASES)
    assert ALIASED_SYSTEMS[0].alias == CHAMPION
    assert len({system.system_id for system in ALIASED_SYSTEMS}) == len(ALIASED_SYSTEMS)
