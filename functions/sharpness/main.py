"""Cloud Function entry point for sharpness: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.entrypoint import configure_function_logging, serve

# Structured JSON logs at INFO, whatever functions-framework configured (shared/logging_setup.py).
configure_function_logging("sharpness")


@functions_framework.cloud_event
def sharpness(cloud_event: CloudEvent) -> None:
    serve("sharpness", cloud_event)
