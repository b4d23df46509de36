"""Grading: turn the current predictions of a game date into rows of ``nba_predictions.prediction_accuracy``.

Only predictions with a real sportsbook line (line_source ACTUAL_PROP) are graded: a call made without a line
says nothing about beating the market. The rules themselves live in ``shared.domain.grading``; this module
only gathers their inputs with SQL, applies the line policy at tip-off for the closing line and writes the
rows by key (game_date, player_id, system_id). ``graded_at`` is the triggering message's publish time, so a
redelivered message rewrites byte-identical rows.

Forward only: a late, older trigger grades from the current inputs like any other, but a row keeps the
``graded_at`` and ``run_id`` of the newest trigger that graded it, and a settled grade is never turned back
into a pending one (``shared.domain.grading.unsettles``: a racing run that read its inputs before the box
scores landed keeps nothing of its stale view).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.clock import as_utc, today_et, yesterday_et
from shared.domain.grading import GradeStatus, GradingInput, StoredGrade, grade_prediction, unsettles
from shared.domain.line_policy import KeyedLineSnapshot, SelectedLine, select_lines
from shared.domain.systems import is_production_system
from shared.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from shared.domain.vocabulary import BoxScoreStatus, GameStatus, InjuryStatus, Recommendation
from shared.errors import MissingRowsError
from shared.events import BoxscoresLoaded, GradingComplete, ScheduledRun
from shared.ports import Row, Warehouse
from shared.settings import Settings
from shared.sql import load_sql
from shared.step import StepContext, StepResult

log = logging.getLogger("courtside.grading")

PREDICTION_ACCURACY = "nba_predictions.prediction_accuracy"
ACCURACY_KEY = ("game_date", "player_id", "system_id")


@dataclass(frozen=True)
class GradingReport:
    """Coverage of one grading run: every gradable prediction ends graded, voided or pending."""

    game_date: date
    gradable: int
    graded: int
    voided: int
    pending: int
    rows_written: int
    stale_removed: int
    pending_details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        text = (
            f"{self.game_date}: {self.graded} graded, {self.voided} voided, {self.pending} pending "
            f"of {self.gradable} gradable predictions"
        )
        if self.pending_details:
            shown = "; ".join(self.pending_details[:10])
            more = len(self.pending_details) - 10
            text += f" (pending: {shown}{f'; +{more} more' if more > 0 else ''})"
        return text


def grading_date(event: BoxscoresLoaded | ScheduledRun, publish_time: datetime) -> date:
    """The game date to grade: the box scores' date, a pinned date, or today/yesterday in US Eastern."""
    if isinstance(event, BoxscoresLoaded):
        return event.game_date
    if event.game_date is not None:
        return event.game_date
    return yesterday_et(publish_time) if event.relative_day == "yesterday" else today_et(publish_time)


def handle(event: BoxscoresLoaded | ScheduledRun, context: StepContext) -> StepResult:
    game_date = grading_date(event, context.publish_time)
    report = grade_date(
        context.deps.warehouse,
        game_date,
        graded_at=context.publish_time,
        settings=context.deps.settings,
        run_id=context.run_id,
    )
    if report.gradable == 0:
        return StepResult(
            game_date,
            0,
            0,
            f"no predictions with a real line for {game_date}: nothing to grade",
            status="skipped",
        )
    if report.graded + report.voided == 0:
        # Pending rows are written, but "grading complete" would be a lie: let Pub/Sub retry (box scores may
        # still be landing) and finally dead-letter, where it is visible.
        raise MissingRowsError(f"nothing could be graded yet: {report.summary}")
    context.publish(
        "grading-complete",
        GradingComplete(
            **context.event_fields(game_date),
            gradable=report.gradable,
            graded=report.graded,
            voided=report.voided,
            pending=report.pending,
        ),
    )
    return StepResult(game_date, report.gradable, report.rows_written, report.summary)


