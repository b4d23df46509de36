"""The operator commands and the dashboard's JSON endpoints on a full simulated season (DuckDB), and on an
empty warehouse: numbers checked against the tables they come from, every format, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from courtside.dashboard.app import create_app
from shared.bootstrap import Dependencies
from tests.views_fixtures import BuiltSeason

pytestmark = pytest.mark.slow

COMMANDS = ("today", "graded", "picks", "health", "player", "dashboard")


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_all()
    return CliRunner()


def run(runner: CliRunner, season: BuiltSeason, *args: str) -> Any:
    # The CLI opens the season's DuckDB file itself: the session connection gives the file lock back first.
    season.deps.warehouse.close()  # type: ignore[attr-defined]
    return runner.invoke(app, list(args), env={"COURTSIDE_HOME": str(season.home)})


def count(deps: Dependencies, sql: str, **params: Any) -> int:
    return int(deps.warehouse.query(sql, params)[0]["n"])


def test_every_view_command_is_registered(runner: CliRunner) -> None:
    assert {c.name for c in app.registered_commands} >= set(COMMANDS)


def test_today_lists_every_current_prediction_as_json(runner: CliRunner, full_season: BuiltSeason) -> None:
    day = full_season.mid_season
    result = run(runner, full_season, "today", "--date", day.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    expected = count(
        full_season.deps,
        "SELECT COUNT(*) AS n FROM nba_predictions.player_prop_predictions_current WHERE game_date = @d",
        d=day,
    )
    assert len(rows) == expected > 100
    assert all(r["tipoff_et"].endswith(" ET") for r in rows)
    assert {r["call"] for r in rows} >= {"OVER", "UNDER", "PASS"}


def test_graded_hit_rate_counts_decided_bets_with_wilson_bounds(
    runner: CliRunner, full_season: BuiltSeason
) -> None:
    day = full_season.mid_season
    result = run(runner, full_season, "graded", "--date", day.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    champion = next(r for r in rows if r["breakdown"] == "all" and r["system"] == "catboost_points_v1")
    decided = count(
        full_season.deps,
        "SELECT COUNTIF(is_correct IS NOT NULL) AS n FROM nba_predictions.prediction_accuracy "
        "WHERE game_date = @d AND system_id = 'catboost_points_v1'",
        d=day,
    )
    assert champion["hit_rate_n"] == decided > 0
    assert champion["hit_rate_lower"] <= champion["hit_rate"] <= champion["hit_rate_upper"]
    directions = [r for r in rows if r["breakdown"] == "direction" and r["system"] == "catboost_points_v1"]
    assert sum(r["hit_rate_n"] for r in directions) == decided
    assert {r["breakdown"] for r in rows} == {"all", "tier", "direction"}


def test_picks_csv_respects_the_minimum_edge(runner: CliRunner, full_season: BuiltSeason) -> None:
    result = run(
        runner, full_season, "picks", "--date", full_season.mid_season.isoformat(), "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(abs(float(r["edge"])) >= float(r["min_edge"]) for r in rows)
    assert all(r["call"] in ("OVER", "UNDER") for r in rows)


def test_health_and_player_tables_render(runner: CliRunner, full_season: BuiltSeason) -> None:
    day = full_season.mid_season.isoformat()
    health = run(runner, full_season, "health", "--date", day)
    assert health.exit_code == 0, health.output
    assert "hit_rate_30d" in health.output and "(n=" in health.output and "last retrain" in health.output
    name = full_season.deps.warehouse.query(
        "SELECT player_name FROM nba_predictions.prediction_accuracy WHERE game_date = @d LIMIT 1",
        {"d": full_season.mid_season},
    )[0]["player_name"]
    player = run(runner, full_season, "player", name.upper(), "--date", day, "--format", "json")
    assert player.exit_code == 0, player.output
    history = json.loads(player.output)
    assert history["player_name"] == name
    assert any(p["actual_points"] is not None for p in history["predictions"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["today", "--date", "2026-07-04"], "no games on 2026-07-04"),
        (["picks", "--date", "2026-07-04"], "no games on 2026-07-04"),
        (["graded", "--date", "2026-07-04"], "no games on 2026-07-04"),
        (["player", "Nobody Atall"], "no player matches 'Nobody Atall'"),
        (["query", "SELEC 1"], "query failed: "),
        (["query", "SELECT * FROM nba_raw.no_such_table"], "query failed: "),
    ],
)
def test_nothing_to_show_is_one_line_and_exit_1(
    runner: CliRunner, full_season: BuiltSeason, args: list[str], message: str
) -> None:
    result = run(runner, full_season, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_query_csv_escapes_formula_cells(runner: CliRunner, full_season: BuiltSeason) -> None:
    result = run(runner, full_season, "query", "SELECT '=1+2' AS a, '@x' AS b, -3 AS c", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["a,b,c", "'=1+2,'@x,-3"]


@pytest.mark.parametrize("command", ["today", "graded", "picks", "health", "player jokic"])
def test_an_empty_warehouse_is_a_clear_message(
    runner: CliRunner, empty_deps: Dependencies, command: str
) -> None:
    empty_deps.warehouse.close()  # type: ignore[attr-defined]
    home = str(empty_deps.settings.home)
    result = runner.invoke(app, [*command.split(), "--date", "2026-01-15"], env={"COURTSIDE_HOME": home})
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert any(word in result.stderr for word in ("empty", "no diagnosis", "no predictions"))


# -- the dashboard's JSON endpoints (DuckDB) -----------------------------------------------------------------


def get(season: BuiltSeason, path: str, day: date) -> Any:
    response = create_app(season.deps).test_client().get(f"{path}?date={day.isoformat()}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_sharpness_trend_matches_the_daily_table(full_season: BuiltSeason) -> None:
    day = full_season.mid_season
    trend = get(full_season, "/api/vegas-sharpness/trend", day)
    rows = full_season.deps.warehouse.query(
        "SELECT game_date, sharpness_score, n_graded FROM nba_predictions.vegas_sharpness_daily "
        "WHERE system_id = 'catboost_points_v1' AND tier = 'All' AND game_date BETWEEN @s AND @d "
        "ORDER BY game_date",
        {"s": date(2025, 8, 1), "d": day},
    )
    assert [(p["game_date"], p["sharpness_score"], p["n"]) for p in trend["points"]] == [
        (r["game_date"].isoformat(), r["sharpness_score"], r["n_graded"]) for r in rows
    ]
    assert trend["bands"] == {"very_sharp_below": 45.0, "soft_from": 55.0}


def test_sharpness_by_tier_and_summary_carry_their_n(full_season: BuiltSeason) -> None:
    day = full_season.mid_season
    tiers = get(full_season, "/api/vegas-sharpness/by-tier", day)["tiers"]
    by_name = {t["tier"]: t for t in tiers}
    assert set(by_name) == {"Star", "Starter", "Rotation", "Bench", "All"}
    assert sum(by_name[t]["n"] for t in ("Star", "Starter", "Rotation", "Bench")) <= by_name["All"]["n"]
    summary = get(full_season, "/api/vegas-sharpness/summary", day)
    assert summary["latest"]["game_date"] <= day.isoformat()
    assert summary["season"]["n"] > by_name["All"]["n"] > 0


def test_performance_and_completeness_endpoints_cover_the_season(full_season: BuiltSeason) -> None:
    day = full_season.mid_season
    performance = get(full_season, "/api/performance", day)
    assert performance["daily"][-1]["cumulative_bets"] == count(
        full_season.deps,
        "SELECT COUNT(*) AS n FROM nba_predictions.prediction_accuracy "
        "WHERE system_id = 'catboost_points_v1' AND grade_status = 'graded' "
        "AND recommendation IN ('OVER', 'UNDER') AND game_date BETWEEN @s AND @d",
        s=date(2025, 8, 1),
        d=day,
    )
    assert sum(b["n"] for b in performance["calibration"]) > 1000
    calendar = get(full_season, "/api/completeness", day)
    assert len(calendar) == count(
        full_season.deps,
        "SELECT COUNT(DISTINCT game_date) AS n FROM nba_raw.schedule WHERE game_date BETWEEN @s AND @d "
        "AND status != 'postponed'",
        s=date(2025, 8, 1),
        d=day,
    )


def test_models_endpoint_shows_aliases_and_labelled_empty_lifecycle(full_season: BuiltSeason) -> None:
    models = get(full_season, "/api/models", full_season.mid_season)
    assert set(models["aliases"]) == {"champion", "shadow (catboost_points_v1_shallow)"}
    # The training policy gave both aliases: the alias history says so, newest first.
    changes = [(p["action"], p["alias"]) for p in models["promotions"]]
    assert changes == [("assign", "shadow"), ("assign", "champion")]
    assert models["aliases"]["champion"] == models["promotions"][1]["to_model_id"]
    assert models["last_retrain"] is None and "ml_experiments" in models["last_retrain_note"]


def test_an_off_season_date_is_a_clear_json_error(full_season: BuiltSeason) -> None:
    response = create_app(full_season.deps).test_client().get("/api/picks?date=2026-07-04")
    assert response.status_code == 404
    assert "no games on 2026-07-04" in response.get_json()["error"]
    bad = create_app(full_season.deps).test_client().get("/api/picks?date=July")
    assert bad.status_code == 400


def test_pages_answer_on_an_empty_warehouse(empty_deps: Dependencies) -> None:
    client = create_app(empty_deps).test_client()
    for path in ("/", "/sharpness", "/performance", "/completeness", "/models", "/player?q=x"):
        response = client.get(path + ("&" if "?" in path else "?") + "date=2026-01-15")
        assert response.status_code == 200, path
        assert "Courtside" in response.get_data(as_text=True)
    assert client.get("/api/vegas-sharpness/trend?date=2026-01-15").status_code == 404
