"""Unit tests of feature contracts v1 and v2 (shared.domain.features)."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from shared.domain.features import (
    CONTRACT_V1,
    CONTRACT_V2,
    CONTRACTS,
    CURRENT_CONTRACT,
    FEATURE_NAMES,
    FEATURE_VERSION,
    FEATURES,
    FEATURES_BY_NAME,
    MODEL_FEATURES,
    FeatureDtype,
    apply_defaults,
    contract_markdown_table,
    contract_of,
    defaulted_inputs,
    features_hash,
    injury_status_code,
    is_production_ready,
    missing_features,
    model_input_vector,
    serves,
    validate_ranges,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "features.md"


def complete_row() -> dict[str, float | None]:
    return {
        "pts_avg_last5": 22.4,
        "pts_avg_last10": 21.7,
        "pts_avg_season": 20.95,
        "pts_std_last10": 6.1,
        "min_avg_last5": 34.2,
        "min_avg_last10": 33.8,
        "fga_avg_last10": 17.3,
        "fta_avg_last10": 5.2,
        "fg3a_avg_last10": 6.6,
        "rest_days": 1,
        "is_back_to_back": 0,
        "is_home": 1,
        "opp_pts_allowed_last10": 116.4,
        "games_played_season": 38,
        "injury_status_code": 0,
        "line_value": 21.5,
        "line_movement": 1.0,
        "has_line": 1,
        "pts_slope_last10": 0.35,
        "pts_zscore_last3": -0.4,
        "teammates_out_pts": 18.2,
        "teammates_out_min": 31.5,
    }


# --- registry ------------------------------------------------------------------------------------


def test_version_and_registry_shape() -> None:
    assert FEATURE_VERSION == "v2"
    assert CURRENT_CONTRACT is CONTRACT_V2
    assert len(FEATURES) == 22
    assert len(CONTRACT_V1.features) == 18
    assert FEATURE_NAMES[:3] == ("pts_avg_last5", "pts_avg_last10", "pts_avg_season")
    assert set(FEATURES_BY_NAME) == set(FEATURE_NAMES)


def test_v2_is_v1_with_four_features_appended() -> None:
    assert CONTRACT_V2.features[:18] == CONTRACT_V1.features
    assert CONTRACT_V2.names[18:] == (
        "pts_slope_last10",
        "pts_zscore_last3",
        "teammates_out_pts",
        "teammates_out_min",
    )
    assert set(CONTRACTS) == {"v1", "v2"}


def test_model_features_are_registry_ordered_and_exclude_line_features() -> None:
    assert len(MODEL_FEATURES) == 19
    assert len(CONTRACT_V1.model_inputs) == 15
    inputs_in_registry_order = tuple(name for name in FEATURE_NAMES if FEATURES_BY_NAME[name].is_model_input)
    assert inputs_in_registry_order == MODEL_FEATURES
    assert {"line_value", "line_movement", "has_line"}.isdisjoint(MODEL_FEATURES)
    assert CONTRACT_V1.model_inputs[-1] == "injury_status_code"
    assert MODEL_FEATURES[:15] == CONTRACT_V1.model_inputs


def test_rows_of_a_contract_serve_every_contract_inside_it() -> None:
    assert serves("v2", "v1") and serves("v2", "v2") and serves("v1", "v1")
    assert not serves("v1", "v2")  # v1 rows lack v2's features
    with pytest.raises(ValueError, match="unknown feature version 'v9'"):
        contract_of("v9")


def test_defaulted_inputs_are_counted_per_contract() -> None:
    raw = complete_row()
    raw["pts_zscore_last3"] = None
    raw["fga_avg_last10"] = None
    assert defaulted_inputs(raw, CONTRACT_V2) == ("fga_avg_last10", "pts_zscore_last3")
    assert defaulted_inputs(raw, CONTRACT_V1) == ("fga_avg_last10",)


def test_every_default_is_valid_for_its_dtype() -> None:
    for spec in FEATURES:
        assert spec.min_value <= spec.default <= spec.max_value, spec.name
        if spec.dtype is not FeatureDtype.FLOAT:
            assert float(spec.default).is_integer(), spec.name


# --- defaults ------------------------------------------------------------------------------------


def test_apply_defaults_keeps_present_values_and_counts_nothing() -> None:
    values, defaulted = apply_defaults(complete_row())
    assert defaulted == 0
    assert list(values) == list(FEATURE_NAMES)
    assert values["pts_avg_last5"] == 22.4
    assert values["games_played_season"] == 38.0
    assert all(isinstance(value, float) for value in values.values())


def test_apply_defaults_fills_none_nan_and_absent_and_counts_model_inputs() -> None:
    raw = complete_row()
    raw["fga_avg_last10"] = None
    raw["fta_avg_last10"] = math.nan
    del raw["fg3a_avg_last10"]
    values, defaulted = apply_defaults(raw)
    assert (values["fga_avg_last10"], values["fta_avg_last10"], values["fg3a_avg_last10"]) == (7.0, 2.0, 2.5)
    assert defaulted == 3


def test_missing_line_features_are_defaulted_but_not_counted() -> None:
    raw = complete_row()
    raw["line_value"] = None
    raw["line_movement"] = None
    raw["has_line"] = None
    values, defaulted = apply_defaults(raw)
    assert (values["line_value"], values["line_movement"], values["has_line"]) == (0.0, 0.0, 0.0)
    assert defaulted == 0


def test_empty_row_is_all_defaults() -> None:
    values, defaulted = apply_defaults({})
    assert defaulted == len(MODEL_FEATURES)
    assert values == {spec.name: float(spec.default) for spec in FEATURES}
    assert validate_ranges(values) == []


def test_apply_defaults_rejects_unknown_feature() -> None:
    with pytest.raises(ValueError, match="pts_avg_last7"):
        apply_defaults({"pts_avg_last7": 10.0})


def test_missing_features_lists_in_registry_order() -> None:
    raw = complete_row()
    raw["pts_std_last10"] = None
    raw["pts_avg_last5"] = math.nan
    del raw["has_line"]
    assert missing_features(raw) == ("pts_avg_last5", "pts_std_last10", "has_line")


# --- injury codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [("AVAILABLE", 0), ("probable", 1), ("Questionable", 2), (" DOUBTFUL ", 3), ("OUT", 4)],
)
def test_injury_status_codes(status: str, code: int) -> None:
    assert injury_status_code(status, report_available=True) == code


def test_injury_status_absent_from_report_is_available_and_no_report_is_unknown() -> None:
    assert injury_status_code(None, report_available=True) == 0
    assert injury_status_code(None, report_available=False) is None


def test_unknown_injury_status_is_refused() -> None:
    with pytest.raises(ValueError, match="day-to-day"):
        injury_status_code("day-to-day", report_available=True)


# --- ranges --------------------------------------------------------------------------------------


def test_complete_row_is_valid() -> None:
    values, _ = apply_defaults(complete_row())
    assert validate_ranges(values) == []


def test_validate_ranges_reports_each_problem() -> None:
    values, _ = apply_defaults(complete_row())
    values["pts_avg_last5"] = -1.0
    values["rest_days"] = 1.5
    values["opp_pts_allowed_last10"] = math.inf
    values["injury_status_code"] = 5.0
    problems = validate_ranges(values)
    assert len(problems) == 4
    assert any(problem.startswith("pts_avg_last5: -1.0 outside") for problem in problems)
    assert any(problem.startswith("rest_days: 1.5 is not a whole number") for problem in problems)
    assert any(problem.startswith("opp_pts_allowed_last10: not a finite") for problem in problems)
    assert any(problem.startswith("injury_status_code: 5.0 outside") for problem in problems)


def test_validate_ranges_reports_missing_and_unknown() -> None:
    values, _ = apply_defaults(complete_row())
    del values["is_home"]
    values["mystery"] = 1.0
    assert validate_ranges(values) == ["unknown features: ['mystery']", "is_home: missing"]


def test_validate_ranges_checks_line_consistency() -> None:
    values, _ = apply_defaults(complete_row())
    values["line_value"] = 21.847
    assert validate_ranges(values) == ["line_value 21.847 is not a whole or half point line"]
    values["line_value"] = 21.5
    values["has_line"] = 0.0
    assert validate_ranges(values) == ["has_line is 0 but line_value/line_movement are not 0"]


# --- hash ----------------------------------------------------------------------------------------


V1_PAYLOAD = (
    "version=v1|pts_avg_last5=22.400000|pts_avg_last10=21.700000|pts_avg_season=20.950000"
    "|pts_std_last10=6.100000|min_avg_last5=34.200000|min_avg_last10=33.800000|fga_avg_last10=17.300000"
    "|fta_avg_last10=5.200000|fg3a_avg_last10=6.600000|rest_days=1.000000|is_back_to_back=0.000000"
    "|is_home=1.000000|opp_pts_allowed_last10=116.400000|games_played_season=38.000000"
    "|injury_status_code=0.000000|line_value=21.500000|line_movement=1.000000|has_line=1.000000"
)


def test_features_hash_matches_hand_built_payload() -> None:
    values, _ = apply_defaults(complete_row())
    v2_payload = V1_PAYLOAD.replace("version=v1", "version=v2") + (
        "|pts_slope_last10=0.350000|pts_zscore_last3=-0.400000|teammates_out_pts=18.200000"
        "|teammates_out_min=31.500000"
    )
    assert features_hash(values) == hashlib.sha256(v2_payload.encode()).hexdigest()


def test_a_v1_hash_of_a_v2_row_is_the_hash_v1_always_gave() -> None:
    # A v1 model's predictions keep their hashes (and so their versions) now that rows also carry v2.
    values, _ = apply_defaults(complete_row())
    assert features_hash(values, CONTRACT_V1) == hashlib.sha256(V1_PAYLOAD.encode()).hexdigest()
    only_v2_changed = dict(values, teammates_out_pts=0.0)
    assert features_hash(only_v2_changed, CONTRACT_V1) == features_hash(values, CONTRACT_V1)
    assert features_hash(only_v2_changed) != features_hash(values)


def test_features_hash_is_stable_across_order_and_float_noise() -> None:
    values, _ = apply_defaults(complete_row())
    reordered = dict(reversed(list(values.items())))
    noisy = dict(values)
    noisy["pts_avg_last5"] = 22.4 + 1e-10
    noisy["line_movement"] = 1.0 - 1e-12
    first = features_hash(values)
    assert len(first) == 64
    assert features_hash(values) == first
    assert features_hash(reordered) == first
    assert features_hash(noisy) == first


def test_negative_zero_hashes_like_zero() -> None:
    values, _ = apply_defaults(complete_row())
    values["line_movement"] = 0.0
    zero = features_hash(values)
    values["line_movement"] = -0.0
    assert features_hash(values) == zero
    values["line_movement"] = -1e-9
    assert features_hash(values) == zero


def test_changed_line_changes_the_hash() -> None:
    values, _ = apply_defaults(complete_row())
    moved = dict(values, line_value=22.5, line_movement=2.0)
    assert features_hash(moved) != features_hash(values)


def test_features_hash_requires_a_complete_finite_row() -> None:
    values, _ = apply_defaults(complete_row())
    incomplete = dict(values)
    del incomplete["has_line"]
    with pytest.raises(ValueError, match="has_line"):
        features_hash(incomplete)
    with pytest.raises(ValueError, match="non-finite"):
        features_hash(dict(values, pts_avg_last5=math.nan))
    with pytest.raises(ValueError, match="unknown"):
        features_hash(dict(values, extra=1.0))


# --- model inputs and readiness ------------------------------------------------------------------


def test_model_input_vector_follows_model_features_order() -> None:
    values, _ = apply_defaults(complete_row())
    vector = model_input_vector(values)
    assert len(vector) == 19
    assert vector[0] == 22.4
    assert vector[MODEL_FEATURES.index("opp_pts_allowed_last10")] == 116.4
    assert vector[-4:] == [0.35, -0.4, 18.2, 31.5]
    assert model_input_vector(values, CONTRACT_V1) == vector[:15]


@pytest.mark.parametrize(
    ("history_games", "defaulted", "ready"),
    [(5, 0, True), (4, 0, False), (30, 4, True), (30, 5, False), (0, 15, False)],
)
def test_is_production_ready(history_games: int, defaulted: int, ready: bool) -> None:
    assert is_production_ready(history_games, defaulted) is ready


# --- documentation -------------------------------------------------------------------------------


def test_docs_embed_the_registry_table_and_the_leakage_rule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert contract_markdown_table() in text
    assert "STRICTLY BEFORE the game date" in text
    for spec in FEATURES:
        assert f"`{spec.name}`" in text
