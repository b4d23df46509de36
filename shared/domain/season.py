"""Which NBA season a game date belongs to.

A season starts in the autumn and ends in the next summer. Every date from August 1 of year Y to July 31 of
year Y+1 (US Eastern game dates) belongs to the season that starts in Y, so the October opener and the June
finals share a season while the off-season sits cleanly between two seasons.
"""

from __future__ import annotations

from datetime import date, timedelta

SEASON_FIRST_MONTH = 8  # August: no NBA games are played in it, so it is a safe boundary.

# The season clock (US Eastern wall-clock times) replays and backfills run a game date on: the morning files
# (injury report, opening lines) land and the decision is made on the game date at DECISION_TIME_ET, hours
# before the first tip-off; results (final schedule, closing lines, box scores) land the next day at
# RESULTS_TIME_ET, once the late West-coast games are final.
DECISION_TIME_ET = (12, 30)
RESULTS_TIME_ET = (3, 0)


def season_start_year(game_date: date) -> int:
    return game_date.year if game_date.month >= SEASON_FIRST_MONTH else game_date.year - 1


def season_start(game_date: date) -> date:
    """First day of the season of ``game_date`` (August 1): "season" features count games from it."""
    return date(season_start_year(game_date), SEASON_FIRST_MONTH, 1)


def season_end(game_date: date) -> date:
    """Last day of the season of ``game_date`` (July 31)."""
    return date(season_start_year(game_date) + 1, SEASON_FIRST_MONTH, 1) - timedelta(days=1)
