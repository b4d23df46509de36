"""Writes the simulated world as the raw files a real pipeline would receive (CSV, UTF-8, header row)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .season import format_utc_seconds

SCHEDULE_COLUMNS = ["game_id", "game_date", "tipoff_utc", "home_team", "away_team", "status"]
BOXSCORE_COLUMNS = [
    "game_id", "game_date", "player_id", "player_name", "team", "opponent", "is_home", "minutes", "points",
    "status", "fga", "fta", "fg3a", "rebounds", "assists", "starter",
]  # fmt: skip
INJURY_COLUMNS = ["game_date", "player_id", "status", "reported_at"]
LINE_COLUMNS = [
    "game_id", "game_date", "player_id", "player_name", "bookmaker", "line", "over_price", "under_price",
    "snapshot_at",
]  # fmt: skip
OPEN_PHASES = ("open", "consensus_open")


def _write(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, columns=columns, index=False, lineterminator="\n", encoding="utf-8")


def _per_date(frame: pd.DataFrame, folder: Path, suffix: str, columns: list[str], skip: set[date]) -> int:
    written = 0
    for game_date, part in frame.groupby("game_date", sort=True):
        if game_date in skip:
            continue
        _write(part, folder / f"{game_date.isoformat()}{suffix}.csv", columns)
        written += 1
    return written


def _text_bool(values: pd.Series) -> np.ndarray:
    return np.where(values.to_numpy(dtype=bool), "true", "false")


def write_schedule(schedule: pd.DataFrame, out_dir: Path, skip_results: set[date]) -> int:
    frame = schedule.assign(tipoff_utc=format_utc_seconds(schedule["tipoff_epoch"].to_numpy()))
    published = frame.loc[~frame["is_makeup"]].assign(status="scheduled")
    _write(published, out_dir / "schedule" / "season.csv", SCHEDULE_COLUMNS)
    results = frame.assign(status=np.where(frame["postponed"], "postponed", "final"))
    return 1 + _per_date(results, out_dir / "schedule", "", SCHEDULE_COLUMNS, skip_results)


def write_boxscores(box: pd.DataFrame, out_dir: Path, skip: set[date]) -> int:
    frame = box.sort_values(
        ["tipoff_epoch", "game_id", "is_home", "slot"], ascending=[True, True, False, True]
    )
    played = (frame["final_status"] == "played").to_numpy()
    text = {
        "status": frame["final_status"].to_numpy(),
        "is_home": _text_bool(frame["is_home"]),
        "starter": _text_bool(frame["starter"]),
        "minutes": np.char.mod("%.2f", frame["minutes"].to_numpy()),
    }
    for column in ("fga", "fta", "fg3a", "rebounds", "assists"):
        text[column] = np.where(played, frame[column].to_numpy().astype(str), "")
    return _per_date(frame.assign(**text), out_dir / "boxscores", "", BOXSCORE_COLUMNS, skip)


def write_injuries(reports: pd.DataFrame, out_dir: Path) -> int:
    frame = reports.assign(reported_at=format_utc_seconds(reports["reported_epoch"].to_numpy()))
    return _per_date(frame, out_dir / "injuries", "", INJURY_COLUMNS, set())


def write_lines(lines: pd.DataFrame, out_dir: Path, skip: set[date]) -> int:
    frame = lines.sort_values(["snapshot_epoch", "bookmaker", "game_id", "player_id"], kind="stable")
    frame = frame.assign(snapshot_at=format_utc_seconds(frame["snapshot_epoch"].to_numpy()))
    is_open = frame["phase"].isin(OPEN_PHASES).to_numpy()
    folder = out_dir / "lines"
    return _per_date(frame.loc[is_open], folder, "_open", LINE_COLUMNS, skip) + _per_date(
        frame.loc[~is_open], folder, "_close", LINE_COLUMNS, skip
    )
