"""Backtest systems (``<system_id>_wf_s<seed>``) never reach production's operator surfaces.

A walk-forward writes its predictions and grades into the production tables through the production services.
Afterwards sharpness, diagnostics (diagnoses, alerts, shadow comparisons), the watchdog and the operator views
must see only the deployed systems: a backtest is evidence for ``courtside experiment``, not a shadow.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.domain.features import CONTRACT_V1
from shared.domain.systems import is_production_system
from shared.events import GradingComplete, ScheduledRun
from shared.experiment_config import parse_experiment_config
from shared.runtime import handle_cloud_event
from shared.services.experiment_reports import run_evidence
from shared.services.feature_store import build_features
from shared.services.grading import grade_date
from shared.services.training import DEFAULT_SYSTEM_ID, train_model
from shared.services.views.completeness import completeness_calendar
from shared.services.views.graded import graded_summary
from shared.services.views.health import health
from shared.services.views.performance import performance
from shared.services.views.player import player_history
from shared.services.views.sharpness import sharpness_trend
from shared.services.views.today import todays_predictions
from shared.services.walk_forward import run_walk_forward
from shared.services.watchdog import check_silence
from tests.predict_fixtures import synthetic_league, table_rows
from tests.service.test_predict_pipeline import cloud_event, deliver_features_ready

START = date(2024, 10, 22)  # the synthetic league plays every other day from here for 60 days
PRODUCTION_DAYS = (date(2024, 11, 21), date(2024, 11, 23), date(2024, 11, 25))  # what the champion served
BACKTEST_ONLY_DAY = date(2024, 11, 29)  # a game day only the backtest predicted
BACKTEST = "wf_iso_wf_s3"


@pytest.fixture
def deployment_with_a_backtest(deps):
    """A champion that served three dates, then a walk-forward over those dates and the next week."""
    league = synthetic_league(START, 60)
    league.write(deps.warehouse)
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    train_model(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        START + timedelta(days=2),
        date(2024, 11, 14),
        date(2024, 11, 20),
        seed=1,
        alias="champion",
        iterations=10,
        now=eastern_datetime(date(2024, 11, 21), 0),
    )
    for day in PRODUCTION_DAYS:
        deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
        grade_date(deps.warehouse, day, eastern_datetime(day + timedelta(days=1), 3), deps.settings)
    config = parse_experiment_config(
        {
            "system_id": "wf_iso",
            "features": list(CONTRACT_V1.model_inputs),
            "catboost": {"iterations": 20, "depth": 3, "learning_rate": 0.1, "loss_function": "MAE"},
            "training_window": {
                "kind": "expanding",
                "start": str(START + timedelta(days=2)),
                "holdout_days": 6,
            },
            "retrain_every_days": 14,
            "evaluation": {"from": "2024-11-21", "to": "2024-12-04"},
            "seeds": [3],
        },
        "isolation.yaml",
    )
    report = run_walk_forward(
        deps.warehouse, deps.blobs, deps.settings, config, "isolation", 3, cache=deps.cache, commit="abc"
    )
    assert report.backtest_system_id == BACKTEST
    systems = {r["system_id"] for r in table_rows(deps.warehouse, "nba_predictions.prediction_accuracy", "1")}
    assert systems == {DEFAULT_SYSTEM_ID, BACKTEST}, (
        "the backtest must have graded rows for this test to mean anything"
    )
    return report


def _fields(day: date) -> dict[str, Any]:
    return {
        "game_date": day,
        "run_id": "run-1",
        "produced_by": "grading",
        "produced_at": eastern_datetime(day, 6),
    }


def _deliver_postgame(deps, day: date) -> None:
    event = GradingComplete(**_fields(day), gradable=1, graded=1, voided=0, pending=0)
    for function in ("sharpness", "diagnostics"):
        outcome = handle_cloud_event(
            function,
            cloud_event(function, "grading-complete", event, eastern_datetime(day + timedelta(days=1), 6)),
            deps,
        )
        # On the backtest-only date production graded nothing: sharpness skips (diagnostics flags the gap).
        skipped = function == "sharpness" and day == BACKTEST_ONLY_DAY
        assert outcome.status == ("skipped" if skipped else "success"), outcome


def _systems(deps, table: str) -> set[str]:
    return {str(r["system_id"]) for r in table_rows(deps.warehouse, table, "game_date")}


def test_the_domain_rule_names_backtest_systems():
    assert not is_production_system("catboost_points_v1_wf_s42")
    assert not is_production_system(BACKTEST)
    assert is_production_system(DEFAULT_SYSTEM_ID)
    assert is_production_system("catboost_points_v1_retrain")
    assert is_production_system(
        "catboost_points_v1_wf_shallow"
    )  # only the suffix with a seed marks a backtest


def test_sharpness_and_diagnostics_see_only_deployed_systems(deps, deployment_with_a_backtest):
    for day in (*PRODUCTION_DAYS, BACKTEST_ONLY_DAY):
        _deliver_postgame(deps, day)
    assert _systems(deps, "nba_predictions.vegas_sharpness_daily") == {DEFAULT_SYSTEM_ID}
    assert _systems(deps, "nba_orchestration.performance_diagnostics_daily") == {DEFAULT_SYSTEM_ID}
    assert _systems(deps, "nba_orchestration.shadow_comparison_daily") <= {DEFAULT_SYSTEM_ID}
    alerts = [event for topic, event in deps.bus.published if topic == "alerts"]  # type: ignore[attr-defined]
    assert not [a for a in alerts if BACKTEST in a.model_dump_json()]


def test_the_grading_function_grades_only_production_systems(deps, deployment_with_a_backtest):
    def backtest_grades() -> list[dict[str, Any]]:
        rows = table_rows(deps.warehouse, "nba_predictions.prediction_accuracy", "game_date, player_id")
        return [dict(r) for r in rows if r["system_id"] == BACKTEST]

    before = backtest_grades()
    day = PRODUCTION_DAYS[0]
    report = grade_date(deps.warehouse, day, eastern_datetime(day + timedelta(days=2), 3), deps.settings)
    champion = [
        r
        for r in table_rows(deps.warehouse, "nba_predictions.prediction_accuracy", "player_id")
        if r["game_date"] == day and r["system_id"] == DEFAULT_SYSTEM_ID
    ]
    assert report.gradable == len(champion) > 0
    assert backtest_grades() == before  # a regrade of the date neither counts nor rewrites the backtest's


def test_the_watchdog_is_not_fooled_by_backtest_predictions(deps, deployment_with_a_backtest):
    # Production never predicted BACKTEST_ONLY_DAY: the backtest's rows must not count as production's.
    now = eastern_datetime(date(2024, 12, 6), 9, 30)
    findings = check_silence(deps.warehouse, now, date(2024, 12, 6))
    evidence = " ".join(line for finding in findings for line in finding.evidence)
    assert str(BACKTEST_ONLY_DAY) in evidence, findings
    outcome = handle_cloud_event(
        "diagnostics",
        cloud_event(
            "diagnostics",
            "diagnostics-requested",
            ScheduledRun(schedule="morning-watchdog", relative_day="today"),
            now,
        ),
        deps,
    )
    assert outcome.status == "success", outcome
    alerts = [event for topic, event in deps.bus.published if topic == "alerts"]  # type: ignore[attr-defined]
    assert alerts and not [a for a in alerts if BACKTEST in a.model_dump_json()]


def test_the_operator_views_show_only_deployed_systems(deps, deployment_with_a_backtest):
    day = PRODUCTION_DAYS[1]
    _deliver_postgame(deps, day)
    assert {row["system"] for row in todays_predictions(deps.warehouse, day)} == {DEFAULT_SYSTEM_ID}
    assert all(row["shadows_agree"] is None for row in todays_predictions(deps.warehouse, day))
    assert {row["system"] for row in graded_summary(deps.warehouse, day)} == {DEFAULT_SYSTEM_ID}
    view = health(deps.warehouse, day)
    assert {row["system"] for row in view.systems} == {DEFAULT_SYSTEM_ID}
    assert {row["system"] for row in view.shadow_comparison} == {DEFAULT_SYSTEM_ID}
    assert view.latest_model is not None and is_production_system(str(view.latest_model["system_id"]))
    some_player = next(
        r["player_id"] for r in table_rows(deps.warehouse, "nba_predictions.prediction_accuracy", "player_id")
    )
    history = player_history(deps.warehouse, str(some_player), BACKTEST_ONLY_DAY)
    assert {row["system"] for row in history.predictions} == {DEFAULT_SYSTEM_ID}
    assert sharpness_trend(deps.warehouse, day)["system"] == DEFAULT_SYSTEM_ID
    assert performance(deps.warehouse, day)["system"] == DEFAULT_SYSTEM_ID
    calendar = {row["game_date"]: row for row in completeness_calendar(deps.warehouse, BACKTEST_ONLY_DAY)}
    served = {
        r["game_date"]
        for r in table_rows(deps.warehouse, "nba_predictions.player_prop_predictions", "1")
        if r["system_id"] == DEFAULT_SYSTEM_ID
    }
    assert served == set(PRODUCTION_DAYS)
    backtest_only = calendar[BACKTEST_ONLY_DAY]
    assert backtest_only["predictions"] == 0 and backtest_only["graded"] == 0, backtest_only


def test_experiment_reports_still_read_the_backtest(deps, deployment_with_a_backtest):
    evidence = run_evidence(deps.warehouse, deployment_with_a_backtest.run_id)
    assert evidence.run["backtest_system_id"] == BACKTEST
    assert evidence.rows and any(row.is_bet for row in evidence.rows)
