"""Feature store: point-in-time features of every player expected on a game date.

``build_features`` is the one implementation (the function, the CLI backfill and backtests call it): stat
features come from SQL over box scores strictly before the date (shared/sql/features/player_features.sql),
injuries and lines only as known at ``as_of``, and the line is chosen by the one line policy
(shared/domain/line_policy.py) in Python. Which SQL columns are read and which columns are written follow
the contract's registry (shared/domain/features.py). The whole date (for the feature version) is replaced,
so players no longer produced do not linger, but only forward: a build as of an earlier time (a late or
redelivered older message) is skipped and never replaces a newer one.

Features freeze at the date's first tip-off: a request whose decision time is at or after it is skipped, so
the features (and the predictions made from them) never see anything that happened in a game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.clock import as_utc, today_et
from shared.domain.features import (
    CURRENT_CONTRACT,
    FEATURE_NAMES,
    FEATURE_VERSION,
    FEATURES,
    MODEL_FEATURES,
    READINESS_CONTRACT,
    FeatureSource,
    apply_defaults,
    defaulted_inputs,
    features_hash,
    injury_status_code,
    is_production_ready,
    validate_ranges,
)
from shared.domain.line_policy import KeyedLineSnapshot, SelectedLine, select_lines
from shared.domain.season import season_start
from shared.errors import MissingRowsError
from shared.events import FeaturesReady, LinesLoaded, ScheduledRun
from shared.ports import Row, Warehouse
from shared.settings import Settings
from shared.sql import load_sql
from shared.step import StepContext, StepResult

FEATURE_STORE = "nba_predictions.ml_feature_store"
FEATURE_STORE_KEY = ("game_date", "player_id", "feature_version")
FEATURES_READY_TOPIC = "features-ready"


@dataclass(frozen=True)
class FeatureBuildReport:
    game_date: date
    as_of: datetime
    feature_version: str
    status: str  # built | skipped
    reason: str
    games: int = 0
    first_tipoff: datetime | None = None
    rows_written: int = 0
    production_ready_rows: int = 0
    rows_with_line: int = 0
    stale_rows_removed: int = 0
    rows_with_range_problems: int = 0

    @property
    def built(self) -> bool:
        return self.status == "built"

    def summary(self) -> str:
        if not self.built:
            return f"features {self.game_date} skipped: {self.reason}"
        return (
            f"features {self.game_date} ({self.feature_version}, as_of {self.as_of.isoformat()}): "
            f"{self.rows_written} rows for {self.games} games, "
            f"{self.production_ready_rows} production-ready, {self.rows_with_line} with a line, "
            f"{self.rows_with_range_problems} with range problems"
        )


def games_of_date(warehouse: Warehouse, game_date: date) -> list[Row]:
    """The date's games, each with the stored build's ``stored_as_of``, ``stored_built_at`` and
    ``stored_player_ids`` (features/games_of_date.sql)."""
    return warehouse.query(
        load_sql("features/games_of_date"), {"game_date": game_date, "feature_version": FEATURE_VERSION}
    )


def build_features(
    warehouse: Warehouse,
    game_date: date,
    as_of: datetime,
    settings: Settings,
    *,
    built_at: datetime | None = None,
    games: Sequence[Row] | None = None,
) -> FeatureBuildReport:
    """Compute and store the features of ``game_date`` as known at ``as_of`` (the decision time).

    Returns a ``skipped`` report when no game is scheduled or when ``as_of`` is at/after the first tip-off
    (features are frozen); raises MissingRowsError when games exist but no player could be placed in them.
    ``built_at`` defaults to ``as_of`` so that rebuilding from the same inputs writes identical rows.
    ``games`` = ``games_of_date(warehouse, game_date)`` when the caller has just read them.
    """
    as_of = as_utc(as_of)
    if games is None:
        games = games_of_date(warehouse, game_date)
    if not games:
        return FeatureBuildReport(game_date, as_of, FEATURE_VERSION, "skipped", "no games scheduled")
    tip_offs = {str(game["game_id"]): as_utc(game["tipoff_utc"]) for game in games}
    first_tipoff = min(tip_offs.values())
    if as_of >= first_tipoff:
        return FeatureBuildReport(
            game_date,
            as_of,
            FEATURE_VERSION,
            "skipped",
            f"features are frozen: as_of {as_of.isoformat()} is at or after the first tip-off "
            f"{first_tipoff.isoformat()}",
            games=len(games),
            first_tipoff=first_tipoff,
        )
    built_at = as_utc(built_at) if built_at else as_of
    newer = _newer_stored_build(games[0], game_date, as_of, built_at)
    if newer:
        return FeatureBuildReport(
            game_date, as_of, FEATURE_VERSION, "skipped", newer, games=len(games), first_tipoff=first_tipoff
        )
    stats = warehouse.query(
        load_sql("features/player_features"),
        {"game_date": game_date, "as_of": as_of, "season_start": season_start(game_date)},
    )
    teams = sorted({str(game[side]) for game in games for side in ("home_team", "away_team")})
    if not stats and not teams_have_history(warehouse, game_date, teams):
        # The start of the data: none of tonight's teams has played yet, so no rows is the expected answer.
        return FeatureBuildReport(
            game_date,
            as_of,
            FEATURE_VERSION,
            "skipped",
            f"no box scores before this date for {', '.join(teams)}: no player history to build from",
            games=len(games),
            first_tipoff=first_tipoff,
        )
    if not stats:
        raise MissingRowsError(
            f"{len(games)} games on {game_date} but no expected players (no box scores before the date?)"
        )
    lines = choose_lines(warehouse, game_date, as_of, tip_offs, settings.bookmaker_priority, stats)
    rows = [
        feature_row(game_date, stat, lines[(str(stat["game_id"]), str(stat["player_id"]))]) for stat in stats
    ]
    for row in rows:
        row["as_of"] = as_of
        row["built_at"] = built_at
    # One MERGE: the rows replace theirs, and the date's rows of players this build no longer produces go.
    scope = {"game_date": game_date, "feature_version": FEATURE_VERSION}
    written = warehouse.replace_rows(FEATURE_STORE, rows, FEATURE_STORE_KEY, delete_scope=scope)
    stale = len(set(games[0]["stored_player_ids"] or ()) - {str(row["player_id"]) for row in rows})
    return FeatureBuildReport(
        game_date=game_date,
        as_of=as_of,
        feature_version=FEATURE_VERSION,
        status="built",
        reason="",
        games=len(games),
        first_tipoff=first_tipoff,
        rows_written=written,
        production_ready_rows=sum(bool(row["is_production_ready"]) for row in rows),
        rows_with_line=sum(row["has_line"] == 1.0 for row in rows),
        stale_rows_removed=stale,
        rows_with_range_problems=sum(row["range_problems"] is not None for row in rows),
    )


def choose_lines(
    warehouse: Warehouse,
    game_date: date,
    as_of: datetime,
    tip_offs: Mapping[str, datetime],
    priority: Sequence[str],
    stats: Sequence[Row],
) -> dict[tuple[str, str], SelectedLine]:
    """The line of every expected player-game at ``as_of``, by the one line policy."""
    candidates = warehouse.query(
        load_sql("features/line_candidates"), {"game_date": game_date, "as_of": as_of}
    )
    snapshots = [KeyedLineSnapshot.from_row(row) for row in candidates]
    player_games = [(str(stat["game_id"]), str(stat["player_id"])) for stat in stats]
    return select_lines(snapshots, tip_offs, as_of, priority, player_games)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def raw_feature_values(stat: Mapping[str, Any], line: SelectedLine) -> dict[str, float | None]:
    """Every feature of the contract before defaults: SQL features by their column name, the rest derived.

    Raises RuntimeError when the contract declares a feature this function does not produce, rather than
    letting ``apply_defaults`` fill it silently.
    """
    raw: dict[str, float | None] = {
        spec.name: _number(stat[spec.name]) for spec in CURRENT_CONTRACT.from_source(FeatureSource.SQL)
    }
    # Derived: without any history game (rest_days NULL) the player certainly did not play yesterday.
    raw["is_back_to_back"] = 1.0 if raw["rest_days"] == 0 else 0.0
    code = injury_status_code(stat["injury_status"], bool(stat["injury_report_available"]))
    raw["injury_status_code"] = None if code is None else float(code)
    # From the line policy.
    raw["has_line"] = 1.0 if line.has_line else 0.0
    raw["line_value"] = line.line
    raw["line_movement"] = line.line_movement
    unproduced = [name for name in FEATURE_NAMES if name not in raw]
    if unproduced:
        raise RuntimeError(f"contract {FEATURE_VERSION} declares {unproduced}; feature_row computes no value")
    return raw


def feature_row(game_date: date, stat: Mapping[str, Any], line: SelectedLine) -> dict[str, Any]:
    """One ml_feature_store row (without as_of/built_at) from the SQL stats and the selected line."""
    raw = raw_feature_values(stat, line)
    values, defaulted_count = apply_defaults(raw)
    defaulted = [name for name in MODEL_FEATURES if raw.get(name) is None]
    problems = validate_ranges(values)
    history_games = int(stat["history_games"])
    # Readiness counts only the readiness contract's (v1) inputs: the rows a bet may be made on stay the same
    # whichever later contracts the row also serves, so contracts are compared on the same bets.
    ready = is_production_ready(history_games, len(defaulted_inputs(raw, READINESS_CONTRACT)))
    row: dict[str, Any] = {
        "game_date": game_date,
        "player_id": str(stat["player_id"]),
        "feature_version": FEATURE_VERSION,
        "game_id": str(stat["game_id"]),
        "player_name": str(stat["player_name"]),
        "team": str(stat["team"]),
        "opponent": str(stat["opponent"]),
        "tipoff_utc": as_utc(stat["tipoff_utc"]),
        # Every feature, completed with its default unless the contract stores it as found.
        **{spec.name: raw[spec.name] if spec.stored_nullable else values[spec.name] for spec in FEATURES},
        "injury_status": stat["injury_status"],
        "line_source": line.line_source.value,
        "line_bookmaker": line.bookmaker,
        "line_snapshot_at": line.snapshot_at,
        "line_minutes_before_tip": line.minutes_before_tip,
        "line_over_price": None if line.over_price is None else round(line.over_price),
        "line_under_price": None if line.under_price is None else round(line.under_price),
        "opening_line": line.opening_line,
        "defaulted_count": defaulted_count,
        "defaulted_features": ",".join(defaulted) or None,
        "history_games": history_games,
        "range_problems": "; ".join(problems) or None,
        "is_production_ready": ready and not problems,
        "features_hash": features_hash(values),
    }
    return row


def teams_have_history(warehouse: Warehouse, game_date: date, teams: Sequence[str]) -> bool:
    rows = warehouse.query(
        load_sql("features/history_before"), {"game_date": game_date, "teams": list(teams)}
    )
    return int(rows[0]["history_rows"]) > 0


def _newer_stored_build(stored: Row, game_date: date, as_of: datetime, built_at: datetime) -> str:
    """Why a build as of (``as_of``, ``built_at``) must not replace the ``stored`` one (a row of
    ``games_of_date``), or "" when it may.

    A late or redelivered older message (the 09:00 build after the 12:30 one, an older lines-loaded) would
    otherwise put older lines back; an equal build (a redelivery) rewrites identical rows.
    """
    if stored["stored_as_of"] is None:
        return ""
    stored_as_of, stored_built_at = as_utc(stored["stored_as_of"]), as_utc(stored["stored_built_at"])
    if (as_of, built_at) >= (stored_as_of, stored_built_at):
        return ""
    return (
        f"features {game_date}: a newer build is stored (as_of {stored_as_of.isoformat()}, built "
        f"{stored_built_at.isoformat()}); this one (as_of {as_of.isoformat()}, built {built_at.isoformat()}) "
        "is older and never replaces it"
    )


# -- the Cloud Function handler ------------------------------------------------------------------------


def handle(event: LinesLoaded | ScheduledRun, context: StepContext) -> StepResult:
    """Build the features of the event's date and announce them on ``features-ready``.

    LinesLoaded: as_of = the batch's latest snapshot time (the data's own clock), else the publish time.
    ScheduledRun: the date is today in US Eastern at the publish time (unless an operator pinned one),
    as_of = the publish time. A message published at/after the first tip-off is skipped like a late as_of:
    features are frozen once the first game of the date has started.
    """
    publish_time = as_utc(context.publish_time)
    if isinstance(event, ScheduledRun):
        game_date = event.game_date or today_et(publish_time)
        as_of = publish_time
    else:
        game_date = event.game_date
        as_of = as_utc(event.latest_snapshot_at) if event.latest_snapshot_at else publish_time
        as_of = min(as_of, publish_time)
    settings = context.deps.settings
    warehouse = context.deps.warehouse
    games = games_of_date(warehouse, game_date)
    if games:
        first_tipoff = min(as_utc(game["tipoff_utc"]) for game in games)
        if publish_time >= first_tipoff:
            return StepResult(
                game_date,
                0,
                0,
                f"features are frozen: published {publish_time.isoformat()}, at or after the first tip-off "
                f"{first_tipoff.isoformat()}",
                status="skipped",
            )
    report = build_features(warehouse, game_date, as_of, settings, built_at=publish_time, games=games)
    if not report.built:
        return StepResult(game_date, 0, 0, report.summary(), status="skipped")
    context.publish(
        FEATURES_READY_TOPIC,
        FeaturesReady(
            **context.event_fields(game_date),
            feature_version=report.feature_version,
            rows_written=report.rows_written,
            production_ready_rows=report.production_ready_rows,
        ),
    )
    return StepResult(game_date, report.rows_written, report.rows_written, report.summary())
