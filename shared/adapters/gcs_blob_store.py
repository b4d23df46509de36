"""The production blob store: Google Cloud Storage through google-cloud-storage.

Behaves like ``LocalBlobStore``: a missing object raises ``FileNotFoundError``, listings are sorted
names. ``STORAGE_EMULATOR_HOST`` (``http://host:port``) points the client at an emulator with
anonymous credentials.
"""

from __future__ import annotations

from collections.abc import Mapping

from google.api_core.exceptions import NotFound
from google.cloud import storage  # type: ignore[attr-defined]

from shared.settings import Settings


class GcsBlobStore:
    def __init__(self, settings: Settings, client: storage.Client | None = None) -> None:
        self._client = client or make_client(settings)

    @property
    def client(self) -> storage.Client:
        return self._client

    def write_bytes(
        self, bucket: str, name: str, data: bytes, metadata: Mapping[str, str] | None = None
    ) -> None:
        blob = self._client.bucket(bucket).blob(name)
        if metadata:  # set before the upload, so the OBJECT_FINALIZE notification's resource carries it
            blob.metadata = dict(metadata)
        # One upload call: the object appears whole (OBJECT_FINALIZE fires once, after it is complete).
        blob.upload_from_string(data)

    def read_bytes(self, bucket: str, name: str) -> bytes:
        try:
            data: bytes = self._client.bucket(bucket).blob(name).download_as_bytes()
        except NotFound as exc:
            raise FileNotFoundError(f"no object gs://{bucket}/{name}") from exc
        return data

    def exists(self, bucket: str, name: str) -> bool:
        return bool(self._client.bucket(bucket).blob(name).exists())

    def list_names(self, bucket: str, prefix: str = "") -> list[str]:
        try:
            return sorted(blob.name for blob in self._client.list_blobs(bucket, prefix=prefix or None))
        except NotFound:
            return []

    def ensure_bucket(self, bucket: str, location: str = "US") -> None:
        """Create a bucket if missing (emulators and dev projects; Terraform creates them in production)."""
        if self._client.lookup_bucket(bucket) is None:
            self._client.create_bucket(bucket, location=location)


def make_client(settings: Settings) -> storage.Client:
    if settings.storage_emulator_host:
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        endpoint = settings.storage_emulator_host
        if "://" not in endpoint:
            endpoint = f"http://{endpoint}"
        return storage.Client(
            project=settings.project,
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options=ClientOptions(api_endpoint=endpoint),
        )
    return storage.Client(project=settings.project)
