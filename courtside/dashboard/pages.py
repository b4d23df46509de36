"""What each dashboard page shows: the services' answers, plus the SVG charts drawn from them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from courtside.dashboard.charts import Band, Series, bar_chart, calendar, line_chart
from shared.bootstrap import Dependencies
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.services.views.common import NothingToShowError
from shared.services.views.completeness import completeness_calendar
from shared.services.views.health import RecentDiagnoses, last_runs, recent_diagnoses, system_health
from shared.services.views.models import models_view
from shared.services.views.performance import performance as performance_service
from shared.services.views.picks import Picks, champion_picks
from shared.services.views.player import AmbiguousPlayerError, player_history
from shared.services.views.sharpness import sharpness_by_tier, sharpness_summary, sharpness_trend

BREAK_EVEN = DEFAULT_THRESHOLDS.betting.break_even_probability


def picks_of(deps: Dependencies, day: date, diagnoses: RecentDiagnoses | None = None) -> Picks:
    return champion_picks(deps.warehouse, day, deps.settings.min_edge, diagnoses=diagnoses)


def health_json(deps: Dependencies, day: date, diagnoses: RecentDiagnoses | None = None) -> dict[str, Any]:
    latest = (diagnoses or recent_diagnoses(deps.warehouse, day)).latest()
    return {
        "systems": [system_health(d) for d in latest.values()],
        "runs": last_runs(deps.warehouse, day),
    }


def overview(deps: Dependencies, day: date) -> dict[str, Any]:
    # One diagnoses lookup for both the picks' edge rule and the health lights.
    diagnoses = recent_diagnoses(deps.warehouse, day)
    try:
        picks: Picks | None = picks_of(deps, day, diagnoses)
        picks_message = None
    except NothingToShowError as exc:
        picks, picks_message = None, str(exc)
    return {"picks": picks, "picks_message": picks_message, **health_json(deps, day, diagnoses)}


def sharpness(deps: Dependencies, day: date) -> dict[str, Any]:
    trend = sharpness_trend(deps.warehouse, day)
    tiers = sharpness_by_tier(deps.warehouse, day)
    summary = sharpness_summary(deps.warehouse, day)
    points = trend["points"]
    labels = [p["game_date"].isoformat() for p in points]
    bands = trend["bands"]
    return {
        "trend": trend,
        "tiers": tiers,
        "summary": summary,
        "score_chart": line_chart(
            "sharpness-score",
            "Sharpness score (model beats Vegas, %) per graded date",
            labels,
            [Series("sharpness score", [p["sharpness_score"] for p in points])],
            bands=[
                Band("VERY_SHARP below 45", 0.0, bands["very_sharp_below"], css="band sharp"),
                Band("SOFT from 55", bands["soft_from"], 100.0, css="band soft"),
            ],
            y_min=20.0,
            y_max=80.0,
        ),
        "mae_chart": line_chart(
            "mae",
            "Model MAE against Vegas MAE (points)",
            labels,
            [
                Series("model MAE", [p["model_mae"] for p in points], "s1"),
                Series("Vegas MAE", [p["vegas_mae"] for p in points], "s2"),
            ],
        ),
        "tier_chart": bar_chart(
            "sharpness-by-tier",
            f"Sharpness by tier, {tiers['window']}",
            [(t["tier"], t["sharpness_score"], t["n"]) for t in tiers["tiers"]],
            references=[
                ("45: VERY_SHARP below", bands["very_sharp_below"]),
                ("55: SOFT from", bands["soft_from"]),
            ],
        ),
        "edge_chart": line_chart(
            "edge-shares",
            "Share of predictions with 3+ and 5+ point edges",
            labels,
            [
                Series("3+ points", [p["edge_3_plus_share"] for p in points], "s1"),
                Series("5+ points", [p["edge_5_plus_share"] for p in points], "s2"),
            ],
            y_min=0.0,
        ),
    }


def performance_data(deps: Dependencies, day: date) -> dict[str, Any]:
    return performance_service(deps.warehouse, day)


def performance(deps: Dependencies, day: date) -> dict[str, Any]:
    data = performance_data(deps, day)
    daily = data["daily"]
    labels = [d["game_date"].isoformat() for d in daily]
    used_bins = [b for b in data["calibration"] if b["n"]]
    return {
        "data": data,
        "daily": daily,
        "hit_chart": line_chart(
            "rolling-hit-rate",
            f"Hit rate over the {data['rolling_days']} days to each date, Wilson 95% band",
            labels,
            [Series("hit rate", [d["rolling_hit_rate"] for d in daily])],
            bands=[
                Band(
                    "Wilson 95% interval",
                    lows=[d["rolling_hit_rate_lower"] for d in daily],
                    highs=[d["rolling_hit_rate_upper"] for d in daily],
                )
            ],
            references=[(f"break-even {BREAK_EVEN:.2%}", BREAK_EVEN)],
            y_min=0.3,
            y_max=0.75,
        ),
        "roi_chart": line_chart(
            "cumulative-roi",
            "Cumulative ROI per unit staked",
            labels,
            [Series("ROI", [d["cumulative_roi"] for d in daily])],
            references=[("break-even", 0.0)],
        ),
        "calibration_chart": line_chart(
            "calibration",
            "Reliability of P(over): observed over share per bin of P(over)",
            [f"{b['from']:.1f}-{b['to']:.1f}" for b in used_bins],
            [
                Series("observed", [b["observed_over_share"] for b in used_bins], "s1"),
                Series("perfect", [b["mean_p_over"] for b in used_bins], "s2"),
            ],
            y_min=0.0,
            y_max=1.0,
        ),
        "clv_chart": line_chart(
            "clv",
            "Mean closing line value per bet (points)",
            labels,
            [Series("CLV", [d["clv_mean"] for d in daily])],
            references=[("zero", 0.0)],
        ),
    }


def completeness_data(deps: Dependencies, day: date) -> list[dict[str, Any]]:
    return completeness_calendar(deps.warehouse, day)


def completeness(deps: Dependencies, day: date) -> dict[str, Any]:
    days = completeness_data(deps, day)
    problems = [d for d in days if d["state"] != "complete"]
    return {
        "days": days,
        "problems": problems,
        "calendar_chart": calendar(
            "completeness",
            "Season calendar: each game date by what has its rows",
            [
                (
                    d["game_date"],
                    d["state"],
                    f"{d['games']} games, {d['box_score_games']} box scores, {d['predictions']} predictions, "
                    f"{d['graded']} graded" + (f"; {', '.join(d['problems'])}" if d["problems"] else ""),
                )
                for d in days
            ],
        ),
    }


def models_data(deps: Dependencies, day: date) -> dict[str, Any]:
    return models_view(deps.warehouse, day)


def models(deps: Dependencies, day: date) -> dict[str, Any]:
    return {"models": models_data(deps, day)}


def player(deps: Dependencies, day: date, query: str) -> dict[str, Any]:
    if not query.strip():
        return {"history": None, "query": "", "matches": []}
    try:
        history = player_history(deps.warehouse, query, day)
    except AmbiguousPlayerError as ambiguous:
        return {"history": None, "query": query, "matches": ambiguous.matches, "ambiguity": str(ambiguous)}
    champion = [p for p in reversed(history.predictions) if p["version"] == "current" and p["champion"]]
    labels = [p["game_date"].isoformat() for p in champion]
    return {
        "history": asdict(history),
        "query": query,
        "matches": [],
        "history_chart": line_chart(
            "player-history",
            "Champion prediction, line and actual points",
            labels,
            [
                Series("predicted", [p["predicted_points"] for p in champion], "s1"),
                Series("line", [p["line"] for p in champion], "s2"),
                Series("actual", [_number(p["actual_points"]) for p in champion], "s3"),
            ],
            y_min=0.0,
        ),
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
