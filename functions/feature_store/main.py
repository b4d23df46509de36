"""Cloud Function entry point for feature_store: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.entrypoint import configure_function_logging, serve

# Structured JSON logs at INFO, whatever functions-framework configured (shared/logging_setup.py).
configure_function_logging("feature_store")


@functions_framework.cloud_event
def feature_store(cloud_event: CloudEvent) -> None:
    serve("feature_store", cloud_event)
