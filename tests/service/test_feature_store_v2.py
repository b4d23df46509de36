"""Contract v2's features from the feature SQL on DuckDB: a hand-computed example for each, and the leakage
guards (the predicted game's own result, any later game and any injury report published after the decision
time change none of them)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.domain.features import CONTRACT_V1, CONTRACT_V2, FEATURE_VERSION
from shared.feature_rows import read_feature_rows
from shared.services.feature_store import build_features
from tests.predict_fixtures import box, game, injury, write_raw

D = date(2025, 1, 20)  # BOS (home) v NYK, 19:00 ET; the 2024-25 season started in October 2024
G1 = "G1"
AS_OF = eastern_datetime(D, 18)
V2_ONLY = CONTRACT_V2.names[len(CONTRACT_V1.names) :]


def history() -> list[dict[str, Any]]:
    rows = [
        # p1 (BOS): one game last season (30 points), five this season: 10, 14, 12, 20, 24.
        box("L0", date(2024, 4, 10), "p1", "BOS", "CHI", 30, 36),
        *(
            box(f"S{i}", date(2025, 1, 2 + 2 * i), "p1", "BOS", "CHI", points, 30)
            for i, points in enumerate((10, 14, 12, 20, 24))
        ),
        # Teammates: p3 (season 20 and 25 points in 30 and 34 minutes; 40 last season does not count),
        # p4 (8 points in 15 minutes), p6, and p7 (played last season only).
        box("L0", date(2024, 4, 10), "p3", "BOS", "CHI", 40, 40),
        box("S0", date(2025, 1, 2), "p3", "BOS", "CHI", 20, 30),
        box("S1", date(2025, 1, 4), "p3", "BOS", "CHI", 25, 34),
        box("S2", date(2025, 1, 6), "p4", "BOS", "CHI", 8, 15),
        box("S3", date(2025, 1, 8), "p6", "BOS", "CHI", 30, 36),
        box("L0", date(2024, 4, 10), "p7", "BOS", "CHI", 12, 20),
        box("S4", date(2025, 1, 10), "p7", "BOS", "CHI", 0, 0, status="inactive"),
        # p9 (BOS): two games only. Scores 10 twice: no slope (fewer than 3) and no z-score.
        box("S3", date(2025, 1, 8), "p9", "BOS", "CHI", 10, 20),
        box("S4", date(2025, 1, 10), "p9", "BOS", "CHI", 10, 20),
        # NYK: p5 plays; p8 (10 and 12 points in 20 and 22 minutes) will be OUT.
        box("N0", date(2025, 1, 3), "p5", "NYK", "MIA", 15, 30, is_home=False),
        box("N1", date(2025, 1, 5), "p5", "NYK", "MIA", 17, 30, is_home=False),
        box("N0", date(2025, 1, 3), "p8", "NYK", "MIA", 10, 20, is_home=False),
        box("N1", date(2025, 1, 5), "p8", "NYK", "MIA", 12, 22, is_home=False),
    ]
    # p10 (BOS): three season games of 10 points: the season's sd is 0, so no z-score; the slope is 0.
    rows += [box(f"S{i}", date(2025, 1, 2 + 2 * i), "p10", "BOS", "CHI", 10, 18) for i in range(3)]
    return rows


def injuries() -> list[dict[str, Any]]:
    return [
        injury(D, "p3", "OUT", eastern_datetime(D - timedelta(days=1), 17)),
        injury(D, "p4", "QUESTIONABLE", eastern_datetime(D, 11)),
        injury(D, "p4", "OUT", eastern_datetime(D, 17)),  # latest at as_of
        injury(D, "p6", "QUESTIONABLE", eastern_datetime(D, 11)),
        injury(D, "p6", "OUT", eastern_datetime(D, 18, 30)),  # published after as_of: not seen
        injury(D, "p7", "OUT", eastern_datetime(D, 11)),
        injury(D, "p8", "out", eastern_datetime(D, 12)),
        injury(D - timedelta(days=2), "p1", "OUT", eastern_datetime(D - timedelta(days=2), 12)),  # other date
    ]


def v2_features(deps: Any) -> dict[str, dict[str, Any]]:
    build_features(deps.warehouse, D, AS_OF, deps.settings)
    rows = read_feature_rows(deps.warehouse, D, FEATURE_VERSION)
    return {str(row["player_id"]): {name: row[name] for name in V2_ONLY} for row in rows}


@pytest.fixture
def raw(deps: Any) -> Any:
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history(), injuries=injuries())
    return deps


def test_the_new_features_are_v2_s_appended_ones() -> None:
    assert V2_ONLY == ("pts_slope_last10", "pts_zscore_last3", "teammates_out_pts", "teammates_out_min")


def test_points_slope_over_the_last_10_by_hand(raw: Any) -> None:
    p1 = v2_features(raw)["p1"]
    # History oldest to newest, across seasons: 30, 10, 14, 12, 20, 24 at x = 1..6. n = 6, Σx = 21,
    # Σy = 110, Σxy = 30 + 20 + 42 + 48 + 100 + 144 = 384, Σx² = 91:
    # slope = (6 * 384 - 21 * 110) / (6 * 91 - 21²) = (2304 - 2310) / (546 - 441) = -6 / 105.
    assert p1["pts_slope_last10"] == pytest.approx(-6 / 105)


def test_points_slope_uses_only_the_last_10(raw: Any) -> None:
    extra = [box(f"E{i}", date(2024, 12, 1 + i), "p1", "BOS", "CHI", 50, 30) for i in range(6)]
    write_raw(raw.warehouse, boxscores=extra)
    # Now 12 history games: the last 10 are the newest five December 50s, then 10, 14, 12, 20, 24.
    ys = [50, 50, 50, 50, 50, 10, 14, 12, 20, 24]
    xs = list(range(1, 11))
    n, sx, sy = 10, sum(xs), sum(ys)
    sxy, sxx = sum(x * y for x, y in zip(xs, ys, strict=True)), sum(x * x for x in xs)
    assert v2_features(raw)["p1"]["pts_slope_last10"] == pytest.approx(
        (n * sxy - sx * sy) / (n * sxx - sx**2)
    )


def test_z_score_of_the_last_3_against_the_season_by_hand(raw: Any) -> None:
    p1 = v2_features(raw)["p1"]
    # Season 10, 14, 12, 20, 24: mean 16, squared deviations 36 + 4 + 16 + 16 + 64 = 136, sd = sqrt(136 / 4).
    # Last 3: 12, 20, 24, mean 56 / 3. z = (56 / 3 - 16) / sqrt(34). Last season's 30 is not in the season.
    assert p1["pts_zscore_last3"] == pytest.approx((56 / 3 - 16) / math.sqrt(34))


def test_slope_and_z_score_are_missing_without_enough_games(raw: Any) -> None:
    features = v2_features(raw)
    assert features["p9"]["pts_slope_last10"] is None  # 2 history games
    assert features["p9"]["pts_zscore_last3"] is None  # 2 season games
    assert features["p10"]["pts_slope_last10"] == pytest.approx(0.0)  # three 10s
    assert features["p10"]["pts_zscore_last3"] is None  # the season's sd is 0


def test_teammates_ruled_out_at_the_decision_time_by_hand(raw: Any) -> None:
    features = v2_features(raw)
    # p1's OUT teammates at as_of: p3 (season 22.5 points, 32 minutes per game), p4 (8, 15) and p7 (no game
    # this season: 0). p6's OUT came after as_of; p8 is OUT for NYK; p1's own OUT was for another date.
    assert (features["p1"]["teammates_out_pts"], features["p1"]["teammates_out_min"]) == (
        pytest.approx(30.5),
        pytest.approx(47.0),
    )
    # p3 is OUT himself: his teammates p4 and p7 count, never he.
    assert (features["p3"]["teammates_out_pts"], features["p3"]["teammates_out_min"]) == (8.0, 15.0)
    # NYK's p5: p8 (11 points, 21 minutes per game).
    assert (features["p5"]["teammates_out_pts"], features["p5"]["teammates_out_min"]) == (11.0, 21.0)


def test_nobody_out_is_zero_and_no_report_at_all_is_missing(deps: Any) -> None:
    write_raw(deps.warehouse, schedule=[game(G1, D, "BOS", "NYK")], boxscores=history())
    assert v2_features(deps)["p1"]["teammates_out_pts"] is None
    write_raw(deps.warehouse, injuries=[injury(D, "p4", "QUESTIONABLE", eastern_datetime(D, 11))])
    p1 = v2_features(deps)["p1"]
    assert (p1["teammates_out_pts"], p1["teammates_out_min"]) == (0.0, 0.0)


# -- leakage --------------------------------------------------------------------------------------------


def test_the_predicted_game_and_later_games_change_no_v2_feature(raw: Any) -> None:
    first = v2_features(raw)
    assert first["p1"]["pts_slope_last10"] is not None
    for points, minutes in ((60, 48.0), (0, 1.0)):
        raw.warehouse.execute("DELETE FROM nba_raw.boxscores WHERE game_date >= @d", {"d": D})
        future = []
        for offset in range(3):  # the predicted game itself, then the next two days
            day = D + timedelta(days=offset)
            for player in ("p1", "p3", "p4", "p8", "p9", "p10"):
                team, opponent = ("NYK", "BOS") if player == "p8" else ("BOS", "NYK")
                future.append(box(f"F{offset}", day, player, team, opponent, points, minutes))
        write_raw(raw.warehouse, boxscores=future)
        assert v2_features(raw) == first


def test_injury_reports_published_after_the_decision_time_change_no_v2_feature(raw: Any) -> None:
    first = v2_features(raw)
    later = AS_OF + timedelta(seconds=1)
    write_raw(
        raw.warehouse,
        injuries=[
            injury(D, "p3", "AVAILABLE", later),  # un-ruled out after as_of
            injury(D, "p9", "OUT", later),
            injury(D, "p5", "OUT", later + timedelta(minutes=30)),
            injury(D + timedelta(days=1), "p1", "OUT", AS_OF - timedelta(hours=1)),  # the next date's report
        ],
    )
    assert v2_features(raw) == first
