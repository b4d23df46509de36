"""Consecutive seasons of one simulated league: players keep their ids, age, retire, move; rookies arrive;
the first season is the single season of the same seed."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from courtside.simulator.players import ROSTER_SIZE, TEAM_CODES, League
from courtside.simulator.realism import read_box_scores
from courtside.simulator.season import nba_calendar, next_season
from courtside.simulator.simulate import league_history, season_stream_seed, simulate_games, simulate_seasons

SEASONS = ["2025-26", "2026-27", "2027-28", "2028-29"]


@pytest.fixture(scope="module")
def history() -> list[League]:
    return league_history(SEASONS, seed=42)


def test_the_2025_26_calendar_is_the_published_one_and_later_seasons_follow_its_shape() -> None:
    published = nba_calendar("2025-26")
    assert (published.first_date, published.last_date) == (date(2025, 10, 21), date(2026, 4, 12))
    assert published.all_star_break == (date(2026, 2, 13), date(2026, 2, 18))
    assert published.no_game_dates == (date(2025, 11, 27),)  # Thanksgiving
    later = nba_calendar("2026-27")
    assert later.first_date.weekday() == 1 and later.first_date.month == 10
    assert later.no_game_dates == (date(2026, 11, 26),)
    assert len(later.playable_dates()) == len(published.playable_dates())
    assert next_season("2025-26") == "2026-27" and next_season("2099-00") == "2100-01"
    with pytest.raises(ValueError):
        nba_calendar("2025-27")


def test_players_keep_their_ids_and_age_one_year_per_season(history: list[League]) -> None:
    for earlier, later in itertools.pairwise(history):
        age_before = dict(zip(earlier.player_id, earlier.age, strict=True))
        age_after = dict(zip(later.player_id, later.age, strict=True))
        kept = set(age_before) & set(age_after)
        assert 0.8 * ROSTER_SIZE * len(TEAM_CODES) <= len(kept) < ROSTER_SIZE * len(TEAM_CODES)
        assert all(age_after[p] == age_before[p] + 1 for p in kept)
        names_before = dict(zip(earlier.player_id, earlier.player_name, strict=True))
        assert all(
            names_before[p] == n for p, n in zip(later.player_id, later.player_name, strict=True) if p in kept
        )


def test_old_players_retire_rookies_fill_every_roster_and_ids_are_never_reused(history: list[League]) -> None:
    ever_seen: set[str] = set(history[0].player_id)
    for earlier, later in itertools.pairwise(history):
        gone = ~np.isin(earlier.player_id, later.player_id)
        assert 20 <= gone.sum() <= 100
        veterans, young = earlier.age >= 32, earlier.age < 29  # retirement comes with age (a year older now)
        assert gone[veterans].mean() > 2 * gone[young].mean()
        rookies = ~np.isin(later.player_id, earlier.player_id)
        assert rookies.sum() == gone.sum()
        assert later.age[rookies].max() <= 22
        assert not set(later.player_id[rookies]) & ever_seen
        ever_seen |= set(later.player_id)
        assert np.all(np.bincount(later.initial_team, minlength=len(TEAM_CODES)) == ROSTER_SIZE)
        assert sorted(zip(later.initial_team, later.slot, strict=False)) == [
            (t, s) for t in range(len(TEAM_CODES)) for s in range(ROSTER_SIZE)
        ]
        assert len(set(later.player_name)) == later.size


def test_some_players_change_teams_and_some_change_roles(history: list[League]) -> None:
    earlier, later = history[0], history[1]
    end_team = dict(
        zip(earlier.player_id, earlier.team_on([nba_calendar("2025-26").last_date])[:, 0], strict=True)
    )
    slot_before = dict(zip(earlier.player_id, earlier.slot, strict=True))
    kept = [i for i, p in enumerate(later.player_id) if p in end_team]
    moved = sum(later.initial_team[i] != end_team[later.player_id[i]] for i in kept)
    assert 0.08 * len(kept) <= moved <= 0.35 * len(kept)
    promoted = sum(later.slot[i] < slot_before[later.player_id[i]] for i in kept)
    assert promoted > 50


def test_the_league_stays_realistic_season_after_season(history: list[League]) -> None:
    for index in (0, len(SEASONS) - 1):
        season = SEASONS[index]
        box = simulate_games(season, season_stream_seed(42, season, index), league=history[index]).box
        team_points = box.groupby(["game", "team"])["points"].sum()
        assert 110 <= team_points.mean() <= 119
        assert team_points.groupby(level="team").mean().std() < 7.5  # teams stay within reach of each other
        played = box[box["final_status"] == "played"]
        ppg = played.groupby("player")["points"].mean()
        assert 6 <= (ppg > 25).sum() <= 24
        assert 24 <= history[index].age.mean() <= 29


def test_simulate_seasons_refuses_a_gap_between_seasons(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="consecutive"):
        simulate_seasons(tmp_path / "x", ["2025-26", "2027-28"])


def test_cli_writes_consecutive_seasons_whose_first_is_the_single_season(tmp_path: Path) -> None:
    _register_all()
    out = tmp_path / "league"
    result = CliRunner().invoke(app, ["simulate", "--out", str(out), "--seasons", "2025-26,2026-27"])
    assert result.exit_code == 0, result.output
    first, second = read_box_scores(out / "2025-26"), read_box_scores(out / "2026-27")
    # The first season is exactly the single season of seed 42.
    single = simulate_games("2025-26", 42).box
    single = single.assign(game_date=single["game_date"].astype(str))
    columns = ["player_id", "game_date", "minutes", "points"]
    expected = single[columns].sort_values(["game_date", "player_id"]).reset_index(drop=True)
    written = first[columns].sort_values(["game_date", "player_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    # The second continues the league: most of its players played the first, under the same ids.
    ids_first, ids_second = set(first["player_id"]), set(second["player_id"])
    assert len(ids_first & ids_second) >= 0.8 * len(ids_second)
    assert ids_second - ids_first  # and rookies
    manifest = json.loads((out / "2026-27" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["season"] == "2026-27" and manifest["first_game_date"] == "2026-10-20"
    schedule = pd.read_csv(out / "2026-27" / "schedule" / "season.csv", dtype=str)
    assert schedule["game_id"].str.startswith("00226").all() and len(schedule) == 1230
