"""The calibration report's figures follow the real-season note's definitions, checked on hand-made box scores
whose answers can be worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from courtside.simulator.realism import REAL_2022_23, default_cutoff, naive_predictability, side_by_side

START = date(2025, 10, 21)


def _games(player: str, points: list[int], minutes: list[float], first: date = START) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "player_id": player,
            "game_date": [(first + timedelta(days=2 * k)).isoformat() for k in range(len(points))],
            "minutes": minutes,
            "points": points,
        }
    )


def test_rows_need_three_earlier_played_games_and_stop_at_the_cutoff() -> None:
    # Game 3 is a DNP (0 minutes): it is neither a row nor an earlier game of the rows after it.
    box = _games("1", [10, 20, 30, 0, 40, 50], [30, 30, 30, 0, 30, 30])
    figures = naive_predictability(box, until=date(2030, 1, 1))
    assert figures["rows"] == 2  # the 40 (after 10, 20, 30) and the 50
    # season-to-date means 20 and 25: errors 20 and 25
    assert figures["MAE season (all played)"] == pytest.approx(22.5)
    # with fewer than 5 earlier games l5 is the mean of all of them, like the season mean
    assert figures["MAE l5 (all played)"] == pytest.approx(22.5)
    cut = naive_predictability(box, until=date.fromisoformat(box["game_date"].iloc[4]))
    assert cut["rows"] == 1


def test_l5_l10_and_ewm_use_only_the_most_recent_earlier_games() -> None:
    points = [0] * 10 + [10] * 5 + [7]
    figures = naive_predictability(_games("1", points, [30.0] * 16), until=date(2030, 1, 1))
    last_error = {
        "l5": abs(10 - 7),
        "l10": abs(5 - 7),
        "season": abs(50 / 15 - 7),
        "ewm": abs(pd.Series(points[:-1], dtype=float).ewm(span=10).mean().iloc[-1] - 7),
    }
    # rows 4..16 (13 rows); check the predictors through the last row's error by removing it
    without_last = naive_predictability(_games("1", points[:-1], [30.0] * 15), until=date(2030, 1, 1))
    for name, error in last_error.items():
        total = figures[f"MAE {name} (all played)"] * figures["rows"]
        earlier = without_last[f"MAE {name} (all played)"] * without_last["rows"]
        assert total - earlier == pytest.approx(error)


def test_rotation_needs_fourteen_minutes_over_the_last_ten_and_tiers_are_rotation_rows() -> None:
    star = _games("1", [25, 35] * 6, [36.0] * 12)
    bench = _games("2", [2, 4] * 6, [10.0] * 12)
    figures = naive_predictability(pd.concat([star, bench]), until=date(2030, 1, 1))
    assert figures["rows"] == 18
    assert figures["tier >= 22 rows"] == 9
    assert figures["tier 6-14 rows"] == 0  # bench rows average 3 points and are not rotation anyway
    assert figures["MAE season (rotation)"] > figures["MAE season (all played)"]


def test_lag_one_correlation_sees_streaks_of_the_same_player_only() -> None:
    rng = np.random.default_rng(3)
    streaky = np.repeat(rng.choice([5, 25], size=40), 4)  # four-game streaks
    noisy = rng.choice([5, 25], size=160)
    streak = naive_predictability(_games("1", list(streaky), [30.0] * 160), until=date(2030, 1, 1))
    noise = naive_predictability(_games("1", list(noisy), [30.0] * 160), until=date(2030, 1, 1))
    assert streak["lag-1 correlation"] > 0.5
    assert abs(noise["lag-1 correlation"]) < 0.2


def test_default_cutoff_is_the_first_of_february_of_the_season() -> None:
    assert default_cutoff(_games("1", [1], [1.0], first=date(2022, 10, 18))) == date(2023, 2, 1)
    assert default_cutoff(_games("1", [1], [1.0], first=date(2026, 1, 2))) == date(2026, 2, 1)


def test_side_by_side_lists_every_real_figure_and_averages_several_seeds() -> None:
    one = dict.fromkeys(REAL_2022_23, 1.0)
    three = dict.fromkeys(REAL_2022_23, 3.0)
    table = side_by_side({"seed 1": one, "seed 3": three})
    assert table[0] == ["figure", "real 2022-23", "seed 1", "seed 3", "mean of seeds"]
    assert [row[0] for row in table[1:]] == list(REAL_2022_23)
    assert table[-1][-1] == "2.00"
