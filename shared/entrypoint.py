"""What a Cloud Function's ``main.py`` calls: one delivery, on this process's default dependencies.

The dependencies are built once per process (a warm Cloud Function instance keeps them) by the
composition root; the runtime itself receives them and never imports the composition root.
"""

from __future__ import annotations

from shared import bootstrap
from shared.messages import CloudEventLike
from shared.runtime import Outcome, handle_cloud_event


def serve(function: str, cloud_event: CloudEventLike) -> Outcome:
    return handle_cloud_event(function, cloud_event, bootstrap.default_dependencies())
