"""Simulated season folders, cached under ``$COURTSIDE_HOME/seasons/`` so runs reuse them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from shared.settings import Settings

DEFAULT_SEASON = "2025-26"
DEFAULT_SEED = 42


def season_folder(settings: Settings, season: str, seed: int, scenario: str) -> Path:
    return settings.home / "seasons" / f"{season}-seed{seed}-{scenario}"


def ensure_season(
    settings: Settings, season: str = DEFAULT_SEASON, seed: int = DEFAULT_SEED, scenario: str = "clean"
) -> Path:
    """The season folder, simulated on first use (written aside, then renamed: never half-written)."""
    from courtside.simulator import simulate_season

    folder = season_folder(settings, season, seed, scenario)
    if (folder / "manifest.json").is_file():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    simulate_season(partial, season=season, seed=seed, scenario=scenario)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def season_dates(folder: Path) -> tuple[date, date]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return date.fromisoformat(manifest["first_game_date"]), date.fromisoformat(manifest["last_game_date"])


def default_season_folder() -> Path:
    return ensure_season(Settings.from_env())
