"""Dashboard page server times on a full season: each page rendered repeatedly in-process (Flask's test
client: the view, its queries and the SVG; no network), reported as median and p95.

Part of ``make bench``; alone, on a home where ``courtside demo`` ran:
``python -m courtside.bench_pages --home .courtside [--date 2026-01-29] [--repeats 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from courtside.dashboard.app import create_app
from shared.bootstrap import Dependencies, build_dependencies
from shared.services.views.common import latest_prediction_date
from shared.services.views.picks import champion_picks
from shared.settings import Settings

PAGE_P95_S = 0.3  # the target: p95 at most 300 ms locally
PAGES = ("/", "/sharpness", "/performance", "/completeness", "/models", "/player")
ENDPOINTS = ("/api/vegas-sharpness/trend", "/api/vegas-sharpness/by-tier", "/api/vegas-sharpness/summary")


@dataclass(frozen=True)
class PageTiming:
    path: str
    median_s: float
    p95_s: float
    repeats: int


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def page_timings(deps: Dependencies, day: date, repeats: int = 20) -> list[PageTiming]:
    """Times every page and the sharpness endpoints on ``day``; the first request of each (warming the SQL
    translation cache) is not counted."""
    client = create_app(deps).test_client()
    player = champion_picks(deps.warehouse, day, deps.settings.min_edge).bets
    timings = []
    for path in (*PAGES, *ENDPOINTS):
        query = f"date={day.isoformat()}" + (
            f"&q={player[0]['player']}" if path == "/player" and player else ""
        )
        url = f"{path}?{query}"
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} did not answer 200")
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - started)
        timings.append(PageTiming(path, statistics.median(samples), p95(samples), repeats))
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, default=Path(".courtside"))
    parser.add_argument("--date", type=date.fromisoformat, default=None)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    deps = build_dependencies(Settings(home=args.home))
    day = args.date or latest_prediction_date(deps.warehouse, date.today())
    if day is None:
        raise SystemExit(f"no predictions in {args.home}: run `courtside demo` first")
    print(
        f"dashboard server time on {day}, {args.repeats} requests each "
        f"(target p95 <= {PAGE_P95_S * 1000:.0f} ms)"
    )
    for timing in page_timings(deps, day, args.repeats):
        verdict = "pass" if timing.p95_s <= PAGE_P95_S else "MISS"
        print(
            f"  {timing.path:32} median {timing.median_s * 1000:6.1f} ms  "
            f"p95 {timing.p95_s * 1000:6.1f} ms  {verdict}"
        )


if __name__ == "__main__":
    main()
