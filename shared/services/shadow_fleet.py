"""The shadow fleet's daily evidence, read and written for diagnostics: each shadow compared with the champion
on the bets both made (``nba_orchestration.shadow_comparison_daily``), and whether scheduled retraining has
gone stale. The comparison and the alert rules are pure (``shared.domain.shadow_comparison``,
``shared.domain.alert_rules``); this module only loads their inputs and shapes the rows.

Nothing here promotes anything: a promotion candidate is reported (row + INFO alert), and
``Settings.auto_promote`` refuses to be turned on.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from shared.clock import as_utc, game_date_of
from shared.domain.alert_rules import retraining_stale_alerts
from shared.domain.shadow_comparison import GradedBet, ShadowComparison, compare_shadow
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.ports import Warehouse
from shared.services.model_registry import CHAMPION, SHADOW, aliased_models
from shared.settings import Settings
from shared.sql import load_sql

SHADOW_COMPARISON_DAILY = "nba_orchestration.shadow_comparison_daily"
SHADOW_COMPARISON_KEY = ("game_date", "shadow_system_id")
# How far back the last retrain is looked for (partition pruning); older than this is "never" in the summary.
RETRAIN_LOOKBACK_DAYS = 366


def compare_shadows(
    warehouse: Warehouse, game_date: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[ShadowComparison]:
    """Every registered shadow vs the champion's bets over the lookback window ending on ``game_date``."""
    registered = aliased_models(warehouse)
    champions = [row for row in registered if row["alias"] == CHAMPION]
    if not champions:
        return []
    champion_system = str(champions[0]["system_id"])
    window_start = comparison_window_start(game_date, thresholds)
    comparisons: list[ShadowComparison] = []
    for shadow in (row for row in registered if row["alias"] == SHADOW):
        rows = warehouse.query(
            load_sql("diagnostics/shadow_bets"),
            {"game_date": game_date, "window_start": window_start, "shadow_model_id": shadow["model_id"]},
        )
        sides: dict[str, list[GradedBet]] = {"champion": [], "shadow": []}
        for row in rows:
            sides[str(row["side"])].append(
                GradedBet(row["game_date"], str(row["player_id"]), row["is_correct"])
            )
        comparisons.append(
            compare_shadow(
                champion_system,
                str(shadow["system_id"]),
                str(shadow["model_id"]),
                sides["champion"],
                sides["shadow"],
                thresholds,
            )
        )
    return comparisons


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
) -> list[dict[str, Any]]:
    """The staleness WARNING, measured from the last registered retrain of ``settings.retrain_system_id``;
    before the first retrain, from when the champion was trained (a deployment that never retrains is stale
    too)."""
    since = game_date - timedelta(days=RETRAIN_LOOKBACK_DAYS)
    rows = warehouse.query(
        load_sql("diagnostics/last_training"), {"since": since, "system_id": settings.retrain_system_id}
    )
    last: datetime | None = rows[0]["last_started_at"] if rows else None
    reference = f"The last successful retrain ({settings.retrain_system_id})"
    if last is None:
        champions = [row for row in aliased_models(warehouse) if row["alias"] == CHAMPION]
        if not champions:
            return []
        last = champions[0]["trained_at"]
        reference = f"No retrain since the champion {champions[0]['model_id']} was trained: that"
    assert last is not None  # a registry row's trained_at is NOT NULL
    return retraining_stale_alerts(
        game_date, game_date_of(as_utc(last)), reference, games_scheduled, thresholds.lifecycle
    )
