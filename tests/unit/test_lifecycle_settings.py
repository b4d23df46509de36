"""The model-lifecycle settings: auto-promotion is refused; the retrain experiment is validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.settings import Settings, SettingsError

REPO_ROOT = Path(__file__).resolve().parents[2]


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
        {"COURTSIDE_RETRAIN_SYSTEM_ID": "retrain_x", "COURTSIDE_RETRAIN_EXPERIMENT": "v1_median"}
    )
    assert (settings.retrain_system_id, settings.retrain_experiment) == ("retrain_x", "v1_median")
    assert settings.retrain_experiment_path == REPO_ROOT / "experiments" / "v1_median.yaml"
    default = Settings.from_env({})
    assert default.retrain_experiment == "v1_baseline" and default.retrain_experiment_path.is_file()


def test_a_retrain_experiment_without_its_config_is_refused_by_name() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"COURTSIDE_RETRAIN_EXPERIMENT": "v9_missing"})
    message = str(refused.value)
    assert "COURTSIDE_RETRAIN_EXPERIMENT='v9_missing'" in message and "v9_missing.yaml" in message
    assert "v1_baseline" in message  # the configs that do exist are listed
    for path_like in ("experiments/v1_baseline.yaml", "../v1_baseline", "v1_baseline.yaml/"):
        with pytest.raises(SettingsError, match=r"not a path|there is no"):
            Settings.from_env({"COURTSIDE_RETRAIN_EXPERIMENT": path_like})


@pytest.mark.parametrize("variable", ["COURTSIDE_RETRAIN_TRAINING_DAYS", "COURTSIDE_RETRAIN_HOLDOUT_DAYS"])
def test_the_retired_window_variables_are_refused_not_ignored(variable: str) -> None:
    with pytest.raises(SettingsError, match=f"{variable} was replaced by COURTSIDE_RETRAIN_EXPERIMENT"):
        Settings.from_env({variable: "60"})


def test_a_retrain_system_named_like_a_backtest_is_refused() -> None:
    with pytest.raises(SettingsError, match="backtest"):
        Settings.from_env({"COURTSIDE_RETRAIN_SYSTEM_ID": "catboost_points_v1_wf_s42"})


def test_promotion_minimum_bets_defaults_to_the_threshold_and_is_validated() -> None:
    assert Settings.from_env({}).promotion_min_bets == 500
    assert Settings.from_env({"COURTSIDE_PROMOTION_MIN_BETS": "800"}).promotion_min_bets == 800
    for bad in ("0", "many"):
        with pytest.raises(SettingsError, match="COURTSIDE_PROMOTION_MIN_BETS"):
            Settings.from_env({"COURTSIDE_PROMOTION_MIN_BETS": bad})
