"""The composition root: the only place that chooses and builds adapters.

``local`` (the default): DuckDB file, local blob folder, in-process bus. ``gcp``: BigQuery, Cloud
Storage, Pub/Sub. On ``local``, setting ``PUBSUB_EMULATOR_HOST`` or ``STORAGE_EMULATOR_HOST`` swaps
just that adapter for the real client pointed at the emulator (that is how ``make emulate`` runs);
without the Pub/Sub emulator, ``COURTSIDE_PUSH_ENDPOINTS`` selects the HTTP push bus instead.
Google client libraries are imported only when chosen, so the embedded default starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from shared.adapters.inprocess_bus import InProcessBus
from shared.adapters.local_dead_letters import LocalDeadLetterArchive
from shared.clock import utc_now
from shared.dependencies import Dependencies
from shared.ports import AlertSink, BlobStore, Bus, DeadLetterArchive, Warehouse
from shared.runtime import handle_cloud_event
from shared.settings import Settings, SettingsError

__all__ = ["Dependencies", "build_dependencies", "dead_letter_archive", "default_dependencies"]


def build_dependencies(
    settings: Settings | None = None,
    *,
    hold_connection: bool = True,
    warehouse: Warehouse | None = None,
    bus: Bus | None = None,
    blobs: BlobStore | None = None,
    alert_sink: AlertSink | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Dependencies:
    """The adapters for ``settings`` (default: the environment); any keyword given replaces that one
    adapter (a test's recording alert sink, a replay's settable clock, a tool's own bus)."""
    settings = settings or Settings.from_env()
    chosen_bus = bus if bus is not None else _bus(settings)
    deps = Dependencies(
        settings=settings,
        warehouse=warehouse if warehouse is not None else _warehouse(settings, hold_connection),
        bus=chosen_bus,
        blobs=blobs if blobs is not None else _blobs(settings),
        alert_sink_factory=(lambda: alert_sink) if alert_sink is not None else partial(_alert_sink, settings),
        clock=clock if clock is not None else utc_now,
        announces_raw_objects=isinstance(chosen_bus, InProcessBus),
    )
    if isinstance(deps.bus, InProcessBus):
        deps.bus.connect(
            lambda function, cloud_event: handle_cloud_event(function, cloud_event, deps),
            clock=deps.clock,
        )
    if settings.backend == "local":
        deps.warehouse.ensure_tables()
    return deps


def dead_letter_archive(deps: Dependencies) -> DeadLetterArchive:
    """Where the bus of ``deps`` keeps dead letters: its local folder or Pub/Sub's archive subscriptions."""
    if isinstance(deps.bus, InProcessBus) and deps.bus.dead_letter_archive is not None:
        return deps.bus.dead_letter_archive
    settings = deps.settings
    if settings.backend == "gcp" or settings.pubsub_emulator_host:
        from shared.adapters.pubsub_dead_letters import PubSubDeadLetterArchive

        return PubSubDeadLetterArchive(settings)
    raise SettingsError("this bus keeps no dead-letter archive (the HTTP push bus only logs dead letters)")


_DEFAULT: Dependencies | None = None


def default_dependencies() -> Dependencies:
    """One set per process (a Cloud Function instance), built on first use.

    Function processes give the DuckDB file back after each event, so several local function
    processes can share it.
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = build_dependencies(hold_connection=False)
    return _DEFAULT


def _warehouse(settings: Settings, hold_connection: bool) -> Warehouse:
    if settings.backend == "gcp":
        from shared.adapters.bigquery_warehouse import BigQueryWarehouse

        return BigQueryWarehouse(settings)
    from shared.adapters.duckdb_warehouse import DuckDBWarehouse

    return DuckDBWarehouse(settings.duckdb_path, settings.dataset_suffix, hold_connection=hold_connection)


def _bus(settings: Settings) -> Bus:
    if settings.backend == "gcp" or settings.pubsub_emulator_host:
        from shared.adapters.pubsub_bus import PubSubBus

        return PubSubBus(settings)
    if settings.push_endpoints:
        from shared.adapters.http_push_bus import HttpPushBus, parse_endpoints

        return HttpPushBus(settings.project, parse_endpoints(settings.push_endpoints))
    archive = LocalDeadLetterArchive(settings.dead_letter_root)
    return InProcessBus(settings.project, dead_letter_archive=archive)


def _blobs(settings: Settings) -> BlobStore:
    if settings.backend == "gcp" or settings.storage_emulator_host:
        from shared.adapters.gcs_blob_store import GcsBlobStore

        return GcsBlobStore(settings)
    from shared.adapters.local_blob_store import LocalBlobStore

    return LocalBlobStore(settings.blob_root)


def _alert_sink(settings: Settings) -> AlertSink:
    if settings.slack_webhook_url:
        from shared.adapters.slack_alert_sink import SlackWebhookSink

        return SlackWebhookSink(settings.slack_webhook_url)
    from shared.adapters.log_alert_sink import LogAlertSink

    return LogAlertSink()
