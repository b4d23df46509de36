"""Experiment configs: the shipped baseline loads, and every bad file is refused with file, key and reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.domain.features import CONTRACT_V1, CONTRACT_V2
from shared.experiment_config import ExperimentConfigError, load_experiment_config, parse_experiment_config
from shared.services.training import (
    DEFAULT_DEPTH,
    DEFAULT_ITERATIONS,
    DEFAULT_LEARNING_RATE,
    DEFAULT_LOSS_FUNCTION,
    DEFAULT_SYSTEM_ID,
)
from tests.conftest import REPO_ROOT

BASELINE = REPO_ROOT / "experiments" / "v1_baseline.yaml"


def baseline_data() -> dict[str, Any]:
    data = yaml.safe_load(BASELINE.read_text())
    assert isinstance(data, dict)
    return data


def refusal(data: Any) -> str:
    with pytest.raises(ExperimentConfigError) as caught:
        parse_experiment_config(data, "experiments/bad.yaml")
    return str(caught.value)


def test_the_shipped_baseline_matches_the_champion_training_defaults():
    config = load_experiment_config(BASELINE)
    assert config.system_id == DEFAULT_SYSTEM_ID
    assert tuple(config.features) == CONTRACT_V1.model_inputs
    assert (config.catboost.iterations, config.catboost.depth) == (DEFAULT_ITERATIONS, DEFAULT_DEPTH)
    assert config.catboost.learning_rate == DEFAULT_LEARNING_RATE
    assert config.catboost.loss_function == DEFAULT_LOSS_FUNCTION
    assert config.seeds == [42]
    assert len(config.config_hash) == 64


def test_each_v2_config_is_its_v1_twin_with_v2_features():
    for v1_name, v2_name in (("v1_baseline", "v2_baseline"), ("v1_median", "v2_median")):
        v1 = load_experiment_config(REPO_ROOT / "experiments" / f"{v1_name}.yaml")
        v2 = load_experiment_config(REPO_ROOT / "experiments" / f"{v2_name}.yaml")
        assert (v2.feature_version, tuple(v2.features)) == ("v2", CONTRACT_V2.model_inputs)
        same = ("catboost", "training_window", "retrain_every_days", "evaluation", "seeds")
        assert {key: getattr(v2, key) for key in same} == {key: getattr(v1, key) for key in same}
        assert v2.system_id != v1.system_id


def test_a_v1_config_may_not_list_v2_features():
    data = {**baseline_data(), "features": list(CONTRACT_V2.model_inputs)}
    assert "features not in contract v1: ['pts_slope_last10'" in refusal(data)


def test_every_config_in_experiments_is_valid():
    for path in sorted((REPO_ROOT / "experiments").glob("*.yaml")):
        load_experiment_config(path)


def test_the_hash_changes_with_any_setting_and_not_with_key_order():
    data = baseline_data()
    same = parse_experiment_config(dict(reversed(list(data.items()))), "a.yaml")
    assert same.config_hash == parse_experiment_config(data, "b.yaml").config_hash
    changed = {**data, "catboost": {**data["catboost"], "depth": 4}}
    assert parse_experiment_config(changed, "c.yaml").config_hash != same.config_hash


def test_an_unknown_key_is_refused_with_the_file_and_the_key():
    data = baseline_data()
    data["catboost"]["depht"] = 4
    assert refusal(data) == "experiments/bad.yaml: catboost.depht: unknown key"
    top = {**baseline_data(), "learning_rate": 0.1}
    assert refusal(top) == "experiments/bad.yaml: learning_rate: unknown key"


def test_a_wrong_type_is_refused_with_the_key_and_the_reason():
    data = baseline_data()
    data["retrain_every_days"] = "monthly"
    message = refusal(data)
    assert message.startswith("experiments/bad.yaml: retrain_every_days: ")
    assert "valid integer" in message
    data = baseline_data()
    data["catboost"]["loss_function"] = "Poisson"
    assert "catboost.loss_function: Input should be 'RMSE' or 'MAE'" in refusal(data)


def test_every_problem_is_listed():
    data = baseline_data()
    data["seeds"] = []
    data["evaluation"]["form"] = data["evaluation"].pop("from")  # a typo
    message = refusal(data)
    assert "seeds: List should have at least 1 item" in message
    assert "evaluation.form: unknown key" in message
    assert "evaluation.from: Field required" in message


def test_an_unknown_feature_name_is_refused():
    data = baseline_data()
    data["features"] = [*data["features"], "pts_avg_last99"]
    message = refusal(data)
    assert "features not in contract v1: ['pts_avg_last99']" in message


def test_a_stored_column_that_is_not_a_model_input_is_refused():
    data = baseline_data()
    data["features"] = [*data["features"], "line_value"]
    assert "not model inputs in v1: ['line_value']" in refusal(data)


def test_a_missing_model_input_is_refused():
    data = baseline_data()
    data["features"] = data["features"][1:]
    assert "missing ['pts_avg_last5']" in refusal(data)


def test_window_rules():
    data = baseline_data()
    data["training_window"] = {"kind": "rolling", "holdout_days": 14}
    assert "training_window: Value error, a rolling window needs days" in refusal(data)
    data["training_window"] = {"kind": "expanding", "start": "2026-02-01"}
    assert "training_window.start must be before evaluation.from" in refusal(data)
    data = baseline_data()
    data["evaluation"] = {"from": "2026-03-01", "to": "2026-02-01"}
    assert "evaluation: Value error, to is before from" in refusal(data)


def test_unreadable_files_name_the_file(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("system_id: [unclosed\n")
    with pytest.raises(ExperimentConfigError, match=r"broken\.yaml: not valid YAML"):
        load_experiment_config(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(
        ExperimentConfigError, match=r"list\.yaml: the file must hold a mapping of keys, not list"
    ):
        load_experiment_config(listed)
    with pytest.raises(ExperimentConfigError, match=r"missing\.yaml: cannot read"):
        load_experiment_config(tmp_path / "missing.yaml")


def test_a_system_id_named_like_a_backtest_is_refused():
    data = {**baseline_data(), "system_id": "catboost_points_v1_wf_s42"}
    assert "system_id: Value error, 'catboost_points_v1_wf_s42' ends like a backtest system" in refusal(data)


def test_the_window_before_a_date_ends_the_day_before_with_its_holdout():
    config = load_experiment_config(BASELINE)
    window = config.training_window.before(date(2026, 1, 29))
    assert window == (config.training_window.start, date(2026, 1, 14), date(2026, 1, 28))
