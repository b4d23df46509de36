"""Cloud Function entry point for prediction: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.logging_setup import configure_function_logging
from shared.runtime import handle_cloud_event

# Structured JSON logs at INFO, whatever functions-framework configured (shared/logging_setup.py).
configure_function_logging("prediction")


@functions_framework.cloud_event
def prediction(cloud_event: CloudEvent) -> None:
    handle_cloud_event("prediction", cloud_event)
