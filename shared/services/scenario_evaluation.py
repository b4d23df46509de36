"""Scenario evaluation of the diagnostics: replay a season per scenario, then read what diagnostics said.

For every scenario: the first WARNING/CRITICAL diagnosis on or after the onset, how many game days after
the onset it came (0 = on the onset date itself), the root cause it named, and every WARNING/CRITICAL before
the onset (in ``clean``, which has no onset, that is every WARNING/CRITICAL of the season: false alarms).

The replay itself is the caller's: ``run_season(scenario)`` must replay the whole chain for that scenario
into fresh dependencies and return them; this module only reads the tables afterwards.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from shared.dependencies import Dependencies
from shared.domain.metrics import HitRate, hit_rate
from shared.sql import load_sql

SCENARIOS: tuple[str, ...] = ("clean", "sharp_market", "scoring_shift", "data_gap", "line_outage")
ALERTING = ("WARNING", "CRITICAL")


@dataclass(frozen=True)
class Finding:
    game_date: date
    system_id: str
    alert_level: str
    root_cause: str


@dataclass(frozen=True)
class ChampionRecord:
    """The champion's season: hit rate of its decided bets (Wilson interval at the configured confidence)
    and its MAE against the line's on the graded rows that had a line."""

    hit_rate: HitRate
    lined: int
    model_mae: float | None
    line_mae: float | None


@dataclass(frozen=True)
class ScenarioEvaluation:
    scenario: str
    onset: date | None
    first_alert: Finding | None
    lag_game_days: int | None  # game dates from the onset to the first alert (0 = same date)
    alerts_before_onset: tuple[Finding, ...]  # false alarms (all of them for "clean")
    diagnosed_dates: int
    champion: ChampionRecord | None = None  # None when nothing of the champion was graded
    alerts_sent: tuple[tuple[str, str, int], ...] = ()  # (level, kind, count) of alerts sent, all systems
    incidents: tuple[tuple[str, int], ...] = ()  # (incident id, messages sent) of every incident

    @property
    def most_messages_per_incident(self) -> int:
        return max((messages for _, messages in self.incidents), default=0)

    def sent(self, level: str) -> int:
        return sum(count for sent_level, _, count in self.alerts_sent if sent_level == level)

    @property
    def detected(self) -> bool:
        return self.first_alert is not None


def evaluate_scenarios(
    run_season: Callable[[str], Dependencies],
    scenarios: Sequence[str] = SCENARIOS,
    onset_of: Callable[[str], date | None] | None = None,
) -> list[ScenarioEvaluation]:
    """Replay each scenario with ``run_season`` and evaluate what diagnostics found (see module docstring).

    ``onset_of(scenario)`` gives the first affected game date (None = no onset); without it every scenario
    is treated as having none, so its first alert and all alerts are reported as they are.
    """
    results: list[ScenarioEvaluation] = []
    for scenario in scenarios:
        deps = run_season(scenario)
        onset = onset_of(scenario) if onset_of else None
        results.append(evaluate_tables(deps, scenario, onset))
    return results


def evaluate_tables(deps: Dependencies, scenario: str, onset: date | None) -> ScenarioEvaluation:
    timeline = [
        Finding(r["game_date"], str(r["system_id"]), str(r["alert_level"]), str(r["root_cause"]))
        for r in deps.warehouse.query(load_sql("evaluation/diagnostics_timeline"))
    ]
    game_dates = [r["game_date"] for r in deps.warehouse.query(load_sql("evaluation/game_dates"))]
    alerting = [f for f in timeline if f.alert_level in ALERTING]
    before = tuple(f for f in alerting if onset is None or f.game_date < onset)
    after = [f for f in alerting if onset is not None and f.game_date >= onset]
    first = after[0] if after else (alerting[0] if onset is None and alerting else None)
    lag = None
    if first is not None and onset is not None:
        lag = game_days_between(game_dates, onset, first.game_date)
    return ScenarioEvaluation(
        scenario=scenario,
        onset=onset,
        first_alert=first,
        lag_game_days=lag,
        alerts_before_onset=before,
        diagnosed_dates=len({f.game_date for f in timeline}),
        champion=champion_record(deps),
        alerts_sent=tuple(
            (str(r["level"]), str(r["kind"]), int(r["sent"]))
            for r in deps.warehouse.query(load_sql("evaluation/alerts_sent"))
        ),
        incidents=tuple(
            (str(r["incident_id"]), int(r["messages"]))
            for r in deps.warehouse.query(load_sql("evaluation/incidents"))
        ),
    )


def champion_record(deps: Dependencies) -> ChampionRecord | None:
    rows = deps.warehouse.query(load_sql("evaluation/champion_bets"))
    if not rows or (not rows[0]["decided"] and not rows[0]["lined"]):
        return None
    row = rows[0]

    def optional(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return ChampionRecord(
        hit_rate=hit_rate(int(row["wins"] or 0), int(row["decided"] or 0)),
        lined=int(row["lined"] or 0),
        model_mae=optional(row["model_mae"]),
        line_mae=optional(row["line_mae"]),
    )


def game_days_between(game_dates: Sequence[date], start: date, end: date) -> int:
    """Game dates in (start, end]: 0 when ``end`` is the first game date on or after ``start``."""
    ordered = sorted(set(game_dates))
    first = bisect_left(ordered, start)
    last = bisect_right(ordered, end)
    return max(0, last - first - 1)
