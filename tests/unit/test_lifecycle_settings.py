"""The model-lifecycle settings: auto-promotion refuses to be turned on; the retrain window is validated."""

from __future__ import annotations

import pytest

from shared.settings import Settings, SettingsError


@pytest.mark.parametrize("value", ["true", "1", "yes", "on", "TRUE"])
def test_auto_promotion_is_refused_rather_than_silently_ignored(value: str) -> None:
    with pytest.raises(SettingsError, match="COURTSIDE_AUTO_PROMOTE is not implemented"):
        Settings.from_env({"COURTSIDE_AUTO_PROMOTE": value})


@pytest.mark.parametrize("value", ["", "0", "false", "off", "no"])
def test_auto_promotion_off_is_the_default(value: str) -> None:
    assert Settings.from_env({"COURTSIDE_AUTO_PROMOTE": value}).auto_promote is False
    assert Settings.from_env({}).auto_promote is False


def test_retrain_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "COURTSIDE_RETRAIN_SYSTEM_ID": "retrain_x",
            "COURTSIDE_RETRAIN_TRAINING_DAYS": "60",
            "COURTSIDE_RETRAIN_HOLDOUT_DAYS": "14",
        }
    )
    assert (settings.retrain_system_id, settings.retrain_training_days, settings.retrain_holdout_days) == (
        "retrain_x",
        60,
        14,
    )
    for bad in ("0", "-3", "ninety"):
        with pytest.raises(SettingsError, match="COURTSIDE_RETRAIN_TRAINING_DAYS"):
            Settings.from_env({"COURTSIDE_RETRAIN_TRAINING_DAYS": bad})


def test_promotion_minimum_bets_defaults_to_the_threshold_and_is_validated() -> None:
    assert Settings.from_env({}).promotion_min_bets == 500
    assert Settings.from_env({"COURTSIDE_PROMOTION_MIN_BETS": "800"}).promotion_min_bets == 800
    for bad in ("0", "many"):
        with pytest.raises(SettingsError, match="COURTSIDE_PROMOTION_MIN_BETS"):
            Settings.from_env({"COURTSIDE_PROMOTION_MIN_BETS": bad})
