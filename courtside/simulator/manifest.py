"""The manifest written next to the files.

What was simulated and how well it matches the calibration targets.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SimulationManifest:
    season: str
    seed: int
    scenario: str
    onset_date: date | None
    first_game_date: date
    last_game_date: date
    missing_boxscore_dates: tuple[date, ...]
    missing_line_dates: tuple[date, ...]
    postponed_game_ids: tuple[str, ...]
    makeup_game_ids: tuple[str, ...]
    trades: tuple[dict[str, str], ...]
    bookmakers: tuple[str, ...]
    averaged_feed: str
    counts: dict[str, int] = field(default_factory=dict)
    calibration: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        def encode(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            raise TypeError(f"cannot encode {type(value).__name__}")

        return json.dumps(asdict(self), default=encode, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def write(self, out_dir: Path) -> Path:
        path = out_dir / "manifest.json"
        path.write_text(self.to_json(), encoding="utf-8")
        return path


def _mae(lines: pd.DataFrame) -> float:
    return float(np.abs(lines["line_value"] - lines["points"]).mean()) if len(lines) else float("nan")


def calibration_stats(box: pd.DataFrame, lines: pd.DataFrame, onset: date | None) -> dict[str, float]:
    played = box["final_status"] == "played"
    team_totals = box.groupby(["game", "team"])["points"].sum()
    player_ppg = box.loc[played].groupby("player")["points"].mean()
    closing = lines.loc[(lines["phase"] == "close") & lines["is_real_book"] & lines["played"]]
    stats = {
        "team_points_per_game": float(team_totals.mean()),
        "team_points_sd": float(team_totals.std()),
        "played_share": float(played.mean()),
        "dnp_share": float((box["final_status"] == "dnp").mean()),
        "inactive_share": float((box["final_status"] == "inactive").mean()),
        "players_over_25_ppg": float((player_ppg > 25).sum()),
        "players_over_20_ppg": float((player_ppg > 20).sum()),
        "mean_minutes_played": float(box.loc[played, "minutes"].mean()),
        "closing_line_mae": _mae(closing),
        "closing_line_bias": float((closing["line_value"] - closing["points"]).mean()),
    }
    if onset is not None:
        before = closing["game_date"] < onset
        stats["closing_line_mae_before_onset"] = _mae(closing.loc[before])
        stats["closing_line_mae_after_onset"] = _mae(closing.loc[~before])
        box_before = box.loc[played & (box["game_date"] < onset), "points"]
        box_after = box.loc[played & (box["game_date"] >= onset), "points"]
        stats["points_per_played_entry_before_onset"] = float(box_before.mean())
        stats["points_per_played_entry_after_onset"] = float(box_after.mean())
    return {key: round(value, 4) for key, value in stats.items()}
