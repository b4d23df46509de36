"""Named what-if scenarios.

A regime change (or a data fault) from an onset date, everything else identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SCENARIOS: tuple[str, ...] = ("clean", "sharp_market", "scoring_shift", "data_gap", "line_outage")

DEFAULT_ONSET = date(2026, 1, 15)  # for 2025-26; other seasons: 15 January of their second year


@dataclass(frozen=True)
class ScenarioEffects:
    name: str
    onset: date | None  # first game date on or after the requested onset; None for "clean"
    # sharp_market: books see this share of the player's actual deviation from their estimate.
    sharp_closing_hindsight: float = 0.0
    sharp_noise_scale: float = 1.0
    # scoring_shift: true points multiplier from onset; books converge to it with this e-folding time.
    scoring_multiplier: float = 1.0
    book_adaptation_days: float = 2.0
    # data_gap / line_outage: how many consecutive game dates lose their files.
    missing_boxscore_dates: int = 0
    missing_line_dates: int = 0


def scenario_effects(name: str, game_dates: list[date]) -> ScenarioEffects:
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; choose one of {SCENARIOS}")
    if name == "clean":
        return ScenarioEffects(name=name, onset=None)
    onset_floor = DEFAULT_ONSET.replace(year=min(game_dates).year + 1)
    onset = min(d for d in game_dates if d >= onset_floor)
    if name == "sharp_market":
        return ScenarioEffects(name=name, onset=onset, sharp_closing_hindsight=0.38, sharp_noise_scale=0.3)
    if name == "scoring_shift":
        return ScenarioEffects(name=name, onset=onset, scoring_multiplier=1.18)
    if name == "data_gap":
        return ScenarioEffects(name=name, onset=onset, missing_boxscore_dates=5)
    return ScenarioEffects(name=name, onset=onset, missing_line_dates=3)


def affected_dates(onset: date | None, game_dates: list[date], count: int) -> list[date]:
    """The `count` consecutive game dates starting at the onset."""
    if onset is None or count <= 0:
        return []
    later = sorted(d for d in set(game_dates) if d >= onset)
    return later[:count]