def grade_date(
    warehouse: Warehouse,
    game_date: date,
    graded_at: datetime,
    settings: Settings,
    run_id: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    system_ids: Collection[str] | None = None,
) -> GradingReport:
    """Grade every current ACTUAL_PROP prediction of ``game_date`` and write them by key.

    Jobs: one read of the predictions with their inputs and closing-line snapshots, one of the stored
    grades just before the write (the forward-only guard: read last, so a run racing this one is seen),
    the MERGE, and a DELETE only when a stored grade is no longer gradable.

    ``system_ids`` limits grading to those systems (a walk-forward backtest grades only its own, so the
    champion's grades keep the ``graded_at`` of their production run); by default every production system."""
    predictions = [
        p
        for p in warehouse.query(load_sql("grading/gradable_predictions"), {"game_date": game_date})
        if _grades(system_ids, str(p["system_id"]))
    ]
    if not predictions:
        return GradingReport(game_date, 0, 0, 0, 0, 0, 0)
    closing = closing_lines(predictions, settings.bookmaker_priority)
    computed = [
        accuracy_row(p, closing.get((p["game_id"], p["player_id"])), graded_at, run_id, thresholds)
        for p in predictions
    ]
    stored = stored_grades(warehouse, game_date, system_ids)
    to_write, kept = forward_only(computed, stored)
    written = warehouse.replace_rows(PREDICTION_ACCURACY, to_write, ACCURACY_KEY) if to_write else 0
    stale = _remove_stale(warehouse, game_date, computed, stored)
    rows = to_write + kept
    pending = [r for r in rows if r["grade_status"] == GradeStatus.PENDING]
    details = tuple(
        f"{r['player_name']} ({r['player_id']}, {r['system_id']}): {r['pending_reason']}" for r in pending
    )
    for detail in details:
        log.warning("grading %s left pending: %s", game_date, detail)
    return GradingReport(
        game_date=game_date,
        gradable=len(rows),
        graded=sum(1 for r in rows if r["grade_status"] == GradeStatus.GRADED),
        voided=sum(1 for r in rows if r["grade_status"] == GradeStatus.VOIDED),
        pending=len(pending),
        rows_written=written,
        stale_removed=stale,
        pending_details=details,
    )


def closing_lines(predictions: Sequence[Row], priority: Sequence[str]) -> dict[tuple[str, str], SelectedLine]:
    """The line policy at as_of = tip-off for every predicted player-game (the closing line), from the
    pre-tip-off snapshots each prediction row carries (``closing_snapshots`` of
    grading/gradable_predictions.sql; the rows of several systems for one player carry the same ones)."""
    snapshots: dict[tuple[str, str], list[KeyedLineSnapshot]] = {}
    for p in predictions:
        key = (str(p["game_id"]), str(p["player_id"]))
        if key not in snapshots:
            snapshots[key] = [
                KeyedLineSnapshot.from_row({"game_id": key[0], "player_id": key[1], **s})
                # BigQuery returns a NULL array as [], DuckDB as None.
                for s in p["closing_snapshots"] or ()
            ]
    tip_offs = {str(p["game_id"]): p["tipoff_utc"] for p in predictions if p["tipoff_utc"] is not None}
    return select_lines(
        (s for player_game in snapshots.values() for s in player_game),
        tip_offs,
        None,
        priority,
        {(str(p["game_id"]), str(p["player_id"])) for p in predictions if p["game_id"] in tip_offs},
    )


def grading_input(prediction: Mapping[str, Any]) -> GradingInput:
    """Translate one row of grading/gradable_predictions.sql into the pure grading input."""
    game_status = prediction["game_status"]
    box_status = prediction["box_score_status"]
    injury = prediction["pre_game_injury_status"]
    return GradingInput(
        recommendation=Recommendation(prediction["recommendation"]),
        predicted_points=float(prediction["predicted_points"]),
        line=None if prediction["line_value"] is None else float(prediction["line_value"]),
        # A game missing from the schedule cannot be final: grade it as not final (pending).
        game_status=GameStatus(game_status) if game_status else GameStatus.SCHEDULED,
        box_score_status=BoxScoreStatus(box_status) if box_status else None,
        actual_points=None if prediction["actual_points"] is None else int(prediction["actual_points"]),
        minutes=None if prediction["minutes"] is None else float(prediction["minutes"]),
        pre_game_injury_status=InjuryStatus(injury) if injury in InjuryStatus.__members__ else None,
    )


