"""Cloud Function entry point for ingest: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.runtime import handle_cloud_event


@functions_framework.cloud_event
def ingest(cloud_event: CloudEvent) -> None:
    handle_cloud_event("ingest", cloud_event)
