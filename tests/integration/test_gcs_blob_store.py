"""GcsBlobStore on fake-gcs-server: the same behaviour as the local blob folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from courtside.processes import RunningProcess
from shared.adapters.local_blob_store import LocalBlobStore
from shared.event_time import EVENT_TIME_KEY
from shared.settings import Settings

pytestmark = pytest.mark.integration

BUCKET = "courtside-raw-it"


@pytest.fixture(params=["local", "gcs"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    from shared.adapters.gcs_blob_store import GcsBlobStore

    emulator: RunningProcess = request.getfixturevalue("storage_emulator")
    settings = Settings(backend="gcp", project="courtside-it", storage_emulator_host=emulator.url)
    store = GcsBlobStore(settings)
    store.ensure_bucket(BUCKET)
    store.ensure_bucket(BUCKET)  # idempotent
    for name in store.list_names(BUCKET):
        store.client.bucket(BUCKET).blob(name).delete()
    return store


def test_write_then_read_exists_and_list(blobs: Any) -> None:
    blobs.write_bytes(BUCKET, "lines/2026-01-02/a.csv", b"game_id,line\n1,22.5\n")
    blobs.write_bytes(BUCKET, "lines/2026-01-02/b.csv", b"")
    blobs.write_bytes(BUCKET, "boxscores/2026-01-02.csv", b"x")
    blobs.write_bytes(BUCKET, "lines/2026-01-02/a.csv", b"game_id,line\n1,23.0\n")  # overwrite
    assert blobs.read_bytes(BUCKET, "lines/2026-01-02/a.csv") == b"game_id,line\n1,23.0\n"
    assert blobs.read_bytes(BUCKET, "lines/2026-01-02/b.csv") == b""
    assert blobs.exists(BUCKET, "boxscores/2026-01-02.csv")
    assert not blobs.exists(BUCKET, "boxscores/2026-01-03.csv")
    assert blobs.list_names(BUCKET, "lines/") == ["lines/2026-01-02/a.csv", "lines/2026-01-02/b.csv"]
    assert blobs.list_names(BUCKET) == [
        "boxscores/2026-01-02.csv",
        "lines/2026-01-02/a.csv",
        "lines/2026-01-02/b.csv",
    ]


def test_missing_object_raises_file_not_found(blobs: Any) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.csv"):
        blobs.read_bytes(BUCKET, "missing.csv")


def test_missing_bucket_lists_nothing(blobs: Any) -> None:
    assert blobs.list_names("no-such-bucket-courtside") == []


def test_large_object_round_trips(blobs: Any) -> None:
    data = bytes(range(256)) * 40_000  # 10 MB: above the client's multipart limit, so resumable
    blobs.write_bytes(BUCKET, "models/big.cbm", data)
    assert blobs.read_bytes(BUCKET, "models/big.cbm") == data


def test_a_replays_event_time_is_kept_as_object_metadata(blobs: Any) -> None:
    """The bucket notification's payload is the object resource: its metadata carries the event time."""
    if isinstance(blobs, LocalBlobStore):
        pytest.skip("nothing notifies on the local folder: the landing publishes the event time itself")
    metadata = {EVENT_TIME_KEY: "2026-01-02T17:30:00Z"}
    blobs.write_bytes(BUCKET, "lines/2026-01-02_open.csv", b"x", metadata=metadata)
    assert blobs.read_bytes(BUCKET, "lines/2026-01-02_open.csv") == b"x"
    blob = blobs.client.bucket(BUCKET).get_blob("lines/2026-01-02_open.csv")
    assert blob.metadata == metadata