def accuracy_row(
    prediction: Mapping[str, Any],
    closing: SelectedLine | None,
    graded_at: datetime,
    run_id: str | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    outcome = grade_prediction(grading_input(prediction), thresholds)
    graded = outcome.status is GradeStatus.GRADED
    close = closing if closing is not None and closing.has_line else None
    return {
        "game_date": prediction["game_date"],
        "player_id": prediction["player_id"],
        "system_id": prediction["system_id"],
        "game_id": prediction["game_id"],
        "player_name": prediction["player_name"],
        "team": prediction["team"],
        "opponent": prediction["opponent"],
        "prediction_id": prediction["prediction_id"],
        "model_id": prediction["model_id"],
        "is_champion": prediction["is_champion"],
        "grade_status": str(outcome.status),
        "pending_reason": None if outcome.pending_reason is None else str(outcome.pending_reason),
        "void_reason": None if outcome.void_reason is None else str(outcome.void_reason),
        "pre_game_injury_status": prediction["pre_game_injury_status"],
        "predicted_points": prediction["predicted_points"],
        "actual_points": prediction["actual_points"] if graded else None,
        "minutes": prediction["minutes"],
        "absolute_error": outcome.absolute_error,
        "signed_error": outcome.signed_error,
        "line_margin": outcome.line_margin,
        "prediction_margin": outcome.prediction_margin,
        "within_3": outcome.within_3,
        "within_5": outcome.within_5,
        "line_value": prediction["line_value"],
        "line_bookmaker": prediction["line_bookmaker"],
        "line_snapshot_at": prediction["line_snapshot_at"],
        "over_price": prediction["over_price"],
        "under_price": prediction["under_price"],
        "closing_line": close.line if close else None,
        "closing_bookmaker": close.bookmaker if close else None,
        "closing_snapshot_at": close.snapshot_at if close else None,
        "p_over": prediction["p_over"],
        "confidence": prediction["confidence"],
        "edge": prediction["edge"],
        "recommendation": prediction["recommendation"],
        "is_correct": outcome.is_correct,
        "is_push": outcome.is_push,
        "is_voided": outcome.is_voided,
        "graded_at": graded_at,
        "run_id": run_id,
    }


def _grades(system_ids: Collection[str] | None, system_id: str) -> bool:
    """The systems a grading run owns: those asked for, else every production system (a backtest grades its
    own system; the grading function never rewrites a backtest's grades: ``shared.domain.systems``)."""
    return is_production_system(system_id) if system_ids is None else system_id in system_ids


def stored_grades(
    warehouse: Warehouse, game_date: date, system_ids: Collection[str] | None = None
) -> dict[tuple[str, str], StoredGrade]:
    """The date's stored grades by (player_id, system_id): of ``system_ids`` when given, else of every
    production system."""
    return {
        (str(row["player_id"]), str(row["system_id"])): StoredGrade(
            prediction_id=str(row["prediction_id"]),
            status=GradeStatus(row["grade_status"]),
            graded_at=as_utc(row["graded_at"]),
            run_id=row["run_id"],
        )
        for row in warehouse.query(load_sql("grading/existing_keys"), {"game_date": game_date})
        if _grades(system_ids, str(row["system_id"]))
    }


def forward_only(
    computed: Sequence[dict[str, Any]], stored: Mapping[tuple[str, str], StoredGrade]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows to write, settled rows kept as stored) so that no grade moves backward.

    A row the stored grade would unsettle is not written (it is reported with the stored status); a row
    graded by an older trigger than the stored one keeps the stored ``graded_at`` and ``run_id``."""
    to_write: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for row in computed:
        previous = stored.get((str(row["player_id"]), str(row["system_id"])))
        if previous is None:
            to_write.append(row)
        elif unsettles(previous, str(row["prediction_id"]), GradeStatus(row["grade_status"])):
            kept.append({**row, "grade_status": str(previous.status), "pending_reason": None})
        elif previous.graded_at > as_utc(row["graded_at"]):
            to_write.append({**row, "graded_at": previous.graded_at, "run_id": previous.run_id})
        else:
            to_write.append(row)
    return to_write, kept


def _remove_stale(
    warehouse: Warehouse,
    game_date: date,
    rows: Sequence[Mapping[str, Any]],
    stored: Mapping[tuple[str, str], StoredGrade],
) -> int:
    """Drop grades whose (player, system) is no longer gradable, e.g. the current prediction lost its line."""
    current = {f"{r['player_id']}|{r['system_id']}" for r in rows}
    stale = sorted({f"{player}|{system}" for player, system in stored} - current)
    if stale:
        warehouse.execute(load_sql("grading/delete_stale"), {"game_date": game_date, "stale_keys": stale})
    return len(stale)
