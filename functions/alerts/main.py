"""Cloud Function entry point for alerts: decode the CloudEvent and hand it to the shared runtime."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.runtime import handle_cloud_event


@functions_framework.cloud_event
def alerts(cloud_event: CloudEvent) -> None:
    handle_cloud_event("alerts", cloud_event)
