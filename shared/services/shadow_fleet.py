"""The shadow fleet's daily evidence, read and written for diagnostics: each shadow compared with the champion
on the bets both made (``nba_orchestration.shadow_comparison_daily``), and whether scheduled retraining has
gone stale. The comparison and the alert rules are pure (``shared.domain.shadow_comparison``,
``shared.domain.alert_rules``); this module only loads their inputs and shapes the rows.

Nothing here promotes anything: a promotion candidate is reported (row + INFO alert), and
``Settings.auto_promote`` refuses to be turned on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import as_utc, game_date_of
from shared.domain.alert_rules import retraining_stale_alerts
from shared.domain.shadow_comparison import GradedBet, ShadowComparison, compare_shadow
from shared.domain.systems import production_systems_param
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.ports import Row, Warehouse
from shared.services.model_registry import CHAMPION, SHADOW, aliased_models
from shared.settings import Settings
from shared.sql.combined import SqlRead

SHADOW_COMPARISON_DAILY = "nba_orchestration.shadow_comparison_daily"
SHADOW_COMPARISON_KEY = ("game_date", "shadow_system_id")
# How far back the last retrain is looked for (partition pruning); older than this is "never" in the summary.
RETRAIN_LOOKBACK_DAYS = 366


def compare_shadows(
    warehouse: Warehouse,
    game_date: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    registered: Sequence[Row] | None = None,
    bets: Sequence[Row] | None = None,
) -> list[ShadowComparison]:
    """Every registered shadow vs the champion's bets over the lookback window ending on ``game_date``.
    ``registered`` (``aliased_models``) and ``bets`` (the rows of ``shadow_bets_read``): when the caller has
    read them already (one job less each)."""
    if registered is None:
        registered = aliased_models(warehouse)
    champions = [row for row in registered if row["alias"] == CHAMPION]
    if not champions:
        return []
    champion_system = str(champions[0]["system_id"])
    shadows = [row for row in registered if row["alias"] == SHADOW]
    if shadows and bets is None:
        bets = shadow_bets_read(game_date, thresholds).run(warehouse)
    champion_bets = [_graded_bet(row) for row in bets or [] if row["side"] == "champion"]
    comparisons: list[ShadowComparison] = []
    for shadow in shadows:
        shadow_bets = [
            _graded_bet(row)
            for row in bets or []
            if row["side"] == "shadow" and row["model_id"] == shadow["model_id"]
        ]
        comparisons.append(
            compare_shadow(
                champion_system,
                str(shadow["system_id"]),
                str(shadow["model_id"]),
                champion_bets,
                shadow_bets,
                thresholds,
            )
        )
    return comparisons


def shadow_bets_read(game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> SqlRead:
    """The champion's bets and every production model's other bets in the comparison window (one read for
    the whole fleet; each shadow's are picked by model id)."""
    return SqlRead(
        "diagnostics/shadow_bets",
        {
            "game_date": game_date,
            "window_start": comparison_window_start(game_date, thresholds),
            **production_systems_param(),
        },
    )


def _graded_bet(row: Row) -> GradedBet:
    return GradedBet(row["game_date"], str(row["player_id"]), row["is_correct"])


def comparison_window_start(game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> date:
    return game_date - timedelta(days=thresholds.lifecycle.comparison_lookback_days - 1)


def comparison_row(
    game_date: date,
    comparison: ShadowComparison,
    computed_at: datetime,
    run_id: str | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    c = comparison
    d = c.difference
    return {
        "game_date": game_date,
        "shadow_system_id": c.shadow_system_id,
        "shadow_model_id": c.shadow_model_id,
        "champion_system_id": c.champion_system_id,
        "window_start": comparison_window_start(game_date, thresholds),
        "paired_bets": c.paired_bets,
        "decided_pairs": c.decided_pairs,
        "champion_hit_rate": c.champion.rate,
        "champion_hit_rate_lower": c.champion.lower,
        "champion_hit_rate_upper": c.champion.upper,
        "shadow_hit_rate": c.shadow.rate,
        "shadow_hit_rate_lower": c.shadow.lower,
        "shadow_hit_rate_upper": c.shadow.upper,
        "break_even": c.champion.break_even,
        "hit_rate_difference": d.difference,
        "hit_rate_difference_lower": d.lower,
        "hit_rate_difference_upper": d.upper,
        "min_paired_bets": c.min_paired_bets,
        "promotion_candidate": c.promotion_candidate,
        "computed_at": computed_at,
        "run_id": run_id,
    }


def retraining_alerts(
    warehouse: Warehouse,
    settings: Settings,
    game_date: date,
    games_scheduled: int,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    registered: Sequence[Row] | None = None,
    last_training: Sequence[Row] | None = None,
) -> list[dict[str, Any]]:
    """The staleness WARNING, measured from the last registered retrain of ``settings.retrain_system_id``;
    before the first retrain, from when the champion was trained (a deployment that never retrains is stale
    too). ``registered`` (``aliased_models``) and ``last_training`` (the rows of ``last_training_read``): when
    the caller has just read them."""
    if last_training is None:
        last_training = last_training_read(settings, game_date).run(warehouse)
    rows = last_training
    last: datetime | None = rows[0]["last_started_at"] if rows else None
    reference = f"The last successful retrain ({settings.retrain_system_id})"
    if last is None:
        models = aliased_models(warehouse) if registered is None else registered
        champions = [row for row in models if row["alias"] == CHAMPION]
        if not champions:
            return []
        last = champions[0]["trained_at"]
        reference = f"No retrain since the champion {champions[0]['model_id']} was trained: that"
    assert last is not None  # a registry row's trained_at is NOT NULL
    return retraining_stale_alerts(
        game_date, game_date_of(as_utc(last)), reference, games_scheduled, thresholds.lifecycle
    )


def last_training_read(settings: Settings, game_date: date) -> SqlRead:
    """The latest registered retrain of ``settings.retrain_system_id`` within the lookback."""
    since = game_date - timedelta(days=RETRAIN_LOOKBACK_DAYS)
    return SqlRead("diagnostics/last_training", {"since": since, "system_id": settings.retrain_system_id})
