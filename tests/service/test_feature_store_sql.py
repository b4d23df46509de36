"""The feature SQL on DuckDB against hand-computed values, the roster rule, and the leakage guards."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.domain.features import FEATURE_VERSION
from shared.feature_rows import read_feature_rows
from shared.services.feature_store import FEATURE_STORE, build_features
from tests.predict_fixtures import box, game, injury, line, table_rows, write_raw

D = date(2025, 1, 10)  # BOS (home) v NYK, 19:00 ET
G1 = "G1"
AS_OF = eastern_datetime(D, 18)
TIP = eastern_datetime(D, 19)


def history() -> list[dict[str, Any]]:
    rows = [
        # p1 (BOS): one game last season, three this season, a DNP that is not a history game.
        box("B0", date(2024, 4, 10), "p1", "BOS", "CHI", 30, 36, fga=20, fta=6, fg3a=8),
        box("B1", date(2025, 1, 2), "p1", "BOS", "CHI", 10, 30, fga=8, fta=2, fg3a=3),
        box("B2", date(2025, 1, 5), "p1", "BOS", "CHI", 20, 32, fga=15, fta=4, fg3a=5),
        box("B3", date(2025, 1, 7), "p1", "BOS", "CHI", 0, 0, status="dnp"),
        box("B4", date(2025, 1, 9), "p1", "BOS", "CHI", 15, 28, fga=12, fta=3, fg3a=4),
        # p5 traded: BOS on Jan 2, then NYK on Jan 8 -> expected with NYK.
        box("B1", date(2025, 1, 2), "p5", "BOS", "CHI", 12, 20),
        box("N7", date(2025, 1, 8), "p5", "NYK", "MIA", 10, 25, is_home=False),
        # p6: BOS, last seen more than 30 days before BOS's last game -> not expected.
        box("B9", date(2024, 11, 1), "p6", "BOS", "CHI", 8, 15),
        # p7: same as p6 but with a pre-tip line for the game -> expected.
        box("B8", date(2024, 11, 20), "p7", "BOS", "CHI", 9, 15),
        # p8: played Dec 20, DNP on Jan 9 -> expected (any box-score status counts for the roster).
        box("B10", date(2024, 12, 20), "p8", "BOS", "CHI", 4, 10),
        box("B4", date(2025, 1, 9), "p8", "BOS", "CHI", 0, 0, status="dnp"),
    ]
    # p2 (NYK): six games Jan 1..6 with 2, 4, ..., 12 points, no FGA/FTA/FG3A; MIA's p3 scores against NYK.
    for offset, (points, allowed) in enumerate(
        zip((2, 4, 6, 8, 10, 12), (100, 90, 110, 105, 95, 120), strict=True)
    ):
        day = date(2025, 1, 1) + timedelta(days=offset)
        rows.append(box(f"N{offset}", day, "p2", "NYK", "MIA", points, 20, is_home=False))
        rows.append(box(f"N{offset}", day, "p3", "MIA", "NYK", allowed, 40))
    # CHI's p4 scores against BOS: BOS allowed 99, 101, 103, 105, 107.
    for game_id, day, allowed in (
        ("B0", date(2024, 4, 10), 99),
        ("B1", date(2025, 1, 2), 101),
        ("B2", date(2025, 1, 5), 103),
        ("B3", date(2025, 1, 7), 105),
        ("B4", date(2025, 1, 9), 107),
    ):
        rows.append(box(game_id, day, "p4", "CHI", "BOS", allowed, 40, is_home=False))
    return rows


def lines() -> list[dict[str, Any]]:
    return [
        line(G1, D, "p1", 20.5, eastern_datetime(D, 10)),
        line(G1, D, "p1", 21.5, eastern_datetime(D, 17)),
        line(G1, D, "p1", 19.5, eastern_datetime(D, 17, 30), "FanDuel"),
        line(G1, D, "p1", 25.5, eastern_datetime(D, 18, 30)),  # after as_of
        line(G1, D, "p1", 30.5, eastern_datetime(D, 19, 30), is_in_game=True),  # in-game
        line(G1, D, "p2", 8.5, eastern_datetime(D, 12), "FanDuel"),
        line(G1, D, "p7", 6.5, eastern_datetime(D, 12)),
    ]


def injuries() -> list[dict[str, Any]]:
    return [
        injury(D, "p1", "QUESTIONABLE", eastern_datetime(D, 11)),
        injury(D, "p1", "OUT", eastern_datetime(D, 18, 30)),  # after as_of
    ]


@pytest.fixture
def built(deps):
    write_raw(
        deps.warehouse,
        schedule=[game(G1, D, "BOS", "NYK")],
        boxscores=history(),
        injuries=injuries(),
        lines=lines(),
    )
    report = build_features(deps.warehouse, D, AS_OF, deps.settings)
    return report, {row["player_id"]: row for row in read_feature_rows(deps.warehouse, D, FEATURE_VERSION)}


def test_expected_players_follow_the_roster_rule(built):
    report, rows = built
    assert sorted(rows) == ["p1", "p2", "p5", "p7", "p8"]
    assert report.rows_written == 5
    assert (rows["p5"]["team"], rows["p5"]["opponent"], rows["p5"]["is_home"]) == ("NYK", "BOS", 0.0)
    assert (rows["p1"]["team"], rows["p1"]["opponent"], rows["p1"]["is_home"]) == ("BOS", "NYK", 1.0)
    assert all(row["game_id"] == G1 for row in rows.values())


def test_player_features_match_hand_computed_values(built):
    _, rows = built
    p1 = rows["p1"]
    # History [30 (last season), 10, 20, 15]; the DNP does not count.
    assert p1["history_games"] == 4
    assert p1["pts_avg_last5"] == pytest.approx(18.75)
    assert p1["pts_avg_last10"] == pytest.approx(18.75)
    assert p1["pts_avg_season"] == pytest.approx(15.0)
    assert p1["pts_std_last10"] == pytest.approx(math.sqrt(218.75 / 3))
    assert p1["min_avg_last5"] == pytest.approx(31.5)
    assert p1["fga_avg_last10"] == pytest.approx(13.75)
    assert p1["fta_avg_last10"] == pytest.approx(3.75)
    assert p1["fg3a_avg_last10"] == pytest.approx(5.0)
    assert p1["rest_days"] == 0.0
    assert p1["is_back_to_back"] == 1.0
    assert p1["games_played_season"] == 3.0
    assert p1["opp_pts_allowed_last10"] == pytest.approx(620 / 6)  # NYK allowed 100, 90, 110, 105, 95, 120
    assert p1["injury_status"] == "QUESTIONABLE"  # the OUT report came after as_of
    assert p1["injury_status_code"] == 2.0
    assert p1["defaulted_count"] == 0
    assert p1["is_production_ready"] is False  # 4 history games < 5

    p2 = rows["p2"]
    assert p2["pts_avg_last5"] == pytest.approx(8.0)  # 4, 6, 8, 10, 12
    assert p2["pts_avg_last10"] == pytest.approx(7.0)
    assert p2["pts_std_last10"] == pytest.approx(math.sqrt(14.0))
    assert p2["rest_days"] == 3.0
    assert p2["is_back_to_back"] == 0.0
    assert p2["opp_pts_allowed_last10"] == pytest.approx(103.0)  # BOS allowed 99..107 across seasons
    # No FGA/FTA/FG3A in its box scores: the three proxies take their defaults and count as defaulted.
    assert (p2["fga_avg_last10"], p2["fta_avg_last10"], p2["fg3a_avg_last10"]) == (7.0, 2.0, 2.5)
    assert p2["defaulted_count"] == 3
    assert p2["defaulted_features"] == "fga_avg_last10,fta_avg_last10,fg3a_avg_last10"
    assert p2["injury_status_code"] == 0.0  # absent from an available report
    assert p2["history_games"] == 6
    assert p2["is_production_ready"] is True


def test_line_columns_come_from_the_line_policy(built):
    _, rows = built
    p1 = rows["p1"]
    assert (p1["line_source"], p1["line_value"], p1["line_bookmaker"]) == ("ACTUAL_PROP", 21.5, "DraftKings")
    assert p1["line_snapshot_at"] == eastern_datetime(D, 17)
    assert p1["line_minutes_before_tip"] == pytest.approx(120.0)
    assert (p1["opening_line"], p1["line_movement"], p1["has_line"]) == (20.5, 1.0, 1.0)
    assert (p1["line_over_price"], p1["line_under_price"]) == (-110, -110)
    assert (rows["p2"]["line_bookmaker"], rows["p2"]["line_value"]) == ("FanDuel", 8.5)
    p8 = rows["p8"]
    assert (p8["line_source"], p8["line_value"], p8["has_line"], p8["line_movement"]) == (
        "NO_PROP_LINE",
        None,
        0.0,
        None,
    )


def test_player_without_history_gets_defaults(built):
    _, rows = built
    p8 = rows["p8"]
    assert p8["history_games"] == 1
    assert p8["pts_std_last10"] == 5.0  # fewer than 2 games: default
    assert p8["rest_days"] == 10.0  # Dec 20 -> Jan 10 is capped


def test_no_injury_report_at_all_is_unknown_and_defaulted(deps):
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history())
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    rows = {row["player_id"]: row for row in read_feature_rows(deps.warehouse, D, FEATURE_VERSION)}
    assert rows["p1"]["injury_status_code"] == 0.0
    # Unknown too: v2's teammates' absences (no report says who is OUT).
    assert rows["p1"]["defaulted_count"] == 3
    assert rows["p1"]["defaulted_features"] == "injury_status_code,teammates_out_pts,teammates_out_min"
    assert "p7" not in rows  # no line, so the 30-day rule alone decides


# -- leakage guards ----------------------------------------------------------------------------------------


def _future_boxscores(points: int, minutes: float, status: str) -> list[dict[str, Any]]:
    """Box scores ON and after D: the game being predicted, a same-day game, the next days, a new player."""
    rows = []
    for offset in range(3):
        day = D + timedelta(days=offset)
        for player, team, opponent in (("p1", "BOS", "NYK"), ("p2", "NYK", "BOS"), ("p5", "NYK", "BOS")):
            rows.append(
                box(f"F{offset}", day, player, team, opponent, points, minutes, status=status, fga=points)
            )
        rows.append(box(f"F{offset}", day, "p9", "BOS", "NYK", points, minutes, status=status))
        rows.append(box(f"X{offset}", day, "p3", "MIA", "NYK", points * 3, minutes))
    return rows


def _feature_table(deps) -> list[dict[str, Any]]:
    return table_rows(deps.warehouse, FEATURE_STORE, "game_date, player_id")


def test_box_scores_on_or_after_the_date_change_nothing(deps):
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history(), lines=lines())
    write_raw(deps.warehouse, boxscores=_future_boxscores(40, 44.0, "played"))
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    first = _feature_table(deps)
    assert {row["player_id"] for row in first} == {"p1", "p2", "p5", "p7", "p8"}

    deps.warehouse.execute("DELETE FROM nba_raw.boxscores WHERE game_date >= @d", {"d": D})
    write_raw(deps.warehouse, boxscores=_future_boxscores(0, 1.0, "inactive"))
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    assert _feature_table(deps) == first

    deps.warehouse.execute("DELETE FROM nba_raw.boxscores WHERE game_date >= @d", {"d": D})
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    assert _feature_table(deps) == first


def test_line_snapshots_after_as_of_or_tip_change_nothing(deps):
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history(), lines=lines())
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    first = _feature_table(deps)
    late = [
        line(G1, D, "p1", 35.5, AS_OF + timedelta(minutes=1)),  # after as_of, before tip
        line(G1, D, "p2", 1.5, AS_OF + timedelta(minutes=5), "DraftKings"),
        line(G1, D, "p6", 3.5, AS_OF + timedelta(minutes=5)),  # would add p6 to the roster
        line(G1, D, "p1", 40.5, TIP, is_in_game=True),
        line(G1, D, "p8", 2.5, TIP + timedelta(hours=1), is_in_game=True),
    ]
    write_raw(deps.warehouse, lines=late)
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    assert _feature_table(deps) == first


def test_injury_reports_after_as_of_change_nothing(deps):
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history(), injuries=injuries())
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    first = _feature_table(deps)
    write_raw(
        deps.warehouse,
        injuries=[
            injury(D, "p1", "AVAILABLE", AS_OF + timedelta(seconds=1)),
            injury(D, "p2", "OUT", AS_OF + timedelta(minutes=30)),
            injury(D + timedelta(days=1), "p2", "OUT", AS_OF - timedelta(hours=1)),  # another date's report
        ],
    )
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    assert _feature_table(deps) == first
