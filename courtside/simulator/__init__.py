"""Realistic, seeded, deterministic NBA season simulator writing raw schedule, box-score, injury and
prop-line files (see docs/data-formats.md and docs/simulator.md).
Operator tooling: not vendored into functions."""

from __future__ import annotations

from .manifest import SimulationManifest
from .scenarios import SCENARIOS
from .simulate import simulate_season, simulate_seasons

__all__ = ["SCENARIOS", "SimulationManifest", "simulate_season", "simulate_seasons"]
