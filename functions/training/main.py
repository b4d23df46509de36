"""Cloud Function entry point for training: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.entrypoint import serve


@functions_framework.cloud_event
def training(cloud_event: CloudEvent) -> None:
    serve("training", cloud_event)
