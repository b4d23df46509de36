"""The 30 NBA franchises by their standard three-letter abbreviation: the one list of known teams."""

from __future__ import annotations

TEAMS: dict[str, str] = {
    "ATL": "Atlanta Hawks",
    "BOS": "Boston Celtics",
    "BKN": "Brooklyn Nets",
    "CHA": "Charlotte Hornets",
    "CHI": "Chicago Bulls",
    "CLE": "Cleveland Cavaliers",
    "DAL": "Dallas Mavericks",
    "DEN": "Denver Nuggets",
    "DET": "Detroit Pistons",
    "GSW": "Golden State Warriors",
    "HOU": "Houston Rockets",
    "IND": "Indiana Pacers",
    "LAC": "LA Clippers",
    "LAL": "Los Angeles Lakers",
    "MEM": "Memphis Grizzlies",
    "MIA": "Miami Heat",
    "MIL": "Milwaukee Bucks",
    "MIN": "Minnesota Timberwolves",
    "NOP": "New Orleans Pelicans",
    "NYK": "New York Knicks",
    "OKC": "Oklahoma City Thunder",
    "ORL": "Orlando Magic",
    "PHI": "Philadelphia 76ers",
    "PHX": "Phoenix Suns",
    "POR": "Portland Trail Blazers",
    "SAC": "Sacramento Kings",
    "SAS": "San Antonio Spurs",
    "TOR": "Toronto Raptors",
    "UTA": "Utah Jazz",
    "WAS": "Washington Wizards",
}

# Teams whose home arena is in the Pacific time zone: their 19:00-19:30 local tip-offs are
# 22:00-22:30 US Eastern, i.e. after midnight UTC, which is where date bugs live.
PACIFIC_TEAMS: frozenset[str] = frozenset({"GSW", "LAC", "LAL", "POR", "SAC"})
MOUNTAIN_TEAMS: frozenset[str] = frozenset({"DEN", "UTA", "PHX"})


def is_known_team(abbreviation: str) -> bool:
    return abbreviation in TEAMS
