"""The performance views: rolling hit rate with its Wilson band, cumulative ROI, calibration, CLV."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from typing import Any

from shared.domain.diagnostic_signals import roi_at_recorded_prices
from shared.domain.metrics import closing_line_value, hit_rate
from shared.domain.season import season_start
from shared.domain.thresholds import DEFAULT_THRESHOLDS
from shared.domain.vocabulary import Recommendation
from shared.ports import Row, Warehouse
from shared.services.views.common import rate_fields
from shared.services.views.sharpness import champion_system
from shared.sql import load_sql

ROLLING_DAYS = 14
CALIBRATION_BINS = DEFAULT_THRESHOLDS.calibration.n_bins


def performance(warehouse: Warehouse, day: date, system: str | None = None) -> dict[str, Any]:
    """The season up to ``day`` of one system (default: the champion), from its graded rows."""
    system_id = system or champion_system(warehouse, day)
    rows = warehouse.query(
        load_sql("views/graded_bets"), {"system_id": system_id, "start": season_start(day), "end": day}
    )
    dates = sorted({r["game_date"] for r in rows})
    by_date: dict[date, list[Row]] = {d: [] for d in dates}
    for row in rows:
        by_date[row["game_date"]].append(row)
    return {
        "system": system_id,
        "break_even": DEFAULT_THRESHOLDS.betting.break_even_probability,
        "rolling_days": ROLLING_DAYS,
        "daily": daily_series(by_date),
        "calibration": calibration(rows),
    }


def daily_series(by_date: dict[date, list[Row]]) -> list[dict[str, Any]]:
    """Per date: the hit rate over the ``ROLLING_DAYS`` ending on it, ROI from the season's first date to it
    (at recorded prices), and the day's mean closing line value, each with its n."""
    decided: dict[date, tuple[int, int]] = {}
    profit, staked = 0.0, 0
    series = []
    for day in sorted(by_date):
        day_rows = by_date[day]
        results = [bool(r["is_correct"]) for r in day_rows if r["is_correct"] is not None]
        decided[day] = (sum(results), len(results))
        window_start = day - timedelta(days=ROLLING_DAYS - 1)
        wins = sum(w for d, (w, _) in decided.items() if d >= window_start)
        n = sum(k for d, (_, k) in decided.items() if d >= window_start)
        day_roi, day_staked = roi_at_recorded_prices(day_rows)
        profit += (day_roi or 0.0) * day_staked
        staked += day_staked
        clv = [value for r in day_rows if (value := _clv(r)) is not None]
        series.append(
            {
                "game_date": day,
                **rate_fields(hit_rate(wins, n), "rolling_hit_rate"),
                "cumulative_roi": profit / staked if staked else None,
                "cumulative_bets": staked,
                "clv_mean": statistics.fmean(clv) if clv else None,
                "clv_n": len(clv),
            }
        )
    return series


def _clv(row: Row) -> float | None:
    if row["closing_line"] is None or row["line_value"] is None:
        return None
    return closing_line_value(
        Recommendation(row["recommendation"]), float(row["line_value"]), float(row["closing_line"])
    )


def calibration(rows: list[Row], bins: int = CALIBRATION_BINS) -> list[dict[str, Any]]:
    """Reliability diagram: per equal-width bin of P(over), the mean forecast, the observed over share and n
    (pushes and rows without P(over) excluded)."""
    buckets: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for r in rows:
        if r["p_over"] is None or r["actual_points"] is None or r["line_value"] is None:
            continue
        if float(r["actual_points"]) == float(r["line_value"]):
            continue
        p = float(r["p_over"])
        buckets[min(int(p * bins), bins - 1)].append((p, float(r["actual_points"]) > float(r["line_value"])))
    return [
        {
            "bin": i,
            "from": i / bins,
            "to": (i + 1) / bins,
            "n": len(bucket),
            "mean_p_over": statistics.fmean(p for p, _ in bucket) if bucket else None,
            "observed_over_share": sum(o for _, o in bucket) / len(bucket) if bucket else None,
        }
        for i, bucket in enumerate(buckets)
    ]
