"""Which alerts a day's diagnosis raises, their dedupe keys and scope, and the cooldown before a re-send.

The alert policy in one place (the levels themselves are judged in ``shared.domain.diagnosis``):
  performance     one alert when the diagnosis is WARNING or CRITICAL. Its dedupe key is
                  performance|<scope>|<root cause>|<level>, scope = the system, or ``all-systems`` for
                  DATA_QUALITY (missing data is the deployment's problem: one alert, not one per model).
  market change   one INFO alert per rolling state (sharpness status, market regime) known on both the
                  previous graded date and today and different: <kind>|<scope>|<before>-><after>|INFO. The
                  sharpness status is a system's (how often it beats the line); the regime is the market's
                  (the line's own error, the same lines for every system): scope ``all-systems``, one
                  message however many systems see the change (``once_per_key``).
  promotion       one INFO alert per shadow model that is a promotion candidate (significantly better than
                  the champion on the bets both made, over at least the minimum of paired bets):
                  promotion_candidate|<shadow system>|<shadow model>|INFO. Nothing is promoted by it.
  retraining      one WARNING when no scheduled retrain succeeded for more than
                  ``ModelLifecycle.retrain_stale_after_days`` while games are scheduled:
                  retraining_stale|all-systems|no-retrain|WARNING. Its incident is resolved by diagnostics
                  like a performance incident, once a retrain has succeeded (the WARNING stops).
  cooldown        an alert whose key was sent less than ``AlertPolicy.cooldown_days`` game days ago is
                  suppressed; an escalation has a new key (the level is part of it) and goes out at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.diagnosis import AlertLevel, DailySignals, Diagnosis, RootCause
from shared.domain.metrics import HitRate
from shared.domain.shadow_comparison import ShadowComparison
from shared.domain.sharpness import MarketState
from shared.domain.thresholds import DEFAULT_THRESHOLDS, ModelLifecycle

ALERTING_LEVELS = (AlertLevel.WARNING, AlertLevel.CRITICAL)
ALL_SYSTEMS = "all-systems"  # dedupe scope of alerts that concern the deployment, not a model
PERFORMANCE = "performance"
SHARPNESS_STATUS_CHANGE = "sharpness_status"
MARKET_REGIME_CHANGE = "market_regime"
PROMOTION_CANDIDATE = "promotion_candidate"
RETRAINING_STALE = "retraining_stale"
_KEY_SEPARATOR = "|"


def alert_dedupe_key(kind: str, system_id: str, cause: str, level: str) -> str:
    """Stable key for "the same alert": kind|system_id|cause|level. Including the level means an escalation
    (WARNING -> CRITICAL) is a new alert and is not held back by the cooldown of the milder one."""
    parts = (str(kind), str(system_id), str(cause), str(level))
    for part in parts:
        if not part or _KEY_SEPARATOR in part:
            raise ValueError(f"dedupe key parts must be non-empty and free of {_KEY_SEPARATOR!r}: {parts}")
    return _KEY_SEPARATOR.join(parts)


def should_send(
    last_sent_on: date | None, today: date, cooldown_days: int = DEFAULT_THRESHOLDS.alerts.cooldown_days
) -> bool:
    """True when the alert with this key was never sent, or was last sent at least ``cooldown_days`` ago."""
    if cooldown_days < 0:
        raise ValueError(f"cooldown_days must be >= 0, got {cooldown_days}")
    if last_sent_on is None:
        return True
    if last_sent_on > today:
        raise ValueError(f"alert last sent on {last_sent_on}, after today {today}: clock or date bug")
    return (today - last_sent_on).days >= cooldown_days


def performance_scope(system_id: str, root_cause: RootCause) -> str:
    """Whose problem a performance alert is: the deployment's for DATA_QUALITY, else the system's."""
    return ALL_SYSTEMS if root_cause == RootCause.DATA_QUALITY else system_id


@dataclass(frozen=True)
class DiagnosedDay:
    """What the alert rules read of one system's diagnosis on one date."""

    game_date: date
    system_id: str
    signals: DailySignals
    diagnosis: Diagnosis
    market: MarketState
    previous_market: MarketState
    previous_graded_date: date | None
    problem_date_count: int


def raised_alerts(day: DiagnosedDay) -> list[dict[str, Any]]:
    """AlertRaised fields (without the event envelope) the day's diagnosis calls for: the performance alert
    first, then the market changes (sharpness status before regime)."""
    return [*performance_alerts(day), *market_change_alerts(day)]


def performance_alerts(day: DiagnosedDay) -> list[dict[str, Any]]:
    d = day.diagnosis
    if d.alert_level not in ALERTING_LEVELS:
        return []
    return [
        {
            "level": str(d.alert_level),
            "kind": PERFORMANCE,
            "system_id": day.system_id,
            "dedupe_key": alert_dedupe_key(
                PERFORMANCE,
                performance_scope(day.system_id, d.root_cause),
                str(d.root_cause),
                str(d.alert_level),
            ),
            "title": f"{day.system_id}: {d.alert_level} ({d.root_cause}) on {day.game_date}",
            "summary": "; ".join(d.contributing_factors[:4]) or str(d.root_cause),
            "facts": alert_facts(day),
            "recommendations": d.recommendations,
        }
    ]


