"""Scenario evaluation of the diagnostics: replay a season per scenario, then read what diagnostics said.

For every scenario: the first WARNING/CRITICAL diagnosis on or after the onset, how many game days after
the onset it came (0 = on the onset date itself), the root cause it named, and every WARNING/CRITICAL before
the onset (in ``clean``, which has no onset, that is every WARNING/CRITICAL of the season: false alarms).

Over several seeds (``evaluate_seeds``), ``summarise`` says per scenario in how many seeds the first
WARNING/CRITICAL named the scenario's cause (``EXPECTED_CAUSES``: the evaluation's knowledge of what it
simulated; diagnostics never reads it), the lags, the false alarms, the WARNING/CRITICAL diagnoses naming
NORMAL_VARIANCE and the most messages any incident sent. For ``clean`` a seed counts when it stayed quiet.

The replay itself is the caller's: ``run_season(scenario)`` must replay the whole chain for that scenario
into fresh dependencies and return them; this module only reads the tables afterwards.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from shared.dependencies import Dependencies
from shared.domain.metrics import HitRate, hit_rate
from shared.sql import load_sql

SCENARIOS: tuple[str, ...] = ("clean", "sharp_market", "scoring_shift", "data_gap", "line_outage")
ALERTING = ("WARNING", "CRITICAL")
# The root cause the first WARNING/CRITICAL after the onset should name (None: the season should stay quiet).
EXPECTED_CAUSES: dict[str, str | None] = {
    "clean": None,
    "sharp_market": "VEGAS_SHARP",
    "scoring_shift": "MODEL_DRIFT",
    "data_gap": "DATA_QUALITY",
    "line_outage": "DATA_QUALITY",
}
NORMAL_VARIANCE = "NORMAL_VARIANCE"


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
    # WARNING/CRITICAL diagnoses of the whole season that named NORMAL_VARIANCE ("nothing is wrong").
    normal_variance_alerts: int = 0
    seed: int | None = None
    wall_seconds: float | None = None  # the replay's wall time

    @property
    def expected_cause(self) -> str | None:
        return EXPECTED_CAUSES.get(self.scenario)

    @property
    def attributed(self) -> bool:
        """The first WARNING/CRITICAL after the onset names the scenario's cause; for a scenario without a
        cause (``clean``): nothing was raised all season."""
        if self.expected_cause is None:
            return not self.alerts_before_onset and self.first_alert is None
        return self.first_alert is not None and self.first_alert.root_cause == self.expected_cause

    @property
    def most_messages_per_incident(self) -> int:
        return max((messages for _, messages in self.incidents), default=0)

    def sent(self, level: str) -> int:
        return sum(count for sent_level, _, count in self.alerts_sent if sent_level == level)

    @property
    def detected(self) -> bool:
        return self.first_alert is not None

    def as_json(self) -> dict[str, Any]:
        first = self.first_alert
        champion = self.champion
        rate = champion.hit_rate if champion else None
        return {
            "seed": self.seed,
            "scenario": self.scenario,
            "onset": _iso(self.onset),
            "first_alert": _iso(first.game_date) if first else None,
            "lag_game_days": self.lag_game_days,
            "level": first.alert_level if first else None,
            "root_cause": first.root_cause if first else None,
            "expected_cause": self.expected_cause,
            "attributed": self.attributed,
            "false_alarms": [
                {"game_date": _iso(f.game_date), "level": f.alert_level, "root_cause": f.root_cause}
                for f in self.alerts_before_onset
            ],
            "normal_variance_alerts": self.normal_variance_alerts,
            "alerts_sent": {level: self.sent(level) for level in ("INFO", *ALERTING)},
            "incidents": [{"incident_id": i, "messages": m} for i, m in self.incidents],
            "most_messages_per_incident": self.most_messages_per_incident,
            "champion_hit_rate": None
            if rate is None or rate.rate is None
            else {"rate": rate.rate, "n": rate.n, "lower": rate.lower, "upper": rate.upper},
            "wall_seconds": None if self.wall_seconds is None else round(self.wall_seconds, 1),
        }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


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
        started = time.monotonic()
        deps = run_season(scenario)
        wall = time.monotonic() - started
        onset = onset_of(scenario) if onset_of else None
        results.append(replace(evaluate_tables(deps, scenario, onset), wall_seconds=wall))
    return results


def evaluate_seeds(
    run_season: Callable[[int, str], Dependencies],
    seeds: Sequence[int],
    scenarios: Sequence[str] = SCENARIOS,
    onset_of: Callable[[int, str], date | None] | None = None,
) -> list[ScenarioEvaluation]:
    """``evaluate_scenarios`` for every seed, seed by seed; each result carries its seed."""
    results: list[ScenarioEvaluation] = []
    for seed in seeds:

        def run(scenario: str, seed: int = seed) -> Dependencies:
            return run_season(seed, scenario)

        def onset(scenario: str, seed: int = seed) -> date | None:
            return onset_of(seed, scenario) if onset_of else None

        results += [replace(r, seed=seed) for r in evaluate_scenarios(run, scenarios, onset)]
    return results


@dataclass(frozen=True)
class ScenarioSummary:
    """One scenario over several seeds."""

    scenario: str
    expected_cause: str | None
    seeds: tuple[int | None, ...]
    attributed_seeds: tuple[int | None, ...]  # first alert named the cause (clean: quiet all season)
    lags: tuple[int | None, ...]  # per seed, None = not detected
    false_alarms: int  # WARNING/CRITICAL before the onset (clean: all season), all seeds
    normal_variance_alerts: int  # WARNING/CRITICAL naming NORMAL_VARIANCE, all seeds
    most_messages_per_incident: int

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "expected_cause": self.expected_cause,
            "seeds": list(self.seeds),
            "attributed_seeds": list(self.attributed_seeds),
            "attributed": f"{len(self.attributed_seeds)}/{len(self.seeds)}",
            "lags": list(self.lags),
            "false_alarms": self.false_alarms,
            "normal_variance_alerts": self.normal_variance_alerts,
            "most_messages_per_incident": self.most_messages_per_incident,
        }


def summarise(results: Sequence[ScenarioEvaluation]) -> list[ScenarioSummary]:
    """Per scenario (in the order first seen), what its seeds' results add up to."""
    by_scenario: dict[str, list[ScenarioEvaluation]] = {}
    for result in results:
        by_scenario.setdefault(result.scenario, []).append(result)
    return [
        ScenarioSummary(
            scenario=scenario,
            expected_cause=EXPECTED_CAUSES.get(scenario),
            seeds=tuple(r.seed for r in runs),
            attributed_seeds=tuple(r.seed for r in runs if r.attributed),
            lags=tuple(r.lag_game_days for r in runs),
            false_alarms=sum(len(r.alerts_before_onset) for r in runs),
            normal_variance_alerts=sum(r.normal_variance_alerts for r in runs),
            most_messages_per_incident=max(r.most_messages_per_incident for r in runs),
        )
        for scenario, runs in by_scenario.items()
    ]


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
        normal_variance_alerts=sum(1 for f in alerting if f.root_cause == NORMAL_VARIANCE),
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
