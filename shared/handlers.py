"""Which service handles each function's events. Imported lazily so a function loads only its own code."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from shared.step import StepContext, StepResult

Handler = Callable[[Any, StepContext], StepResult]

HANDLERS: dict[str, str] = {
    "ingest": "shared.services.ingest:handle",
    "feature_store": "shared.services.feature_store:handle",
    "prediction": "shared.services.prediction:handle",
    "grading": "shared.services.grading:handle",
    "sharpness": "shared.services.sharpness:handle",
    "diagnostics": "shared.services.diagnostics:handle",
    "alerts": "shared.services.alerts:handle",
    "training": "shared.services.retraining:handle",
    "reconciler": "shared.services.reconciliation:handle",
}


def load_handler(function: str) -> Handler:
    module_name, _, attribute = HANDLERS[function].partition(":")
    handler: Handler = getattr(importlib.import_module(module_name), attribute)
    return handler
