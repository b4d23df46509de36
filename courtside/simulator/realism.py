"""How predictable a season's scoring is from naive averages: the figures of the real-season note
(`../shared/notes/real-data-facts.md`), computed with the same definitions on any box scores, so the simulated
world can be set side by side with the real one (`courtside simulate-calibration`).

Definitions (the note's): rows where the player played (minutes > 0) with at least 3 earlier played games
that season, games up to 1 February; predictors use only earlier played games: l5 / l10 = mean of the last
5 / 10, season = season-to-date mean, ewm = exponentially weighted mean (span 10). "Rotation" = last-10
minutes average >= 14. Tiers (by season-to-date average) are taken among rotation rows: that is what
reproduces the note's simulated column exactly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

MIN_EARLIER_GAMES = 3
ROTATION_MINUTES = 14.0
EWM_SPAN = 10
TIERS: tuple[tuple[str, float, float], ...] = (
    ("tier >= 22", 22.0, np.inf),
    ("tier 14-22", 14.0, 22.0),
    ("tier 6-14", 6.0, 14.0),
)
PREDICTORS = ("l5", "l10", "season", "ewm")

# The real 2022-23 column of the note (776 games from 2022-10-18 to 2023-02-01); only these aggregates exist.
REAL_2022_23: dict[str, float] = {
    "rows": 14_928,
    "points mean": 11.06,
    "points sd": 9.05,
    "MAE l5 (all played)": 4.770,
    "MAE l10 (all played)": 4.632,
    "MAE season (all played)": 4.580,
    "MAE ewm (all played)": 4.611,
    "MAE l5 (rotation)": 5.108,
    "MAE l10 (rotation)": 4.956,
    "MAE season (rotation)": 4.890,
    "MAE ewm (rotation)": 4.932,
    "sd around l10 (rotation)": 6.43,
    "lag-1 correlation": 0.078,
    "tier >= 22 rows": 1_175,
    "tier >= 22 sd around season mean": 8.66,
    "tier >= 22 MAE l10": 6.84,
    "tier 14-22 rows": 2_854,
    "tier 14-22 sd around season mean": 7.30,
    "tier 14-22 MAE l10": 5.79,
    "tier 6-14 rows": 6_089,
    "tier 6-14 sd around season mean": 5.80,
    "tier 6-14 MAE l10": 4.62,
}


def default_cutoff(box: pd.DataFrame) -> date:
    """1 February of the season's second calendar year, as in the note (2023-02-01 for 2022-23)."""
    first = min(pd.to_datetime(box["game_date"]).dt.date)
    return date(first.year + (1 if first.month >= 7 else 0), 2, 1)


def read_box_scores(season_dir: Path) -> pd.DataFrame:
    """The `player_id, game_date, minutes, points` columns of a season folder's box-score files."""
    columns = ["player_id", "game_date", "minutes", "points"]
    paths = sorted((Path(season_dir) / "boxscores").glob("*.csv"))
    if not paths:
        raise FileNotFoundError(f"no box-score files under {season_dir}/boxscores")
    frames = [pd.read_csv(p, usecols=columns, dtype={"player_id": str, "game_date": str}) for p in paths]
    return pd.concat(frames, ignore_index=True)


def _earlier_games(played: pd.DataFrame) -> pd.DataFrame:
    """Adds, per row, the naive predictors and counts built from the same player's earlier played games."""
    by_player = played.groupby("player_id", sort=False)
    earlier_points = by_player["points"].shift(1)
    earlier_minutes = by_player["minutes"].shift(1)
    key = played["player_id"]
    return played.assign(
        earlier_games=by_player.cumcount(),
        l5=earlier_points.groupby(key).transform(lambda s: s.rolling(5, min_periods=1).mean()),
        l10=earlier_points.groupby(key).transform(lambda s: s.rolling(10, min_periods=1).mean()),
        season=earlier_points.groupby(key).transform(lambda s: s.expanding().mean()),
        ewm=earlier_points.groupby(key).transform(lambda s: s.ewm(span=EWM_SPAN).mean()),
        minutes_l10=earlier_minutes.groupby(key).transform(lambda s: s.rolling(10, min_periods=1).mean()),
    )


def _mae(frame: pd.DataFrame, predictor: str) -> float:
    return float((frame[predictor] - frame["points"]).abs().mean())


def naive_predictability(box: pd.DataFrame, until: date | None = None) -> dict[str, float]:
    """The note's figures for box scores with at least `player_id, game_date, minutes, points`."""
    cutoff = (until or default_cutoff(box)).isoformat()
    frame = box.assign(game_date=box["game_date"].astype(str))
    frame = frame.loc[(frame["game_date"] <= cutoff) & (frame["minutes"].astype(float) > 0)]
    frame = frame.assign(minutes=frame["minutes"].astype(float), points=frame["points"].astype(float))
    frame = frame.sort_values(["player_id", "game_date"], kind="stable").reset_index(drop=True)
    rows = _earlier_games(frame)
    rows = rows.loc[rows["earlier_games"] >= MIN_EARLIER_GAMES]
    rotation = rows.loc[rows["minutes_l10"] >= ROTATION_MINUTES]

    figures: dict[str, float] = {
        "rows": float(len(rows)),
        "points mean": float(rows["points"].mean()),
        "points sd": float(rows["points"].std()),
    }
    for label, part in (("all played", rows), ("rotation", rotation)):
        for predictor in PREDICTORS:
            figures[f"MAE {predictor} ({label})"] = _mae(part, predictor)
    figures["sd around l10 (rotation)"] = float((rotation["points"] - rotation["l10"]).std())
    residual = rows["points"] - rows["season"]
    previous = residual.groupby(rows["player_id"]).shift(1)
    figures["lag-1 correlation"] = float(residual.corr(previous))
    for name, low, high in TIERS:
        tier = rotation.loc[(rotation["season"] >= low) & (rotation["season"] < high)]
        figures[f"{name} rows"] = float(len(tier))
        figures[f"{name} sd around season mean"] = float((tier["points"] - tier["season"]).std())
        figures[f"{name} MAE l10"] = _mae(tier, "l10")
    return figures


def format_figure(name: str, value: float) -> str:
    if name.endswith("rows") or name == "rows":
        return f"{value:,.0f}"
    if name.startswith("MAE") or name == "lag-1 correlation":
        return f"{value:.3f}"
    return f"{value:.2f}"


def simulated_predictability(
    seeds: list[int], season: str = "2025-26", until: date | None = None
) -> dict[str, dict[str, float]]:
    """The figures of one clean simulated season per seed, keyed by column name ("seed 42")."""
    from .simulate import simulate_games  # the simulation is heavy; reading a folder should not import it

    return {f"seed {seed}": naive_predictability(simulate_games(season, seed).box, until) for seed in seeds}


def side_by_side(columns: dict[str, dict[str, float]]) -> list[list[str]]:
    """Rows of [figure, real 2022-23, column...]; the mean of the columns is added when there are several."""
    names = list(REAL_2022_23)
    header = ["figure", "real 2022-23", *columns]
    if len(columns) > 1:
        header.append("mean of seeds")
    table = [header]
    for name in names:
        values = [column[name] for column in columns.values()]
        cells = [name, format_figure(name, REAL_2022_23[name]), *(format_figure(name, v) for v in values)]
        if len(columns) > 1:
            cells.append(format_figure(name, float(np.mean(values))))
        table.append(cells)
    return table


def markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
    lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
    return "\n".join(lines)
