"""Scenario evaluation reads the diagnostics a replay left behind: first alert after onset, lag and
false alarms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.domain.metrics import wilson_interval
from shared.services.scenario_evaluation import evaluate_scenarios, game_days_between
from tests import postgame_fixtures as fx

START = date(2026, 1, 10)


def _diagnosis(deps, game_date: date, level: str, cause: str) -> None:
    deps.warehouse.replace_rows(
        "nba_orchestration.performance_diagnostics_daily",
        [
            {
                "game_date": game_date,
                "system_id": fx.SYSTEM,
                "hit_rate_7d_n": 0,
                "hit_rate_14d_n": 0,
                "hit_rate_30d_n": 0,
                "break_even": 110 / 210,
                "roi_30d_n": 0,
                "recent_n": 0,
                "baseline_n": 0,
                "calibration_n": 0,
                "clv_n": 0,
                "scheduled_games": 1,
                "box_score_games": 1,
                "predictions": 1,
                "graded": 1,
                "season_start": date(2025, 8, 1),
                "problem_date_count": 0,
                "drift_score": 0.0,
                "root_cause": cause,
                "root_cause_confidence": 0.5,
                "alert_level": level,
                "gated_by_sample_size": False,
                "computed_at": datetime(2026, 2, 1, tzinfo=UTC),
            }
        ],
        ["game_date", "system_id"],
    )


def test_game_days_between_counts_game_dates_after_the_onset():
    dates = [START, START + timedelta(days=1), START + timedelta(days=3), START + timedelta(days=4)]
    assert game_days_between(dates, START, START) == 0
    assert game_days_between(dates, START, START + timedelta(days=3)) == 2  # day 2 had no games
    assert game_days_between(dates, START + timedelta(days=2), START + timedelta(days=4)) == 1


def test_evaluation_reports_first_alert_after_onset_lag_cause_and_false_alarms(deps):
    # Game dates: every day from START for 10 days except START + 5.
    for offset in range(10):
        if offset != 5:
            fx.schedule(deps, f"G{offset}", START + timedelta(days=offset))
    _diagnosis(deps, START + timedelta(days=1), "WARNING", "NORMAL_VARIANCE")  # before onset: false alarm
    _diagnosis(deps, START + timedelta(days=3), "INFO", "MODEL_DRIFT")  # not an alert
    _diagnosis(deps, START + timedelta(days=6), "CRITICAL", "MODEL_DRIFT")
    _diagnosis(deps, START + timedelta(days=8), "WARNING", "MODEL_DRIFT")
    replayed: list[str] = []

    def run_season(scenario: str):
        replayed.append(scenario)
        return deps

    onset = START + timedelta(days=3)
    (shift, clean) = evaluate_scenarios(
        run_season, ("scoring_shift", "clean"), lambda name: onset if name != "clean" else None
    )

    assert replayed == ["scoring_shift", "clean"]
    assert shift.onset == onset
    assert shift.first_alert is not None
    assert (shift.first_alert.game_date, shift.first_alert.root_cause) == (
        START + timedelta(days=6),
        "MODEL_DRIFT",
    )
    assert shift.lag_game_days == 2  # days 4 and 6 (5 had no games)
    assert [f.game_date for f in shift.alerts_before_onset] == [START + timedelta(days=1)]
    assert [f.alert_level for f in clean.alerts_before_onset] == ["WARNING", "CRITICAL", "WARNING"]
    assert clean.lag_game_days is None


def _alert_log(deps, key: str, level: str, kind: str, status: str, day: date) -> None:
    deps.warehouse.replace_rows(
        "nba_orchestration.alert_log",
        [
            {
                "dedupe_key": key,
                "game_date": day,
                "status": status,
                "level": level,
                "kind": kind,
                "system_id": fx.SYSTEM,
                "title": key,
                "recorded_at": datetime(2026, 2, 1, tzinfo=UTC),
            }
        ],
        ["dedupe_key", "game_date"],
    )


def test_evaluation_reports_the_champions_hit_rate_errors_and_alerts_sent(deps):
    fx.schedule(deps, "G0", START)
    # Three decided bets (2 wins), one push (not decided) and one PASS: 5 lined rows.
    fx.accuracy(deps, START, "a", 24.0, 20.5, 25, "OVER")  # win; model error 1, line error 4.5
    fx.accuracy(deps, START, "b", 24.0, 20.5, 18, "OVER")  # loss; 6 and 2.5
    fx.accuracy(deps, START, "c", 16.0, 20.5, 12, "UNDER")  # win; 4 and 8.5
    fx.accuracy(deps, START, "d", 24.0, 20.0, 20, "OVER")  # push; 4 and 0
    fx.accuracy(deps, START, "e", 21.0, 20.5, 22, "PASS")  # no bet; 1 and 1.5
    fx.accuracy(deps, START, "f", 21.0, 20.5, 22, "OVER", grade_status="voided")  # not graded: ignored
    _alert_log(deps, "sharpness_status|x|SOFT->NORMAL|INFO", "INFO", "sharpness_status", "sent", START)
    _alert_log(deps, "market_regime|x|TIGHT->NORMAL|INFO", "INFO", "market_regime", "sent", START)
    _alert_log(deps, "sharpness_status|x|NORMAL->SOFT|INFO", "INFO", "sharpness_status", "suppressed", START)
    _alert_log(deps, "performance|x|DATA_QUALITY|WARNING", "WARNING", "performance", "sent", START)

    (result,) = evaluate_scenarios(lambda _: deps, ("clean",))

    champion = result.champion
    assert champion is not None
    assert (champion.hit_rate.wins, champion.hit_rate.n) == (2, 3)
    assert champion.hit_rate.rate == pytest.approx(2 / 3)
    assert (champion.hit_rate.lower, champion.hit_rate.upper) == pytest.approx(wilson_interval(2, 3, 0.95))
    assert champion.lined == 5
    assert champion.model_mae == pytest.approx((1 + 6 + 4 + 4 + 1) / 5)
    assert champion.line_mae == pytest.approx((4.5 + 2.5 + 8.5 + 0 + 1.5) / 5)
    assert (result.sent("INFO"), result.sent("WARNING"), result.sent("CRITICAL")) == (2, 1, 0)


def test_evaluation_reports_the_messages_of_every_incident(deps):
    from shared.events import AlertRaised
    from shared.services.alerts import deliver_alert

    sink_messages: list[object] = []

    class Sink:
        def send(self, payload: object) -> None:
            sink_messages.append(payload)

    for offset, level in enumerate(["WARNING", "WARNING", "CRITICAL", "CRITICAL"]):
        event = AlertRaised(
            game_date=START + timedelta(days=offset),
            run_id="r",
            produced_by="diagnostics",
            produced_at=datetime(2026, 1, 1, tzinfo=UTC),
            level=level,  # type: ignore[arg-type]
            kind="performance",
            system_id="x",
            dedupe_key=f"performance|x|VEGAS_SHARP|{level}",
            title="t",
            summary="s",
        )
        deliver_alert(deps.warehouse, Sink(), event, recorded_at=datetime(2026, 1, 1, tzinfo=UTC))
    (result,) = evaluate_scenarios(lambda _: deps, ("sharp_market",))
    assert result.incidents == ((f"performance|x|{START.isoformat()}", 2),)
    assert result.most_messages_per_incident == 2 == len(sink_messages)


def test_evaluation_without_champion_grades_has_no_record(deps):
    fx.schedule(deps, "G0", START)
    (result,) = evaluate_scenarios(lambda _: deps, ("clean",))
    assert result.champion is None
    assert result.alerts_sent == ()
