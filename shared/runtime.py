"""The one way any function handles one delivery: decode, validate, run the service, record the run.

Every exception is classified once, by ``shared/failures.py`` (the table: docs/errors.md). Permanent
problems (malformed message, contract violation, refused input, and anything unexpected while reading
the input) are logged, recorded as ``rejected`` and acknowledged. Transient ones (infrastructure faults,
anything unexpected while the step runs) are recorded as ``failed`` and re-raised so Pub/Sub retries and,
after the subscription's attempts, dead-letters. Every invocation appends one row to
``nba_orchestration.pipeline_runs`` (the view ``pipeline_runs_latest``: the latest per function and
event id), written through ``shared/run_log.py``: nothing succeeds silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from shared import job_labels, run_log
from shared.clock import utc_now
from shared.dependencies import Dependencies
from shared.errors import InvalidMessageError
from shared.events import EVENT_OF_TOPIC
from shared.failures import Phase, Verdict, classify
from shared.handlers import Handler, load_handler
from shared.logging_setup import bind_labels, end_event_labels, start_event_labels
from shared.messages import CloudEventLike, Delivery, decode, printable_text
from shared.step import StepContext, run_id_of_delivery
from shared.topology import subscriptions_of_function

log = logging.getLogger("courtside.runtime")


@dataclass(frozen=True)
class Outcome:
    function: str
    event_id: str
    status: str  # success | skipped | rejected | failed
    game_date: date | None
    rows_read: int
    rows_written: int
    detail: str
    published: tuple[str, ...]


def handle_cloud_event(
    function: str,
    cloud_event: CloudEventLike,
    deps: Dependencies,
    handler: Handler | None = None,
) -> Outcome:
    started = utc_now()
    event_id = _event_id(cloud_event)
    labels = start_event_labels(event_id=event_id)
    delivery: Delivery | None = None
    event: BaseModel | None = None
    context: StepContext | None = None
    phase = Phase.INPUT
    try:
        try:
            delivery = decode(cloud_event)
            event_id = delivery.event_id
            event = _validated_event(function, delivery)
            context = StepContext(
                function=function,
                deps=deps,
                event_id=event_id,
                run_id=str(getattr(event, "run_id", "") or run_id_of_delivery(function, event_id)),
                publish_time=delivery.decision_time,
                attributes=delivery.attributes,
                event_time=delivery.event_time,
            )
            bind_labels(event_id=event_id, run_id=context.run_id, game_date=_game_date(event))
            phase = Phase.STEP
            with job_labels.labelled(function, delivery.topic, context.run_id):
                result = (handler or load_handler(function))(event, context)
        except Exception as exc:
            if classify(exc, phase) is Verdict.PERMANENT:
                bind_labels(status="rejected")
                log.warning("%s rejected event %s: %s", function, event_id, _describe(exc))
                outcome = _outcome(
                    function, event_id, "rejected", _game_date(event), 0, 0, _describe(exc), context
                )
                _record(
                    deps, outcome, started, delivery, context, error=f"{type(exc).__name__}: {_describe(exc)}"
                )
                return outcome
            bind_labels(status="failed")
            log.exception("%s failed on event %s; Pub/Sub will redeliver", function, event_id)
            outcome = _outcome(function, event_id, "failed", _game_date(event), 0, 0, _describe(exc), context)
            try:
                _record(
                    deps, outcome, started, delivery, context, error=f"{type(exc).__name__}: {_describe(exc)}"
                )
            except Exception:  # the warehouse may be what failed; the original error matters more
                log.exception("could not record the failed run of %s", function)
            raise
        outcome = _outcome(
            function,
            event_id,
            result.status,
            result.game_date or _game_date(event),
            result.rows_read,
            result.rows_written,
            result.detail,
            context,
        )
        _record(deps, outcome, started, delivery, context, error=None)
        bind_labels(status=outcome.status, game_date=outcome.game_date)
        log.info("%s %s %s: %s", function, outcome.status, outcome.game_date, outcome.detail)
        return outcome
    finally:
        deps.warehouse.release()
        end_event_labels(labels)


def _validated_event(function: str, delivery: Delivery) -> BaseModel:
    accepted = {sub.topic for sub in subscriptions_of_function(function)}
    if delivery.topic not in accepted:
        raise InvalidMessageError(
            f"{function} does not subscribe to {delivery.topic!r} (accepts {sorted(accepted)})"
        )
    model = EVENT_OF_TOPIC[delivery.topic]
    try:
        return model.model_validate_json(delivery.payload)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'message'}: {e['msg']}" for e in exc.errors())
        raise InvalidMessageError(f"invalid {delivery.topic} message: {problems}") from exc


def _event_id(cloud_event: CloudEventLike) -> str:
    try:
        return printable_text(str(cloud_event["id"]))
    except (KeyError, TypeError):
        return "unknown"


def _describe(exc: BaseException) -> str:
    """The exception's message as storable text; a hostile input may put lone surrogates in it."""
    try:
        text = str(exc)
    except Exception:  # a __str__ that fails must not hide the original problem
        text = repr(type(exc))
    return printable_text(text)


def _game_date(event: BaseModel | None) -> date | None:
    value = getattr(event, "game_date", None)
    return value if isinstance(value, date) else None


def _outcome(
    function: str,
    event_id: str,
    status: str,
    game_date: date | None,
    rows_read: int,
    rows_written: int,
    detail: str,
    context: StepContext | None,
) -> Outcome:
    published = tuple(topic for topic, _ in context.published) if context else ()
    return Outcome(function, event_id, status, game_date, rows_read, rows_written, detail, published)


def _record(
    deps: Dependencies,
    outcome: Outcome,
    started: datetime,
    delivery: Delivery | None,
    context: StepContext | None,
    error: str | None,
) -> None:
    finished = utc_now()
    row: dict[str, Any] = {
        "function_name": outcome.function,
        "event_id": outcome.event_id,
        "run_id": context.run_id if context else None,
        "topic": printable_text(delivery.topic) if delivery else None,
        "game_date": outcome.game_date,
        "status": outcome.status,
        "started_at": started,
        "finished_at": finished,
        "duration_ms": int((finished - started).total_seconds() * 1000),
        "rows_read": outcome.rows_read,
        "rows_written": outcome.rows_written,
        "published_topics": ",".join(outcome.published) or None,
        "detail": printable_text(outcome.detail)[:2000] or None,
        "error": error[:4000] if error else None,
    }
    with job_labels.labelled(outcome.function, job_labels.BOOKKEEPING, row["run_id"] or ""):
        run_log.record(deps.warehouse, row)
