"""Promotion with evidence on the embedded warehouse: the gates read the model's config's walk-forward run,
a refusal changes nothing, --force records, the alias history only grows, rollback restores the previous
champion (a second one goes one further back) and the prediction function serves whoever is champion."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from shared.clock import eastern_datetime
from shared.domain.promotion_gates import Gate, evaluate_gates, failed
from shared.domain.thresholds import PromotionGates
from shared.experiment_config import ExperimentConfig
from shared.services.feature_store import build_features
from shared.services.model_registry import CHAMPION, SHADOW, alias_holders
from shared.services.promotion import (
    PromotionRefusedError,
    demote,
    gather_evidence,
    promote,
    rollback,
)
from shared.services.promotion_log import MODEL_PROMOTIONS
from shared.services.training import train_model
from shared.services.walk_forward import run_walk_forward
from shared.sql import SQL_ROOT
from tests.conftest import REPO_ROOT
from tests.predict_fixtures import synthetic_league, table_rows
from tests.service.test_predict_pipeline import deliver_features_ready
from tests.service.test_walk_forward import START, config

T0 = datetime(2024, 11, 22, 12, tzinfo=UTC)


@pytest.fixture
def league(deps: Any) -> Any:
    league = synthetic_league(START, 60)
    league.write(deps.warehouse)
    for day in league.game_dates[1:]:
        build_features(deps.warehouse, day, eastern_datetime(day, 18), deps.settings)
    return league


def train(deps: Any, seed: int, *, alias: str | None = None, cfg: ExperimentConfig | None = None) -> str:
    report = train_model(
        deps.warehouse,
        deps.blobs,
        deps.settings,
        START + timedelta(days=2),
        date(2024, 11, 14),
        date(2024, 11, 20),
        seed=seed,
        system_id=cfg.system_id if cfg else f"promo_{seed}",
        alias=alias,  # type: ignore[arg-type]
        iterations=cfg.catboost.iterations if cfg else 10,
        depth=cfg.catboost.depth if cfg else 3,
        now=eastern_datetime(date(2024, 11, 21), 0) + timedelta(minutes=seed),
        config_lineage=cfg.lineage("test") if cfg else None,
    )
    return report.model_id


def champion(deps: Any) -> str:
    return str(alias_holders(deps.warehouse, CHAMPION)[0]["model_id"])


def history(deps: Any) -> list[dict[str, Any]]:
    return table_rows(deps.warehouse, MODEL_PROMOTIONS, "changed_at, promotion_id")


def promote_as_operator(deps: Any, model_id: str, at: datetime, **options: Any) -> Any:
    return promote(
        deps.warehouse, deps.blobs, deps.settings, model_id, reason="test", actor="tester", now=at, **options
    )


def test_gates_read_the_walk_forward_run_of_the_models_config(deps, league):
    cfg = config()
    report = run_walk_forward(
        deps.warehouse, deps.blobs, deps.settings, cfg, "test", 3, cache=deps.cache, commit="abc"
    )
    candidate = train(deps, 3, cfg=cfg)
    evidence, summary = gather_evidence(deps.warehouse, deps.blobs, candidate)
    stored = [
        r for r in table_rows(deps.warehouse, "nba_predictions.experiment_rows", "game_date") if r["is_bet"]
    ]
    assert evidence.config_hash == cfg.config_hash and evidence.run_id == report.run_id
    assert summary["bets"] == len(stored) > 0
    results = {r.gate: r for r in evaluate_gates(evidence, PromotionGates(min_bets=1))}
    assert results[Gate.EVIDENCE].passed and results[Gate.LOADABLE].passed, results
    assert results[Gate.CHAMPION].passed and "no champion yet" in results[Gate.CHAMPION].reason
    strict = {r.gate: r for r in evaluate_gates(evidence, PromotionGates(min_bets=len(stored) + 1))}
    assert not strict[Gate.EVIDENCE].passed

    # A champion of another config without a walk-forward over the same span: no evidence to pair with ...
    other = config(system_id="wf_other", catboost={"iterations": 12, "depth": 2, "learning_rate": 0.1})
    train(deps, 5, alias=CHAMPION, cfg=other)
    evidence, _ = gather_evidence(deps.warehouse, deps.blobs, candidate)
    gate = {r.gate: r for r in evaluate_gates(evidence, PromotionGates(min_bets=1))}[Gate.CHAMPION]
    assert not gate.passed and "no walk-forward run of its config" in gate.reason
    # ... until its config is walked forward over the candidate's span: then paired on the bets both made.
    champion_run = run_walk_forward(
        deps.warehouse, deps.blobs, deps.settings, other, "other", 3, cache=deps.cache, commit="abc"
    )
    evidence, summary = gather_evidence(deps.warehouse, deps.blobs, candidate)
    assert evidence.champion.run_id == champion_run.run_id
    assert evidence.champion.paired is not None and evidence.champion.paired.pairs > 0
    assert summary["paired_bets"] == evidence.champion.paired.pairs
    # An operator may name the run the gates read, but only a run of the model's own config.
    named, _ = gather_evidence(deps.warehouse, deps.blobs, candidate, run_id=report.run_id)
    assert named.run_id == report.run_id
    with pytest.raises(PromotionRefusedError, match="walk-forward of another config"):
        gather_evidence(deps.warehouse, deps.blobs, candidate, run_id=champion_run.run_id)


def test_a_refusal_changes_nothing_and_force_records_the_failed_gates(deps, league):
    first = train(deps, 1, alias=CHAMPION)
    candidate = train(deps, 2)  # trained without a config: no lineage
    before = history(deps)
    with pytest.raises(PromotionRefusedError) as refused:
        promote_as_operator(deps, candidate, T0)
    reasons = {r.gate: r.reason for r in failed(refused.value.results)}
    assert "no config lineage" in reasons[Gate.EVIDENCE]
    assert Gate.CHAMPION in reasons  # no run of the candidate's config to pair with the champion's
    assert Gate.LOADABLE not in reasons  # a real artifact of the pinned catboost
    assert champion(deps) == first and history(deps) == before

    outcome = promote_as_operator(deps, candidate, T0, force=True)
    assert outcome.forced and outcome.previous == first and champion(deps) == candidate
    row = history(deps)[-1]
    assert (row["action"], row["alias"], row["from_model_id"], row["to_model_id"]) == (
        "promote",
        CHAMPION,
        first,
        candidate,
    )
    assert row["forced"] is True and row["actor"] == "tester" and row["reason"] == "test"
    gates = {gate["gate"]: gate for gate in json.loads(row["gates"])}
    assert set(gates) == {str(g) for g in Gate} and not gates["evidence"]["passed"]
    assert json.loads(row["evidence"])["champion_model_id"] == first


def test_rollback_restores_the_previous_champion_and_prediction_serves_it(deps, league):
    day = date(2024, 11, 23)
    a = train(deps, 1, alias=CHAMPION)
    b, c = train(deps, 2), train(deps, 3)
    promote_as_operator(deps, b, T0, force=True)
    promote_as_operator(deps, c, T0 + timedelta(hours=1), force=True)

    def served(minute: int) -> set[str]:
        """The models the prediction function serves as champion on a features-ready at 18:<minute>."""
        published = eastern_datetime(day, 18, minute)
        deliver_features_ready(deps, day, published, message_id=f"m-{minute}")
        rows = table_rows(deps.warehouse, "nba_predictions.player_prop_predictions", "prediction_id")
        return {r["model_id"] for r in rows if r["is_champion"] and r["created_at"] >= published}

    assert served(1) == {c}
    grown = history(deps)
    restored = rollback(
        deps.warehouse, deps.settings, reason="c misbehaves", actor="tester", now=T0 + timedelta(hours=2)
    )
    assert (restored.model_id, restored.previous) == (b, c) and champion(deps) == b
    assert served(2) == {b}
    # A second rollback goes one further back ...
    rollback(deps.warehouse, deps.settings, reason="", actor="tester", now=T0 + timedelta(hours=3))
    assert champion(deps) == a and served(3) == {a}
    # ... and a third has nothing before the first champion: refused, nothing changes.
    with pytest.raises(PromotionRefusedError, match=f"no champion before {a}"):
        rollback(deps.warehouse, deps.settings, reason="", actor="tester", now=T0 + timedelta(hours=4))
    after = history(deps)
    assert after[: len(grown)] == grown  # earlier rows untouched: the history only grows
    assert [(r["action"], r["to_model_id"]) for r in after] == [
        ("assign", a),
        ("promote", b),
        ("promote", c),
        ("rollback", b),
        ("rollback", a),
    ]
    assert after[3]["reason"] == "c misbehaves" and after[4]["reason"] == f"roll back from {b}"


def test_shadows_are_promoted_ungated_and_demoted_with_a_record_the_champion_never_emptied(deps, league):
    a = train(deps, 1, alias=CHAMPION)
    s = train(deps, 2)
    promote_as_operator(deps, s, T0, alias=SHADOW)
    assert [row["model_id"] for row in alias_holders(deps.warehouse, SHADOW)] == [s]
    demote(deps.warehouse, deps.settings, s, reason="retired", actor="tester", now=T0 + timedelta(hours=1))
    assert alias_holders(deps.warehouse, SHADOW) == []
    with pytest.raises(PromotionRefusedError, match="is the champion"):
        demote(deps.warehouse, deps.settings, a, reason="no", actor="tester", now=T0 + timedelta(hours=2))
    assert [(r["action"], r["alias"], r["from_model_id"], r["to_model_id"]) for r in history(deps)] == [
        ("assign", CHAMPION, None, a),
        ("promote", SHADOW, None, s),
        ("demote", SHADOW, s, None),
    ]
    # Assigning an alias the model already holds (a redelivered retrain) records nothing.
    promote_as_operator(deps, s, T0 + timedelta(hours=3), alias=SHADOW)
    promote_as_operator(deps, s, T0 + timedelta(hours=4), alias=SHADOW)
    assert len(history(deps)) == 4


def test_nothing_updates_or_deletes_the_alias_history():
    """Append-only by construction: every SQL file naming the table only INSERTs or SELECTs, and no Python
    code writes it by key (replace_rows would delete, insert_missing_rows would read-then-skip)."""
    statements = []
    for path in SQL_ROOT.rglob("*.sql"):
        text = path.read_text()
        if "model_promotions" in text:
            statements += [(path.name, s) for s in sqlglot.parse(text, read="bigquery") if s is not None]
    assert {name for name, _ in statements} == {"record_promotion.sql", "promotions_since.sql"}
    assert all(isinstance(s, (exp.Insert, exp.Select)) for _, s in statements)
    keyed = re.compile(r"(replace_rows|insert_missing_rows)\([^)]*(MODEL_PROMOTIONS|model_promotions)", re.S)
    for folder in ("shared", "courtside", "functions"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            assert not keyed.search(path.read_text()), f"{path} writes model_promotions by key"
    ddl = (REPO_ROOT / "schemas/bigquery/nba_predictions/model_promotions.sql").read_text()
    assert "PARTITION BY DATE(changed_at)" in ddl
