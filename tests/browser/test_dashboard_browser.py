"""Every dashboard page in headless Chromium on a full simulated season: it answers 200 with no console
errors, each chart draws one mark per date or bucket of its data (counted against the JSON endpoints), the
date selector changes what is shown, and a screenshot of each page lands under build/screenshots/."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.views_fixtures import BuiltSeason

pytestmark = pytest.mark.slow


def api(base: str, path: str, day: date) -> Any:
    with urllib.request.urlopen(f"{base}{path}?date={day.isoformat()}") as response:
        return json.load(response)


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened, errors
    context.close()


def visit(page: Any, errors: list[str], url: str, screenshot: Path | None = None) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    assert errors == [], f"console errors on {url}: {errors}"
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)


def marks(page: Any, chart: str, series: str | None = None) -> int:
    scope = f'svg[data-chart="{chart}"]' + (f' g[data-series="{series}"]' if series else "")
    return int(page.locator(f"{scope} .mark").count())


def present(rows: list[dict[str, Any]], key: str) -> int:
    return sum(1 for row in rows if row[key] is not None)


def player_query(dashboard_url: str, day: date) -> str:
    picks = api(dashboard_url, "/api/picks", day)
    return str(picks["bets"][0]["player"])


def test_every_page_answers_without_console_errors_and_is_screenshotted(
    page: tuple[Any, list[str]], dashboard_url: str, full_season: BuiltSeason, screenshots: Path
) -> None:
    opened, errors = page
    day = full_season.mid_season
    name = player_query(dashboard_url, day)
    for slug, path in [
        ("overview", "/"),
        ("sharpness", "/sharpness"),
        ("performance", "/performance"),
        ("completeness", "/completeness"),
        ("models", "/models"),
        ("player", f"/player?q={name}&"),
    ]:
        separator = "" if path.endswith("&") else "?"
        visit(opened, errors, f"{dashboard_url}{path}{separator}date={day}", screenshots / f"{slug}.png")
        assert opened.locator(".empty#message").count() == 0, f"{slug} shows an empty state on {day}"
        assert (screenshots / f"{slug}.png").stat().st_size > 10_000


def test_sharpness_charts_draw_one_mark_per_date_and_tier(
    page: tuple[Any, list[str]], dashboard_url: str, full_season: BuiltSeason
) -> None:
    opened, errors = page
    day = full_season.mid_season
    trend = api(dashboard_url, "/api/vegas-sharpness/trend", day)["points"]
    tiers = api(dashboard_url, "/api/vegas-sharpness/by-tier", day)["tiers"]
    visit(opened, errors, f"{dashboard_url}/sharpness?date={day}")
    assert len(trend) > 20
    assert marks(opened, "sharpness-score") == present(trend, "sharpness_score")
    assert marks(opened, "mae", "model MAE") == present(trend, "model_mae")
    assert marks(opened, "mae", "Vegas MAE") == present(trend, "vegas_mae")
    assert marks(opened, "edge-shares", "3+ points") == present(trend, "edge_3_plus_share")
    assert marks(opened, "edge-shares", "5+ points") == present(trend, "edge_5_plus_share")
    assert marks(opened, "sharpness-by-tier") == present(tiers, "sharpness_score") >= 4
    assert opened.locator('svg[data-chart="sharpness-score"] rect.band').count() == 2  # the 45 and 55 bands


def test_performance_charts_draw_one_mark_per_date_and_bin(
    page: tuple[Any, list[str]], dashboard_url: str, full_season: BuiltSeason
) -> None:
    opened, errors = page
    day = full_season.mid_season
    data = api(dashboard_url, "/api/performance", day)
    daily, bins = data["daily"], [b for b in data["calibration"] if b["n"]]
    visit(opened, errors, f"{dashboard_url}/performance?date={day}")
    assert len(daily) > 20
    assert marks(opened, "rolling-hit-rate") == present(daily, "rolling_hit_rate")
    assert opened.locator('svg[data-chart="rolling-hit-rate"] polygon.band').count() == 1  # the Wilson band
    assert marks(opened, "cumulative-roi") == present(daily, "cumulative_roi")
    assert marks(opened, "clv") == present(daily, "clv_mean")
    assert marks(opened, "calibration", "observed") == len(bins) >= 3


def test_completeness_calendar_has_one_day_per_game_date(
    page: tuple[Any, list[str]], dashboard_url: str, full_season: BuiltSeason
) -> None:
    opened, errors = page
    day = full_season.mid_season
    days = api(dashboard_url, "/api/completeness", day)
    visit(opened, errors, f"{dashboard_url}/completeness?date={day}")
    assert marks(opened, "completeness") == len(days) > 60
    complete = sum(1 for d in days if d["state"] == "complete")
    assert opened.locator('svg[data-chart="completeness"] rect.mark.complete').count() == complete


def test_the_date_selector_changes_the_content(
    page: tuple[Any, list[str]], dashboard_url: str, full_season: BuiltSeason
) -> None:
    opened, errors = page
    early, later = full_season.mid_season, full_season.mid_season - timedelta(days=21)
    visit(opened, errors, f"{dashboard_url}/sharpness?date={early}")
    before = marks(opened, "sharpness-score")
    opened.fill("#date", later.isoformat())
    with opened.expect_navigation():
        opened.click(".date-selector button")
    assert opened.locator("#shown-date").inner_text() == later.isoformat()
    assert f"date={later.isoformat()}" in opened.url
    assert marks(opened, "sharpness-score") == present(
        api(dashboard_url, "/api/vegas-sharpness/trend", later)["points"], "sharpness_score"
    )
    assert marks(opened, "sharpness-score") != before
    assert errors == []
