"""Diagnostics and the shadow fleet on DuckDB: the paired comparison table, the promotion-candidate INFO
alert, and the retraining-staleness WARNING (and the silence before it)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.events import AlertRaised, GradingComplete
from shared.runtime import Outcome, handle_cloud_event
from shared.services.model_registry import assign_alias, record_experiment, register_model
from tests import postgame_fixtures as fx
from tests.conftest import cloud_event_for

D = date(2026, 3, 1)
CHAMPION_MODEL = "champion-m"
RETRAIN_SYSTEM = "catboost_points_v1_retrain"


def _deliver(deps, cloud_event: Any = None) -> Outcome:
    return handle_cloud_event("diagnostics", cloud_event or _cloud_event(), deps)


def _cloud_event() -> Any:
    event = GradingComplete(
        game_date=D,
        run_id="run-1",
        produced_by="grading",
        produced_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        gradable=1,
        graded=1,
        voided=0,
        pending=0,
    )
    return cloud_event_for("diagnostics", "grading-complete", event)


def _alerts(deps, kind: str) -> list[AlertRaised]:
    return [e for topic, e in deps.bus.published if topic == "alerts" and e.kind == kind]  # type: ignore[attr-defined]


def _model(model_id: str, system_id: str, trained_at: datetime) -> dict[str, Any]:
    return {
        "model_id": model_id,
        "system_id": system_id,
        "models_bucket": "b",
        "model_path": f"{model_id}.cbm",
        "metadata_path": f"{model_id}.json",
        "feature_version": "v1",
        "feature_names": "[]",
        "trained_at": trained_at,
        "train_from": date(2025, 10, 21),
        "train_to": date(2025, 12, 31),
        "holdout_to": date(2026, 1, 20),
        "train_rows": 1000,
        "holdout_rows": 200,
        "metrics": "{}",
        "catboost_version": "1.2.10",
        "numpy_version": "2",
        "python_version": "3.11",
        "git_commit": "abc",
        "seed": 42,
        "experiment_id": f"exp-{model_id}",
        "alias_updated_at": None,
    }


def _register(deps, model_id: str, system_id: str, alias: str, trained_at: datetime) -> None:
    register_model(deps.warehouse, _model(model_id, system_id, trained_at))
    assign_alias(deps.warehouse, model_id, alias, trained_at)  # type: ignore[arg-type]


def _pairs(deps, shadow_system: str, shadow_model: str, champion_wins: int, shadow_only_wins: int, n: int):
    """n player-games over the last 30 days that both bet, against the same line: both win the first
    ``champion_wins`` (OVER, 25 points), the shadow alone wins the next ``shadow_only_wins`` (15 points, the
    champion OVER, the shadow UNDER), both lose the rest (15 points, both OVER)."""
    rows = []
    for i in range(n):
        day = D - timedelta(days=i % 30)
        both_win = i < champion_wins
        shadow_only = champion_wins <= i < champion_wins + shadow_only_wins
        actual = 25 if both_win else 15
        rows.append(fx.accuracy_row(day, f"p{i}", 22.0, 20.5, actual, "OVER", model_id=CHAMPION_MODEL))
        rows.append(
            fx.accuracy_row(
                day,
                f"p{i}",
                18.0 if shadow_only else 22.0,
                20.5,
                actual,
                "UNDER" if shadow_only else "OVER",
                system_id=shadow_system,
                model_id=shadow_model,
                is_champion=False,
            )
        )
    deps.warehouse.replace_rows(
        "nba_predictions.prediction_accuracy", rows, ["game_date", "player_id", "system_id"]
    )


def _comparison_rows(deps) -> dict[str, dict[str, Any]]:
    rows = deps.warehouse.query(
        "SELECT * FROM nba_orchestration.shadow_comparison_daily WHERE game_date = @d", {"d": D}
    )
    return {row["shadow_system_id"]: row for row in rows}


def test_each_shadow_is_compared_on_the_bets_both_made_and_only_a_significant_one_is_a_candidate(deps):
    trained = datetime(2026, 2, 20, tzinfo=UTC)  # recent: no staleness alert in this test
    _register(deps, CHAMPION_MODEL, fx.SYSTEM, "champion", trained)
    _register(deps, "better-m", "shadow_better", "shadow", trained)
    _register(deps, "noise-m", "shadow_noise", "shadow", trained)
    _pairs(deps, "shadow_better", "better-m", champion_wins=160, shadow_only_wins=50, n=320)
    _pairs(deps, "shadow_noise", "noise-m", champion_wins=160, shadow_only_wins=3, n=320)
    # A bet only the shadow made and a champion PASS are not pairs.
    fx.accuracy(
        deps,
        D,
        "solo",
        25.0,
        20.5,
        25,
        "OVER",
        system_id="shadow_better",
        model_id="better-m",
        is_champion=False,
    )
    fx.accuracy(deps, D, "pass", 21.0, 20.5, 25, "PASS", model_id=CHAMPION_MODEL)
    fx.accuracy(
        deps,
        D,
        "pass",
        25.0,
        20.5,
        25,
        "OVER",
        system_id="shadow_better",
        model_id="better-m",
        is_champion=False,
    )

    delivery = _cloud_event()
    outcome = _deliver(deps, delivery)

    assert outcome.status == "success", outcome.detail
    rows = _comparison_rows(deps)
    better, noise = rows["shadow_better"], rows["shadow_noise"]
    assert (better["paired_bets"], better["decided_pairs"]) == (320, 320)
    assert better["champion_system_id"] == fx.SYSTEM and better["shadow_model_id"] == "better-m"
    assert better["champion_hit_rate"] == 160 / 320 and better["shadow_hit_rate"] == 210 / 320
    assert better["hit_rate_difference"] == 50 / 320
    assert 0 < better["hit_rate_difference_lower"] < better["hit_rate_difference_upper"]
    assert better["promotion_candidate"] and better["min_paired_bets"] == 300
    assert noise["hit_rate_difference_lower"] < 0 and not noise["promotion_candidate"]

    [alert] = _alerts(deps, "promotion_candidate")
    assert (alert.level, alert.system_id) == ("INFO", "shadow_better")
    assert alert.dedupe_key == "promotion_candidate|shadow_better|better-m|INFO"
    # Nothing was promoted.
    champions = deps.warehouse.query(
        "SELECT model_id FROM nba_predictions.model_registry WHERE alias = 'champion'"
    )
    assert champions == [{"model_id": CHAMPION_MODEL}]

    # A redelivery changes no table.
    before = fx.table_contents(deps)
    _deliver(deps, delivery)
    assert fx.table_contents(deps) == before


def test_a_significant_shadow_below_the_minimum_of_bets_is_not_a_candidate(deps):
    trained = datetime(2026, 2, 20, tzinfo=UTC)
    _register(deps, CHAMPION_MODEL, fx.SYSTEM, "champion", trained)
    _register(deps, "better-m", "shadow_better", "shadow", trained)
    _pairs(deps, "shadow_better", "better-m", champion_wins=140, shadow_only_wins=50, n=280)

    _deliver(deps)

    row = _comparison_rows(deps)["shadow_better"]
    assert row["decided_pairs"] == 280 and row["hit_rate_difference_lower"] > 0
    assert not row["promotion_candidate"]
    assert _alerts(deps, "promotion_candidate") == []


def _retrain(deps, started_at: datetime) -> None:
    record_experiment(
        deps.warehouse,
        {
            "experiment_id": f"exp-{started_at:%Y%m%d}",
            "model_id": f"retrain-{started_at:%Y%m%d}",
            "system_id": RETRAIN_SYSTEM,
            "feature_version": "v1",
            "started_at": started_at,
            "finished_at": started_at + timedelta(minutes=5),
            "duration_seconds": 300.0,
            "train_from": date(2025, 10, 21),
            "train_to": date(2025, 12, 31),
            "holdout_to": date(2026, 1, 20),
            "seed": 42,
            "params": json.dumps({}),
            "train_rows": 1000,
            "holdout_rows": 200,
            "holdout_rows_with_line": 150,
            "metrics": "{}",
            "baselines": "{}",
            "status": "registered",
            "alias": "shadow",
            "git_commit": "abc",
            "model_path": "m.cbm",
            "metadata_path": "m.json",
        },
    )


def _eastern_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, tzinfo=UTC)


def test_no_retrain_for_more_than_35_days_while_games_are_scheduled_warns_and_not_before(deps):
    fx.schedule(deps, "G1", D)
    fx.accuracy(deps, D, "p1", 22.0, 20.5, 25, "OVER", model_id=CHAMPION_MODEL)
    # The champion was trained 36 days ago and no retrain has run since: stale.
    _register(deps, CHAMPION_MODEL, fx.SYSTEM, "champion", _eastern_noon(D - timedelta(days=36)))
    _deliver(deps)
    [alert] = _alerts(deps, "retraining_stale")
    assert (alert.level, alert.system_id) == ("WARNING", "all-systems")
    assert "36 days" in alert.title and CHAMPION_MODEL in alert.summary

    # A retrain succeeded 35 days ago: silence (a retrain older than the champion does not count less).
    deps.bus.published.clear()  # type: ignore[attr-defined]
    _retrain(deps, _eastern_noon(D - timedelta(days=35)))
    _deliver(deps)
    assert _alerts(deps, "retraining_stale") == []


def test_a_stale_retrain_warns_even_when_the_champion_is_recent_but_not_without_games(deps):
    fx.accuracy(deps, D, "p1", 22.0, 20.5, 25, "OVER", model_id=CHAMPION_MODEL)
    _register(deps, CHAMPION_MODEL, fx.SYSTEM, "champion", _eastern_noon(D - timedelta(days=2)))
    _retrain(deps, _eastern_noon(D - timedelta(days=50)))
    _deliver(deps)  # no game scheduled on D (off-season, all-star break): silence
    assert _alerts(deps, "retraining_stale") == []

    fx.schedule(deps, "G1", D)
    _deliver(deps)
    [alert] = _alerts(deps, "retraining_stale")
    assert "50 days" in alert.title and RETRAIN_SYSTEM in alert.summary


def _diagnose_on(deps, day: date, message_id: str) -> Outcome:
    event = GradingComplete(
        game_date=day,
        run_id=f"run-{day}",
        produced_by="grading",
        produced_at=_eastern_noon(day + timedelta(days=1)),
        gradable=1,
        graded=1,
        voided=0,
        pending=0,
    )
    return handle_cloud_event(
        "diagnostics", cloud_event_for("diagnostics", "grading-complete", event, message_id), deps
    )


def _relay_alerts(deps) -> list[AlertRaised]:
    """Deliver what diagnostics published to the alerts function (which keeps the incidents)."""
    published = [e for topic, e in deps.bus.published if topic == "alerts"]  # type: ignore[attr-defined]
    deps.bus.published.clear()  # type: ignore[attr-defined]
    for index, event in enumerate(published):
        handle_cloud_event(
            "alerts", cloud_event_for("alerts", "alerts", event, f"a-{event.game_date}-{index}"), deps
        )
    return published  # type: ignore[return-value]


def test_the_staleness_incident_resolves_after_a_successful_retrain_with_one_message(deps):
    # The retraining_stale incident used to stay open for ever: diagnostics only resolved performance ones.
    _register(deps, CHAMPION_MODEL, fx.SYSTEM, "champion", _eastern_noon(D - timedelta(days=40)))
    days = [D + timedelta(days=i) for i in range(8)]
    for day in days:
        fx.schedule(deps, f"G{day:%d}", day)
        fx.accuracy(deps, day, "p1", 22.0, 20.5, 25, "OVER", model_id=CHAMPION_MODEL)
    raised: list[AlertRaised] = []
    for day in days[:2]:  # stale on both days: one incident
        _diagnose_on(deps, day, f"d-{day}")
        raised += _relay_alerts(deps)
    assert [a.level for a in raised if a.kind == "retraining_stale"] == ["WARNING", "WARNING"]
    _retrain(deps, _eastern_noon(days[1]))  # the retrain succeeds
    for day in days[2:]:
        _diagnose_on(deps, day, f"d-{day}")
        raised += _relay_alerts(deps)
    resolutions = [a for a in raised if a.kind == "retraining_stale" and a.level == "OK"]
    assert len(resolutions) == 1
    assert resolutions[0].dedupe_key == "retraining_stale|all-systems|no-retrain|RESOLVED"
    incidents = deps.warehouse.query(
        "SELECT scope, status, messages FROM nba_orchestration.alert_incidents WHERE scope LIKE 'retraining%'"
    )
    assert incidents == [{"scope": "retraining_stale|all-systems", "status": "resolved", "messages": 2}]
