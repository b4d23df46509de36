"""Orchestrates one simulated season: league -> schedule -> availability -> box scores -> lines -> files."""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .books import BOOKMAKERS, CONSENSUS_FEED, build_lines
from .games import build_entries, simulate_box_scores
from .injuries import assign_availability, build_injury_reports
from .manifest import SimulationManifest, calibration_stats
from .offseason import next_league
from .players import TEAM_CODES, League, build_league
from .scenarios import ScenarioEffects, affected_dates, scenario_effects
from .schedule import Schedule, build_schedule
from .season import calendar_for, next_season
from .writer import write_boxscores, write_injuries, write_lines, write_schedule


@dataclass(frozen=True)
class SimulatedGames:
    """The league, its schedule and every roster entry's box score, before any file or line exists."""

    league: League
    schedule: Schedule
    effects: ScenarioEffects
    box: pd.DataFrame  # one row per (played game, rostered player), with ids, names and team codes


def simulate_games(
    season: str = "2025-26", seed: int = 42, scenario: str = "clean", league: League | None = None
) -> SimulatedGames:
    """The games of a season in memory (what `simulate_season` writes as box scores), without the lines.
    `league`: the players carried over from an earlier season (default: a new league from the seed)."""
    cal = calendar_for(season)
    league = league or build_league(seed, cal)
    schedule = build_schedule(seed, cal)
    played_dates = sorted(set(schedule.game_date[~schedule.postponed]))
    effects = scenario_effects(scenario, played_dates)

    entries = build_entries(schedule, league, cal)
    entries = assign_availability(entries, league, seed)
    box = simulate_box_scores(entries, league, effects, seed, len(schedule.game_id))
    codes = np.array(TEAM_CODES)
    player = box["player"].to_numpy()
    box = box.assign(
        game_id=schedule.game_id[box["game"].to_numpy()],
        player_id=league.player_id[player],
        player_name=league.player_name[player],
        team=codes[box["team"].to_numpy()],
        opponent=codes[box["opponent"].to_numpy()],
        slot=league.slot[player],
    )
    return SimulatedGames(league=league, schedule=schedule, effects=effects, box=box)


def simulate_season(
    out_dir: Path,
    season: str = "2025-26",
    seed: int = 42,
    scenario: str = "clean",
    league: League | None = None,
    stream_seed: int | None = None,
) -> SimulationManifest:
    """Simulate a full regular season and write it under `out_dir` (which must be empty or absent).
    Same arguments => byte-identical files. `league` and `stream_seed` (the seed of the season's random
    streams, default `seed`) are how `simulate_seasons` continues one league; a single season omits them."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; simulate into a fresh folder")
    world = simulate_games(season, seed if stream_seed is None else stream_seed, scenario, league)
    league, schedule, effects, box = world.league, world.schedule, world.effects, world.box
    played_dates = sorted(set(schedule.game_date[~schedule.postponed]))
    codes = np.array(TEAM_CODES)
    lines = build_lines(box, league, effects, seed)
    reports = build_injury_reports(box, seed)

    gap_dates = affected_dates(effects.onset, played_dates, effects.missing_boxscore_dates)
    outage_dates = affected_dates(effects.onset, played_dates, effects.missing_line_dates)
    schedule_frame = pd.DataFrame(
        {
            "game_id": schedule.game_id,
            "game_date": schedule.game_date,
            "tipoff_epoch": schedule.tipoff_epoch,
            "home_team": codes[schedule.home],
            "away_team": codes[schedule.away],
            "postponed": schedule.postponed,
            "is_makeup": schedule.is_makeup,
        }
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    files = write_schedule(schedule_frame, out_dir, set(gap_dates))
    files += write_boxscores(box, out_dir, set(gap_dates))
    files += write_injuries(reports, out_dir)
    files += write_lines(lines, out_dir, set(outage_dates))

    trades = tuple(
        {
            "player_id": str(league.player_id[t.player_index]),
            "player_name": str(league.player_name[t.player_index]),
            "from_team": TEAM_CODES[t.from_team],
            "to_team": TEAM_CODES[t.to_team],
            "effective_date": t.trade_date.isoformat(),
        }
        for t in league.trades
    )
    manifest = SimulationManifest(
        season=season,
        seed=seed,
        scenario=scenario,
        onset_date=effects.onset,
        first_game_date=played_dates[0],
        last_game_date=played_dates[-1],
        missing_boxscore_dates=tuple(gap_dates),
        missing_line_dates=tuple(outage_dates),
        postponed_game_ids=tuple(str(g) for g in schedule.game_id[schedule.postponed]),
        makeup_game_ids=tuple(str(g) for g in schedule.game_id[schedule.is_makeup]),
        trades=trades,
        bookmakers=tuple(b.name for b in BOOKMAKERS),
        averaged_feed=CONSENSUS_FEED,
        counts={
            "games_scheduled": int((~schedule.is_makeup).sum()),
            "games_final": int((~schedule.postponed).sum()),
            "games_postponed": int(schedule.postponed.sum()),
            "players": int(league.size),
            "boxscore_rows": len(box),
            "injury_report_rows": len(reports),
            "line_rows": len(lines),
            "in_game_line_rows": int((lines["phase"] == "in_game").sum()),
            "files": int(files + 1),
        },
        calibration=calibration_stats(box, lines, effects.onset),
    )
    manifest.write(out_dir)
    return manifest


def season_stream_seed(seed: int, season: str, index: int) -> int:
    """The first season of a history draws from `seed` itself (so it is the single season of that seed);
    later seasons from a seed derived from it and the season's name."""
    return seed if index == 0 else zlib.crc32(f"{seed}:{season}".encode())


def league_history(seasons: list[str], seed: int = 42) -> list[League]:
    """The league of each of `seasons` (consecutive): the first built from the seed, each next one carried
    over the offseason from the one before (ages, development, retirements, moves, rookies)."""
    for earlier, later in itertools.pairwise(seasons):
        if next_season(earlier) != later:
            raise ValueError(f"seasons must be consecutive: {earlier} is not followed by {later}")
    leagues = [build_league(seed, calendar_for(seasons[0]))]
    for index, (earlier, later) in enumerate(itertools.pairwise(seasons), start=1):
        stream = season_stream_seed(seed, later, index)
        leagues.append(next_league(leagues[-1], stream, calendar_for(earlier), calendar_for(later)))
    return leagues


def simulate_seasons(
    out_dir: Path, seasons: list[str], seed: int = 42, scenario: str = "clean"
) -> list[SimulationManifest]:
    """Consecutive seasons of one league under `out_dir/<season>/` (each a season folder as
    `simulate_season` writes it). The first is byte-identical to `simulate_season(..., seed=seed)`."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; simulate into a fresh folder")
    manifests = []
    for index, (season, league) in enumerate(zip(seasons, league_history(seasons, seed), strict=True)):
        stream = season_stream_seed(seed, season, index)
        manifests.append(simulate_season(out_dir / season, season, seed, scenario, league, stream))
    return manifests