def market_change_alerts(day: DiagnosedDay) -> list[dict[str, Any]]:
    now = day.market
    changes = (
        (
            SHARPNESS_STATUS_CHANGE,
            day.system_id,
            day.system_id,
            "Rolling sharpness status",
            day.previous_market.status,
            now.status,
            f"model beats the line in {now.status_score or 0.0:.1f}% of {now.status_n} graded lines",
        ),
        (
            MARKET_REGIME_CHANGE,
            ALL_SYSTEMS,
            "Market",
            "Rolling market regime",
            day.previous_market.regime,
            now.regime,
            f"Vegas MAE {now.regime_mae or 0.0:.2f} over {now.regime_n} graded lines",
        ),
    )
    found: list[dict[str, Any]] = []
    for kind, scope, whose, label, before, after, detail in changes:
        if before is None or after is None or before == after:
            continue
        found.append(
            {
                "level": str(AlertLevel.INFO),
                "kind": kind,
                "system_id": day.system_id,
                "dedupe_key": alert_dedupe_key(kind, scope, f"{before}->{after}", "INFO"),
                "title": f"{whose}: {label} changed {before} -> {after} on {day.game_date}",
                "summary": f"{label} was {before} on {day.previous_graded_date} and is {after} "
                f"on {day.game_date} ({detail}).",
                "facts": alert_facts(day),
                "recommendations": (),
            }
        )
    return found


def once_per_key(alerts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first alert of each dedupe key, in order: a deployment-wide alert (``all-systems``) raised by
    every system's diagnosis is one message, not one per system."""
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for alert in alerts:
        if alert["dedupe_key"] not in seen:
            seen.add(alert["dedupe_key"])
            kept.append(alert)
    return kept


def alert_facts(day: DiagnosedDay) -> dict[str, str]:
    s = day.signals
    return {
        "Root cause": f"{day.diagnosis.root_cause} ({day.diagnosis.confidence:.0%})",
        "Drift score": f"{day.diagnosis.drift_score:.2f}",
        "Hit rate 7d": _rate_text(s.hit_rate_7d),
        "Hit rate 30d": _rate_text(s.hit_rate_30d),
        "Sharpness": str(day.market.status or "n/a"),
        "Market regime": str(day.market.regime or "n/a"),
        "Problem dates": str(day.problem_date_count),
    }


def _rate_text(rate: HitRate) -> str:
    return "n/a" if rate.rate is None else f"{rate.rate:.1%} (n={rate.n})"


def promotion_candidate_alerts(game_date: date, comparison: ShadowComparison) -> list[dict[str, Any]]:
    """INFO "promotion candidate" when the shadow is significantly better over enough paired bets."""
    if not comparison.promotion_candidate:
        return []
    c = comparison
    d = c.difference
    return [
        {
            "level": str(AlertLevel.INFO),
            "kind": PROMOTION_CANDIDATE,
            "system_id": c.shadow_system_id,
            "dedupe_key": alert_dedupe_key(
                PROMOTION_CANDIDATE, c.shadow_system_id, c.shadow_model_id, str(AlertLevel.INFO)
            ),
            "title": f"{c.shadow_system_id}: promotion candidate on {game_date}",
            "summary": f"Shadow {c.shadow_model_id} hit {_rate_text(c.shadow)} against the champion's "
            f"{_rate_text(c.champion)} on the same {d.n} decided bets: difference {d.difference:+.1%} "
            f"[{d.lower:+.1%}, {d.upper:+.1%}]. Nothing is promoted automatically: "
            f"`courtside promote {c.shadow_model_id} --to champion --reason TEXT` checks the gates.",
            "facts": {
                "Champion system": c.champion_system_id,
                "Shadow model": c.shadow_model_id,
                "Paired bets": str(c.paired_bets),
                "Decided pairs": str(d.n),
                "Minimum pairs": str(c.min_paired_bets),
            },
            "recommendations": (
                "Review the paired evidence in nba_orchestration.shadow_comparison_daily; promoting is a "
                "human decision",
                "Walk the shadow's config forward (`courtside experiment run`), then run `courtside promote "
                f"{c.shadow_model_id} --to champion --reason TEXT`: it promotes only when every gate passes "
                "(docs/experiments.md, Promotion)",
            ),
        }
    ]


def retraining_stale_alerts(
    game_date: date,
    last_success_on: date | None,
    reference: str,
    games_scheduled: int,
    lifecycle: ModelLifecycle = DEFAULT_THRESHOLDS.lifecycle,
) -> list[dict[str, Any]]:
    """WARNING when ``last_success_on`` (what ``reference`` names) is more than the allowed days before
    ``game_date`` while games are scheduled; nothing without a reference date (no model in production)."""
    if last_success_on is None or games_scheduled <= 0:
        return []
    age = (game_date - last_success_on).days
    if age <= lifecycle.retrain_stale_after_days:
        return []
    return [
        {
            "level": str(AlertLevel.WARNING),
            "kind": RETRAINING_STALE,
            "system_id": ALL_SYSTEMS,
            "dedupe_key": alert_dedupe_key(RETRAINING_STALE, ALL_SYSTEMS, "no-retrain", "WARNING"),
            "title": f"No retrain for {age} days on {game_date}",
            "summary": f"{reference} was on {last_success_on}, {age} days ago (allowed: "
            f"{lifecycle.retrain_stale_after_days}) while {games_scheduled} games are scheduled.",
            "facts": {"Last success": str(last_success_on), "Days": str(age)},
            "recommendations": (
                "Check the training function's pipeline_runs and the monthly-retrain Cloud Scheduler job",
            ),
        }
    ]
