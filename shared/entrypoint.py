"""What a Cloud Function's ``main.py`` calls: one delivery, on this process's default dependencies.

The dependencies are built once per process (a warm Cloud Function instance keeps them) by the
composition root; the runtime itself receives them and never imports the composition root.
``configure_function_logging`` is called when ``main.py`` is imported (shared/logging_setup.py).
"""

from __future__ import annotations

from shared import bootstrap
from shared.logging_setup import configure_function_logging
from shared.messages import CloudEventLike
from shared.runtime import Outcome, handle_cloud_event

__all__ = ["configure_function_logging", "serve"]


def serve(function: str, cloud_event: CloudEventLike) -> Outcome:
    return handle_cloud_event(function, cloud_event, bootstrap.default_dependencies())
