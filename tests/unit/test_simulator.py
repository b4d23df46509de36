"""The season simulator: determinism, season shape, time zones, lines, calibration targets and scenarios.

Each scenario is simulated once per module (a full season takes a few seconds) and checked from the files
it wrote, the way a consumer would read them.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from courtside.cli import _register_all, app
from courtside.simulator import SCENARIOS, simulate_season
from courtside.simulator.books import BOOKMAKERS, CONSENSUS_FEED
from courtside.simulator.realism import REAL_2022_23, naive_predictability, read_box_scores
from courtside.simulator.season import eastern_to_utc
from courtside.simulator.simulate import simulate_games
from shared.domain.teams import PACIFIC_TEAMS, TEAMS

EASTERN = ZoneInfo("America/New_York")
ONSET = date(2026, 1, 15)
REAL_BOOKS = {b.name for b in BOOKMAKERS}
LIVE_BOOKS = {b.name for b in BOOKMAKERS if b.live}


SeasonGetter = Callable[..., Path]


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> SeasonGetter:
    """Simulates a season on first use and caches it for the module. Key: 'scenario[:seed[:tag]]'."""
    root = tmp_path_factory.mktemp("seasons")
    cache: dict[str, Path] = {}

    def get(key: str = "clean") -> Path:
        if key not in cache:
            parts = key.split(":")
            out = root / key.replace(":", "_")
            simulate_season(out, seed=int(parts[1]) if len(parts) > 1 else 42, scenario=parts[0])
            cache[key] = out
        return cache[key]

    return get


def _read_all(folder: Path, pattern: str = "*.csv") -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder.glob(pattern))]
    return pd.concat(frames, ignore_index=True)


def _utc(stamps: pd.Series) -> pd.Series:
    return pd.to_datetime(stamps, format="%Y-%m-%dT%H:%M:%SZ", utc=True)


def _tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _results(root: Path) -> pd.DataFrame:
    return _read_all(root / "schedule", "20*.csv")


def _closing_lines(root: Path) -> pd.DataFrame:
    """Last pre-tip snapshot per (game, player, real book), joined to the box score of players who played."""
    lines = _read_all(root / "lines", "*_close.csv")
    lines = lines[lines["bookmaker"].isin(REAL_BOOKS)]
    tip = _results(root).set_index("game_id")["tipoff_utc"]
    lines = lines.assign(snap=_utc(lines["snapshot_at"]), tip=_utc(lines["game_id"].map(tip)))
    lines = lines[lines["snap"] < lines["tip"]]
    last = lines.sort_values("snap").groupby(["game_id", "player_id", "bookmaker"]).tail(1)
    box = _read_all(root / "boxscores")
    box = box[box["status"] == "played"][["game_id", "player_id", "points", "game_date"]]
    joined = last.drop(columns="game_date").merge(box, on=["game_id", "player_id"])
    return joined.assign(line=joined["line"].astype(float), points=joined["points"].astype(float))


def _mae(frame: pd.DataFrame) -> float:
    return float((frame["line"] - frame["points"]).abs().mean())


# --- determinism -------------------------------------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(season: SeasonGetter) -> None:
    first, again = _tree_hashes(season("clean")), _tree_hashes(season("clean:42:again"))
    assert len(first) > 500
    assert first == again


def test_another_seed_gives_different_files(season: SeasonGetter) -> None:
    first, other = _tree_hashes(season("clean")), _tree_hashes(season("clean:7"))
    assert first["schedule/season.csv"] != other["schedule/season.csv"]
    shared_files = set(first) & set(other)
    assert sum(first[f] != other[f] for f in shared_files) > 0.95 * len(shared_files)


def test_refuses_unknown_scenario_and_non_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        simulate_season(tmp_path / "x", scenario="nope")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file.txt").write_text("x")
    with pytest.raises(FileExistsError):
        simulate_season(tmp_path / "busy")


# --- season shape ------------------------------------------------------------------------------------------


def test_published_schedule_has_1230_games_41_home_41_away(season: SeasonGetter) -> None:
    published = pd.read_csv(season() / "schedule" / "season.csv", dtype=str)
    assert list(published.columns) == [
        "game_id",
        "game_date",
        "tipoff_utc",
        "home_team",
        "away_team",
        "status",
    ]
    assert len(published) == 1230
    assert published["game_id"].is_unique
    assert set(published["status"]) == {"scheduled"}
    assert set(published["home_team"]) | set(published["away_team"]) == set(TEAMS)
    assert set(published["home_team"].value_counts()) == {41}
    assert set(published["away_team"].value_counts()) == {41}


def test_every_team_plays_82_final_games_inside_the_season(season: SeasonGetter) -> None:
    results = _results(season())
    final = results[results["status"] == "final"]
    assert len(final) == 1230
    per_team = pd.concat([final["home_team"], final["away_team"]]).value_counts()
    assert set(per_team) == {82} and len(per_team) == 30
    dates = pd.to_datetime(final["game_date"]).dt.date
    assert dates.min() == date(2025, 10, 21) and dates.max() == date(2026, 4, 12)
    assert not dates.between(date(2026, 2, 13), date(2026, 2, 18)).any()
    assert not any(
        (season() / "boxscores" / f"{date(2026, 2, 13) + timedelta(days=k)}.csv").exists() for k in range(6)
    )
    # no team plays twice on one date
    team_dates = pd.concat(
        [
            final[["game_date", "home_team"]].set_axis(["d", "t"], axis=1),
            final[["game_date", "away_team"]].set_axis(["d", "t"], axis=1),
        ]
    )
    assert not team_dates.duplicated().any()


def test_postponed_game_is_made_up_later_under_a_new_id(season: SeasonGetter) -> None:
    root = season()
    results = _results(root)
    published = pd.read_csv(root / "schedule" / "season.csv", dtype=str)
    box = _read_all(root / "boxscores")
    postponed = results[results["status"] == "postponed"]
    assert 1 <= len(postponed) <= 3
    for _, game in postponed.iterrows():
        assert game["game_id"] in set(published["game_id"])
        assert game["game_id"] not in set(box["game_id"])
        makeup = results[
            (results["home_team"] == game["home_team"])
            & (results["away_team"] == game["away_team"])
            & (results["game_date"] > game["game_date"])
            & ~results["game_id"].isin(published["game_id"])
        ]
        assert len(makeup) == 1 and makeup["status"].iloc[0] == "final"
        assert makeup["game_id"].iloc[0] in set(box["game_id"])


def test_about_450_players_and_some_traded(season: SeasonGetter) -> None:
    box = _read_all(season() / "boxscores")
    assert box["player_id"].str.fullmatch(r"\d{7}").all()
    assert 430 <= box["player_id"].nunique() <= 470
    teams_per_player = box.groupby("player_id")["team"].nunique()
    assert 2 <= (teams_per_player == 2).sum() <= 12
    assert teams_per_player.max() == 2
    per_team_game = box.groupby(["game_id", "team"]).size()
    assert per_team_game.between(13, 17).all()


# --- time zones --------------------------------------------------------------------------------------------


def test_dst_is_applied_to_eastern_tipoffs() -> None:
    assert eastern_to_utc(date(2025, 11, 1), time(19, 0)) == datetime(2025, 11, 1, 23, 0, tzinfo=UTC)
    assert eastern_to_utc(date(2025, 11, 3), time(19, 0)) == datetime(2025, 11, 4, 0, 0, tzinfo=UTC)
    assert eastern_to_utc(date(2026, 3, 7), time(19, 0)) == datetime(2026, 3, 8, 0, 0, tzinfo=UTC)
    assert eastern_to_utc(date(2026, 3, 9), time(19, 0)) == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)


def test_tipoffs_are_eastern_wall_clock_times_on_the_game_date(season: SeasonGetter) -> None:
    results = _results(season())
    tip = _utc(results["tipoff_utc"]).dt.tz_convert(EASTERN)
    assert (tip.dt.date.astype(str) == results["game_date"]).all()
    allowed = {"15:30", "18:00", "19:00", "19:30", "20:00", "20:30", "21:00", "22:00", "22:30"}
    assert set(tip.dt.strftime("%H:%M")) <= allowed  # a DST slip would show up as 18:00 or 23:00 anomalies
    # Offsets: -4h before 2025-11-02 and from 2026-03-08, -5h in between.
    offsets = tip.map(lambda t: t.utcoffset().total_seconds() / 3600)
    dates = pd.to_datetime(results["game_date"]).dt.date
    in_standard_time = (dates >= date(2025, 11, 2)) & (dates < date(2026, 3, 8))
    assert (offsets[in_standard_time] == -5).all() and (offsets[~in_standard_time] == -4).all()


def test_late_west_coast_games_tip_after_midnight_utc_but_keep_the_eastern_date(season: SeasonGetter) -> None:
    results = _results(season())
    west = results[results["home_team"].isin(PACIFIC_TEAMS)]
    tip_utc = _utc(west["tipoff_utc"])
    assert len(west) >= 200
    assert (tip_utc.dt.date.astype(str) > west["game_date"]).all()
    assert (tip_utc.dt.tz_convert(EASTERN).dt.date.astype(str) == west["game_date"]).all()


# --- injuries ----------------------------------------------------------------------------------------------


def test_injury_reports_precede_tipoff_and_late_scratches_happen(season: SeasonGetter) -> None:
    root = season()
    reports = _read_all(root / "injuries")
    assert list(reports.columns) == ["game_date", "player_id", "status", "reported_at"]
    assert set(reports["status"]) == {"OUT", "DOUBTFUL", "QUESTIONABLE", "PROBABLE", "AVAILABLE"}
    box = _read_all(root / "boxscores")
    tip = _results(root).set_index("game_id")["tipoff_utc"]
    box = box.assign(tip=_utc(box["game_id"].map(tip)))
    joined = reports.merge(box, on=["game_date", "player_id"], how="left")
    assert joined["tip"].notna().all()
    lead = joined["tip"] - _utc(joined["reported_at"])
    assert (lead > pd.Timedelta(0)).all()
    assert (lead < pd.Timedelta(minutes=30)).sum() > 100  # some late updates


def test_dnp_kinds_late_scratches_and_coach_decisions(season: SeasonGetter) -> None:
    root = season()
    reports = _read_all(root / "injuries").rename(columns={"status": "report"})
    box = _read_all(root / "boxscores")
    first_report = reports.sort_values("reported_at").groupby(["game_date", "player_id"]).head(1)
    joined = box.merge(first_report, on=["game_date", "player_id"], how="left")
    late_scratches = joined[joined["report"].isin(["QUESTIONABLE", "PROBABLE"]) & (joined["status"] == "dnp")]
    coach_decisions = joined[joined["report"].isna() & (joined["status"] == "dnp")]
    assert len(late_scratches) > 50
    assert len(coach_decisions) > 1000
    out_listed = joined[joined["report"] == "OUT"]
    assert (out_listed["status"] == "inactive").all()
    # multi-game OUT streaks: some player is OUT five games in a row
    streaks = box.assign(out=box["status"] == "inactive").sort_values(["player_id", "game_date"])
    longest = streaks.groupby("player_id")["out"].apply(
        lambda s: max((len(run) for run in "".join("1" if x else "0" for x in s).split("0")), default=0)
    )
    assert (longest >= 5).sum() > 20
    not_played = box[box["status"] != "played"]
    assert (not_played["minutes"].astype(float) == 0).all() and (not_played["points"] == "0").all()


# --- lines -------------------------------------------------------------------------------------------------


def test_real_books_post_half_or_whole_points_and_the_averaged_feed_does_not(season: SeasonGetter) -> None:
    lines = _read_all(season() / "lines")
    assert list(lines.columns) == [
        "game_id", "game_date", "player_id", "player_name", "bookmaker", "line", "over_price", "under_price",
        "snapshot_at",
    ]  # fmt: skip
    assert set(lines["bookmaker"]) == REAL_BOOKS | {CONSENSUS_FEED}
    value = lines["line"].astype(float)
    doubled = value * 2
    is_half_step = np.isclose(doubled, np.round(doubled))
    real = lines["bookmaker"].isin(REAL_BOOKS)
    assert is_half_step[real].all()
    assert not is_half_step[~real].any()
    assert (value[real] % 1 == 0).any() and (value[real] % 1 == 0.5).any()
    for column in ("over_price", "under_price"):
        price = lines[column].astype(int)
        assert (price.abs() >= 100).all() and (price.abs() <= 1000).all()
    juice = set(zip(lines.loc[real, "over_price"], lines.loc[real, "under_price"], strict=True))
    assert {("-110", "-110"), ("-115", "-105"), ("-120", "100")} & juice


def test_open_snapshots_are_morning_and_in_game_snapshots_follow_tipoff(season: SeasonGetter) -> None:
    root = season()
    tip = _results(root).set_index("game_id")["tipoff_utc"]
    opens = _read_all(root / "lines", "*_open.csv")
    real_open = opens[opens["bookmaker"].isin(REAL_BOOKS)]
    open_clock = _utc(real_open["snapshot_at"]).dt.tz_convert(EASTERN)
    assert open_clock.dt.hour.between(9, 11).all()
    assert (open_clock.dt.date.astype(str) == real_open["game_date"]).all()
    closes = _read_all(root / "lines", "*_close.csv")
    after_tip = _utc(closes["snapshot_at"]) > _utc(closes["game_id"].map(tip))
    in_game = closes[after_tip]
    assert len(in_game) > 500
    assert set(in_game["bookmaker"]) <= LIVE_BOOKS
    assert (_utc(opens["snapshot_at"]) < _utc(opens["game_id"].map(tip))).all()


def test_books_post_only_for_players_expected_to_play(season: SeasonGetter) -> None:
    root = season()
    lines = _read_all(root / "lines")
    box = _read_all(root / "boxscores")
    reports = _read_all(root / "injuries")
    first = reports.sort_values("reported_at").groupby(["game_date", "player_id"]).head(1)
    listed_out = first[first["status"].isin(["OUT", "DOUBTFUL"])][["game_date", "player_id"]]
    posted = lines[["game_date", "player_id"]].drop_duplicates()
    assert len(posted.merge(listed_out)) == 0
    status = posted.merge(box[["game_date", "player_id", "status"]])["status"].value_counts(normalize=True)
    assert status["played"] > 0.95


# --- calibration -------------------------------------------------------------------------------------------


def test_league_scoring_and_roster_shares_are_realistic(season: SeasonGetter) -> None:
    box = _read_all(season() / "boxscores")
    points = box["points"].astype(int)
    team_points = points.groupby([box["game_id"], box["team"]]).sum()
    assert 113 <= team_points.mean() <= 117
    assert 10 <= team_points.std() <= 16
    shares = box["status"].value_counts(normalize=True)
    assert 0.62 <= shares["played"] <= 0.76
    assert 0.10 <= shares["dnp"] <= 0.22
    assert 0.08 <= shares["inactive"] <= 0.20
    played = box[box["status"] == "played"]
    minutes = played["minutes"].astype(float)
    assert minutes.between(0, 70).all() and 20 <= minutes.mean() <= 26
    ppg = played["points"].astype(int).groupby(played["player_id"]).mean()
    assert 8 <= (ppg > 25).sum() <= 20
    assert (ppg < 5).sum() > 50


def test_closing_line_mae_is_about_five(season: SeasonGetter) -> None:
    closing = _closing_lines(season())
    assert len(closing) > 50_000
    assert 4.4 <= _mae(closing) <= 5.6
    # Books post the median of a right-skewed distribution: over and under split evenly (pushes aside) and
    # the line sits below the mean by the skew, about a point (docs/simulator.md, "Books").
    decided = closing[closing["line"] != closing["points"]]
    assert 0.47 <= float((decided["points"] < decided["line"]).mean()) <= 0.53
    assert -1.3 <= float((closing["line"] - closing["points"]).mean()) <= -0.5


def test_manifest_describes_the_run(season: SeasonGetter) -> None:
    manifest = json.loads((season() / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["season"] == "2025-26" and manifest["seed"] == 42 and manifest["scenario"] == "clean"
    assert manifest["onset_date"] is None
    assert manifest["first_game_date"] == "2025-10-21" and manifest["last_game_date"] == "2026-04-12"
    assert manifest["counts"]["games_final"] == 1230
    assert abs(manifest["calibration"]["closing_line_mae"] - _mae(_closing_lines(season()))) < 0.01


# --- predictability from naive averages, beside the real season (docs/simulator.md, "Realism") -----------


def test_calibration_report_reads_the_written_files_as_simulated_in_memory(season: SeasonGetter) -> None:
    from_files = naive_predictability(read_box_scores(season()))
    in_memory = naive_predictability(simulate_games("2025-26", 42).box)
    assert from_files.keys() == REAL_2022_23.keys()
    assert from_files == pytest.approx(in_memory, rel=1e-12)


def test_naive_averages_predict_about_as_well_as_in_the_real_season(season: SeasonGetter) -> None:
    """The note's real 2022-23 figures (docs/simulator.md, "Realism"): the simulated game-to-game noise and
    form persistence stay near them, so a model's gain over naive averages means what it would mean on real
    rows."""
    figures = naive_predictability(read_box_scores(season()))
    for predictor in ("l5", "l10", "season", "ewm"):
        name = f"MAE {predictor} (rotation)"
        assert abs(figures[name] - REAL_2022_23[name]) <= 0.12, name
    assert abs(figures["sd around l10 (rotation)"] - REAL_2022_23["sd around l10 (rotation)"]) <= 0.2
    assert 0.055 <= figures["lag-1 correlation"] <= 0.11  # real 0.078; before form persistence: 0.030
    for tier in ("tier >= 22", "tier 14-22", "tier 6-14"):
        for figure in ("sd around season mean", "MAE l10"):
            name = f"{tier} {figure}"
            assert abs(figures[name] - REAL_2022_23[name]) <= 0.35, name
    # As in the real season, the season-to-date mean beats the recent averages.
    assert figures["MAE season (rotation)"] < figures["MAE l10 (rotation)"] < figures["MAE l5 (rotation)"]


def test_calibration_command_prints_both_worlds(season: SeasonGetter) -> None:
    _register_all()
    result = CliRunner().invoke(app, ["simulate-calibration", "--season-dir", str(season()), "--markdown"])
    assert result.exit_code == 0, result.output
    header, _rule, *rows = result.output.strip().splitlines()
    assert header == f"| figure | real 2022-23 | {season()} |"
    assert rows[0].startswith("| rows | 14,928 | ")
    assert len(rows) == len(REAL_2022_23)


# --- names -------------------------------------------------------------------------------------------------


def test_names_with_apostrophes_and_accents_survive_a_csv_round_trip(
    season: SeasonGetter, tmp_path: Path
) -> None:
    path = season() / "boxscores" / "2026-01-02.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    all_names = set(_read_all(season() / "boxscores")["player_name"])
    assert any("'" in n for n in all_names)
    assert any(not n.isascii() for n in all_names)
    assert any("ć" in n or "č" in n for n in all_names)
    copy = tmp_path / "copy.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert copy.read_bytes() == path.read_bytes()
    # the same player carries the same name in every file
    lines = _read_all(season() / "lines")[["player_id", "player_name"]].drop_duplicates()
    assert lines["player_id"].is_unique


# --- scenarios ---------------------------------------------------------------------------------------------


def test_scenarios_are_the_documented_five() -> None:
    assert SCENARIOS == ("clean", "sharp_market", "scoring_shift", "data_gap", "line_outage")


def test_sharp_market_shrinks_closing_errors_after_onset_only(season: SeasonGetter) -> None:
    root = season("sharp_market")
    closing = _closing_lines(root)
    after = closing["game_date"] >= ONSET.isoformat()
    before_mae, after_mae = _mae(closing[~after]), _mae(closing[after])
    assert 4.4 <= before_mae <= 5.6
    assert 2.4 <= after_mae <= 3.6
    assert after_mae < 0.75 * before_mae
    # the games themselves are untouched
    assert _tree_hashes(root / "boxscores") == _tree_hashes(season() / "boxscores")


def test_scoring_shift_raises_points_and_books_catch_up_within_days(season: SeasonGetter) -> None:
    def mean_points(root: Path) -> tuple[float, float]:
        played = _read_all(root / "boxscores").query("status == 'played'")
        after = played["game_date"] >= ONSET.isoformat()
        points = played["points"].astype(int)
        return float(points[~after].mean()), float(points[after].mean())

    shifted_before, shifted_after = mean_points(season("scoring_shift"))
    clean_before, clean_after = mean_points(season())
    assert shifted_before == clean_before
    assert shifted_after / shifted_before > 1.12
    assert abs(clean_after / clean_before - 1) < 0.05
    closing = _closing_lines(season("scoring_shift"))
    days = (pd.to_datetime(closing["game_date"]) - pd.Timestamp(ONSET)).dt.days
    bias = closing["line"] - closing["points"]
    usual = bias[days < 0].mean()  # the median's own offset below the mean (about -1, see the clean test)
    assert bias[days.between(0, 1)].mean() < usual - 1.0  # books lag on the first days
    assert abs(bias[days >= 7].mean() - usual) < 0.6  # and track the new level a week later


def test_data_gap_drops_box_scores_and_results_for_five_dates(season: SeasonGetter) -> None:
    root = season("data_gap")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    missing = manifest["missing_boxscore_dates"]
    assert len(missing) == 5 and missing[0] == manifest["onset_date"] == ONSET.isoformat()
    for day in missing:
        assert not (root / "boxscores" / f"{day}.csv").exists()
        assert not (root / "schedule" / f"{day}.csv").exists()
        assert (season() / "boxscores" / f"{day}.csv").exists()
        assert (root / "lines" / f"{day}_close.csv").exists()
    assert (
        len(list((root / "boxscores").glob("*.csv"))) == len(list((season() / "boxscores").glob("*.csv"))) - 5
    )


def test_line_outage_drops_every_line_file_for_three_dates(season: SeasonGetter) -> None:
    root = season("line_outage")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    missing = manifest["missing_line_dates"]
    assert len(missing) == 3 and missing[0] == ONSET.isoformat()
    for day in missing:
        assert not list((root / "lines").glob(f"{day}_*.csv"))
        assert (root / "boxscores" / f"{day}.csv").exists()
        assert (root / "injuries" / f"{day}.csv").exists()
    assert len(list((root / "lines").glob("*.csv"))) == len(list((season() / "lines").glob("*.csv"))) - 6
