"""Walk-forward backtests through the production prediction and grading services, on a synthetic league."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.domain.features import CONTRACT_V1, CONTRACTS
from shared.experiment_config import ExperimentConfig, parse_experiment_config
from shared.runtime import handle_cloud_event
from shared.services.feature_store import build_features
from shared.services.grading import grade_date
from shared.services.model_registry import aliased_models, assign_alias
from shared.services.training import train_model
from shared.services.walk_forward import backtest_system_id, plan_folds, run_walk_forward
from tests.predict_fixtures import injury, synthetic_league, table_rows, write_raw
from tests.service.test_predict_pipeline import cloud_event, deliver_features_ready, features_ready

START = date(2024, 10, 22)  # the synthetic league plays every other day from here for 60 days


def config(**overrides: Any) -> ExperimentConfig:
    data: dict[str, Any] = {
        "system_id": "wf_test",
        "features": list(CONTRACT_V1.model_inputs),
        "catboost": {"iterations": 20, "depth": 3, "learning_rate": 0.1, "loss_function": "MAE"},
        "training_window": {"kind": "expanding", "start": str(START + timedelta(days=2)), "holdout_days": 6},
        "retrain_every_days": 14,
        "evaluation": {"from": "2024-11-21", "to": "2024-12-19"},
        "seeds": [3],
    }
    data.update(overrides)
    return parse_experiment_config(data, "test.yaml")


@pytest.fixture
def league(deps):
    league = synthetic_league(START, 60)
    league.write(deps.warehouse)
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    return league


def run(deps, cfg: ExperimentConfig):
    return run_walk_forward(
        deps.warehouse, deps.blobs, deps.settings, cfg, "test", cfg.seeds[0], cache=deps.cache, commit="abc"
    )


def fold_figures(deps, run_id: str, fold_index: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    folds = [
        dict(row)
        for row in table_rows(deps.warehouse, "nba_predictions.experiment_folds", "fold_index")
        if row["run_id"] == run_id and row["fold_index"] == fold_index
    ]
    rows = [
        row
        for row in table_rows(deps.warehouse, "nba_predictions.experiment_rows", "game_date, player_id")
        if row["run_id"] == run_id and row["fold_index"] == fold_index
    ]
    return folds, rows


def test_folds_never_train_on_their_own_dates():
    folds = plan_folds(config(), date(2024, 11, 21), date(2024, 12, 19))
    assert [(f.fold_from, f.fold_to) for f in folds] == [
        (date(2024, 11, 21), date(2024, 12, 4)),
        (date(2024, 12, 5), date(2024, 12, 18)),
        (date(2024, 12, 19), date(2024, 12, 19)),
    ]
    for fold in folds:
        assert fold.train_to < fold.holdout_to < fold.fold_from
        assert fold.holdout_to == fold.fold_from - timedelta(days=1)
    rolling = config(training_window={"kind": "rolling", "days": 20, "holdout_days": 6})
    assert [f.train_from for f in plan_folds(rolling, date(2024, 11, 21), date(2024, 12, 4))] == [
        date(2024, 11, 1)
    ]


def champion_rows(deps) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [row for row in table_rows(deps.warehouse, table, key) if row["is_champion"]]
        for table, key in (
            ("nba_predictions.player_prop_predictions", "prediction_id"),
            ("nba_predictions.prediction_accuracy", "game_date, player_id, system_id"),
        )
    }


def test_walk_forward_writes_evidence_under_its_own_system_and_reruns_identically(deps, league):
    # A deployed champion predicted and graded a date the backtest covers: its rows must stay untouched.
    champion_day = date(2024, 11, 23)
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
    deliver_features_ready(deps, champion_day, eastern_datetime(champion_day, 18, 1))
    grade_date(
        deps.warehouse, champion_day, eastern_datetime(champion_day + timedelta(days=1), 3), deps.settings
    )
    champion = champion_rows(deps)
    assert champion["nba_predictions.prediction_accuracy"]

    cfg = config()
    report = run(deps, cfg)
    assert champion_rows(deps) == champion
    system = backtest_system_id(cfg, 3)
    assert report.backtest_system_id == system == "wf_test_wf_s3"
    assert len(report.folds) == 3 and all(f.dates_predicted > 0 for f in report.folds)
    predictions = [
        row
        for row in table_rows(deps.warehouse, "nba_predictions.player_prop_predictions", "prediction_id")
        if not row["is_champion"]
    ]
    assert {row["system_id"] for row in predictions} == {system}
    evidence = table_rows(deps.warehouse, "nba_predictions.experiment_rows", "game_date, player_id")
    assert len(evidence) == len(predictions)  # one current prediction per player-game, all in the evidence
    bets = [row for row in evidence if row["is_bet"]]
    assert bets and all(row["recommendation"] in ("OVER", "UNDER") for row in bets)
    assert all(row["line_source"] == "ACTUAL_PROP" and row["grade_status"] == "graded" for row in bets)
    graded = table_rows(deps.warehouse, "nba_predictions.prediction_accuracy", "game_date, player_id")
    assert {row["system_id"] for row in graded if not row["is_champion"]} == {system}
    # Each fold predicted only with its own model, trained before the fold.
    folds = table_rows(deps.warehouse, "nba_predictions.experiment_folds", "fold_index")
    for fold in folds:
        in_fold = [r for r in evidence if fold["fold_from"] <= r["game_date"] <= fold["fold_to"]]
        assert {r["model_id"] for r in in_fold} == {fold["model_id"]}
        assert fold["holdout_to"] < fold["fold_from"]
    lineage = table_rows(deps.warehouse, "nba_predictions.experiment_runs", "run_id")
    assert len(lineage) == 1
    assert lineage[0]["config_hash"] == cfg.config_hash and lineage[0]["git_commit"] == "abc"
    assert '"catboost"' in lineage[0]["library_versions"]

    keys = {
        "player_prop_predictions": "prediction_id",
        "prediction_accuracy": "game_date, player_id, system_id",
        "experiment_rows": "run_id, game_date, player_id",
        "experiment_folds": "run_id, fold_index",
        "model_registry": "model_id",
    }
    before = {t: table_rows(deps.warehouse, f"nba_predictions.{t}", key) for t, key in keys.items()}
    again = run(deps, cfg)
    assert again.run_id == report.run_id
    assert {t: table_rows(deps.warehouse, f"nba_predictions.{t}", key) for t, key in keys.items()} == before


def test_changing_data_after_a_fold_leaves_that_fold_unchanged(deps, league):
    cfg = config()
    report = run(deps, cfg)
    first = report.folds[0].fold
    before = fold_figures(deps, report.run_id, 0)
    assert before[1], "the first fold must have evidence rows for this test to mean anything"
    second_before = fold_figures(deps, report.run_id, 1)

    # Rewrite the future after the first fold: every box score (points tripled), every line (4 points higher)
    # and a new injury report for every player (QUESTIONABLE at 11:00 ET); then rebuild the later features.
    later = [b for b in league.boxscores if b["game_date"] > first.fold_to]
    write_raw(
        deps.warehouse,
        boxscores=[{**b, "points": b["points"] * 3 + 1} for b in later],
        lines=[{**li, "line": li["line"] + 4} for li in league.lines if li["game_date"] > first.fold_to],
        injuries=[
            injury(b["game_date"], b["player_id"], "QUESTIONABLE", eastern_datetime(b["game_date"], 11))
            for b in later
        ],
    )
    for day in league.game_dates:
        if day > first.fold_to:
            build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    rerun = run(deps, cfg)
    assert fold_figures(deps, rerun.run_id, 0) == before
    # ... while the later folds did see it: fold 1 is graded on the new points, fold 2 trains on them.
    assert fold_figures(deps, rerun.run_id, 1) != second_before
    assert rerun.folds[2].model_id != report.folds[2].model_id


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_experiment_predicts_exactly_what_the_deployed_function_predicts(deps, league, version):
    cfg = config(
        evaluation={"from": "2024-11-21", "to": "2024-11-25"},
        feature_version=version,
        features=list(CONTRACTS[version].model_inputs),
    )
    report = run(deps, cfg)
    model_id = report.folds[0].model_id
    day = date(2024, 11, 23)
    fields = ("player_id", "predicted_points", "p_over", "edge", "recommendation", "line_value", "model_id")
    experiment = [
        {k: row[k] for k in fields}
        for row in table_rows(deps.warehouse, "nba_predictions.player_prop_predictions", "player_id")
        if row["game_date"] == day
    ]
    assert experiment
    # A fresh deployment of the fold's model as champion: the prediction function handles that date's
    # features-ready (the experiment's rows of the date are removed first, as a new deployment has none).
    deps.warehouse.execute(
        "DELETE FROM nba_predictions.player_prop_predictions WHERE game_date = @d", {"d": day}
    )
    assign_alias(deps.warehouse, model_id, "champion", eastern_datetime(day, 9))
    outcome = handle_cloud_event(
        "prediction",
        cloud_event("prediction", "features-ready", features_ready(day), eastern_datetime(day, 18, 1)),
        deps,
    )
    assert outcome.status == "success"
    deployed = [
        {k: row[k] for k in fields}
        for row in table_rows(deps.warehouse, "nba_predictions.player_prop_predictions", "player_id")
        if row["game_date"] == day and row["is_champion"]
    ]
    assert deployed == experiment

    # Rerunning the backtest retrains and re-registers the same model id: the alias it now holds stays.
    run(deps, cfg)
    assert [row["model_id"] for row in aliased_models(deps.warehouse)] == [model_id]
