"""Cloud Function entry point for reconciler: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.entrypoint import configure_function_logging, serve

# Structured JSON logs at INFO, whatever functions-framework configured (shared/logging_setup.py).
configure_function_logging("reconciler")


@functions_framework.cloud_event
def reconciler(cloud_event: CloudEvent) -> None:
    serve("reconciler", cloud_event)
