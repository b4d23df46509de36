"""The status words every layer shares, defined once (files, tables, features, grading).

The earlier platform had several spellings of the same idea; here each is one enum, and the raw
formats (docs/data-formats.md), the feature contract and the grading rules all use these values.
"""

from __future__ import annotations

from enum import StrEnum


class GameStatus(StrEnum):
    SCHEDULED = "scheduled"
    FINAL = "final"
    POSTPONED = "postponed"


class BoxScoreStatus(StrEnum):
    PLAYED = "played"
    DNP = "dnp"
    INACTIVE = "inactive"


class InjuryStatus(StrEnum):
    """Ordered from fit to ruled out."""

    AVAILABLE = "AVAILABLE"
    PROBABLE = "PROBABLE"
    QUESTIONABLE = "QUESTIONABLE"
    DOUBTFUL = "DOUBTFUL"
    OUT = "OUT"


class Recommendation(StrEnum):
    OVER = "OVER"
    UNDER = "UNDER"
    PASS = "PASS"
    NO_LINE = "NO_LINE"

    @property
    def is_bet(self) -> bool:
        return self in (Recommendation.OVER, Recommendation.UNDER)
