"""Availability per roster entry (played / dnp / inactive) and the injury reports a team would publish.

Per player, game by game: multi-game injury streaks (listed OUT, then QUESTIONABLE/PROBABLE on return),
rest nights for stars on back-to-backs, day-to-day tags with late scratches, and coach's decisions that
never appear on a report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .players import League
from .season import rng_for

PLAYED, DNP, INACTIVE = "played", "dnp", "inactive"
# Chance a day-to-day tagged player ends up playing, by tag.
PLAY_CHANCE = {"QUESTIONABLE": 0.62, "PROBABLE": 0.93, "DOUBTFUL": 0.15}


def _injury_length(u: float, v: float) -> int:
    if u < 0.55:
        return 1 + int(v * 3)  # 1-3 games
    if u < 0.87:
        return 4 + int(v * 7)  # 4-10 games
    return 11 + int(v * 25)  # 11-35 games


def assign_availability(entries: pd.DataFrame, league: League, seed: int) -> pd.DataFrame:
    """`entries` sorted by player then tip-off. Adds final_status, report_status, update_status,
    update_is_late (columns aligned with entries)."""
    rng = rng_for(seed, "injuries")
    n = len(entries)
    u = rng.random((n, 5))
    player = entries["player"].to_numpy()
    rest_days = entries["rest_days"].to_numpy()
    final = np.full(n, PLAYED, dtype=object)
    report = np.full(n, "", dtype=object)
    update = np.full(n, "", dtype=object)
    late = rng.random(n) < 0.25

    # A handful of season-wrecking injuries: start index per player (or -1) and length.
    long_start = np.where(rng.random(league.size) < 0.025, rng.integers(0, 70, league.size), -1)
    long_length = rng.integers(25, 60, league.size)

    boundaries = np.flatnonzero(np.diff(player)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [n]))
    for first, last in zip(starts, ends, strict=True):
        p = int(player[first])
        hazard = league.injury_hazard[p]
        coach_dnp = league.coach_dnp_prob[p]
        out_left = 0
        returning = False
        for k, i in enumerate(range(first, last)):
            if k == long_start[p]:
                out_left = max(out_left, int(long_length[p]))
            if out_left > 0:
                final[i], report[i] = INACTIVE, "OUT"
                out_left -= 1
                returning = out_left == 0
                continue
            r = u[i]
            if returning:
                returning = False
                tag = "QUESTIONABLE" if r[0] < 0.55 else "PROBABLE" if r[0] < 0.85 else ""
                if tag:
                    report[i] = tag
                    if r[1] >= PLAY_CHANCE[tag] + 0.1:  # a setback: out again for a few games
                        final[i], update[i] = INACTIVE, "OUT"
                        out_left = 1 + int(r[2] * 4)
                    else:
                        update[i] = "AVAILABLE" if r[3] < 0.7 else ""
                continue
            if r[0] < hazard:
                final[i], report[i] = INACTIVE, "OUT"
                out_left = _injury_length(r[1], r[2]) - 1
                returning = out_left == 0
                continue
            if league.slot[p] <= 1 and rest_days[i] == 1 and r[1] < 0.12:
                final[i], report[i] = INACTIVE, "OUT"  # load management on the second night
                continue
            day_to_day = r[1] - 0.12
            if 0 <= day_to_day < 0.065:
                tag = (
                    "QUESTIONABLE" if day_to_day < 0.035 else "PROBABLE" if day_to_day < 0.055 else "DOUBTFUL"
                )
                report[i] = tag
                plays = r[2] < PLAY_CHANCE[tag]
                if plays:
                    update[i] = "AVAILABLE" if r[3] < 0.75 else ""
                elif tag == "DOUBTFUL":
                    final[i], update[i] = INACTIVE, "OUT"
                else:
                    # Late scratch: dressed but did not play; half the time the OUT update never came.
                    final[i] = DNP
                    update[i] = "OUT" if r[3] < 0.5 else ""
                continue
            if r[4] < coach_dnp:
                final[i] = DNP  # coach's decision: healthy, no report
    out = entries.copy()
    out["final_status"] = final
    out["report_status"] = report
    out["update_status"] = update
    out["update_is_late"] = late & (update != "")
    return out


def build_injury_reports(box: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Report rows (game_date, player_id, status, reported_epoch): the initial tag (evening before or game-day
    morning) and, for some, an update before tip-off (a quarter of updates land in the last 30 minutes)."""
    rng = rng_for(seed, "injury_reports")
    tipoff = box["tipoff_epoch"].to_numpy()
    tagged = box["report_status"].to_numpy() != ""
    updated = box["update_status"].to_numpy() != ""
    n = len(box)
    # 17:00-18:30 ET the evening before is 20-26 hours before a 19:00-22:30 ET tip; mornings are 7-10 hours.
    evening_before = rng.random(n) < 0.7
    initial_lead = np.where(
        evening_before, rng.integers(20 * 60, 26 * 60, n), rng.integers(7 * 60, 10 * 60, n)
    )
    late = box["update_is_late"].to_numpy()
    update_lead = np.where(late, rng.integers(5, 30, n), rng.integers(40, 120, n))
    initial = pd.DataFrame(
        {
            "game_date": box["game_date"].to_numpy()[tagged],
            "player_id": box["player_id"].to_numpy()[tagged],
            "status": box["report_status"].to_numpy()[tagged],
            "reported_epoch": (tipoff - initial_lead * 60)[tagged],
        }
    )
    update = pd.DataFrame(
        {
            "game_date": box["game_date"].to_numpy()[updated],
            "player_id": box["player_id"].to_numpy()[updated],
            "status": box["update_status"].to_numpy()[updated],
            "reported_epoch": (tipoff - update_lead * 60)[updated],
        }
    )
    reports = pd.concat([initial, update], ignore_index=True)
    return reports.sort_values(["game_date", "reported_epoch", "player_id"], kind="stable").reset_index(
        drop=True
    )
