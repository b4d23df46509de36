"""Issue 11, finding 2: a transient failure reading the model is retried, a broken model is refused.

A network error while reading the model's blobs must not look like a refused model: the run is recorded
``failed`` and the error raised (Pub/Sub redelivers), nothing is written or cached, and the redelivery
after the fault clears predicts the date as if nothing had happened.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared.clock import eastern_datetime
from shared.errors import TransientError
from shared.ports import BlobStore
from tests.predict_fixtures import table_rows
from tests.service import test_predict_pipeline as predict
from tests.service.test_predict_pipeline import PREDICTIONS, deliver_features_ready

league = predict.league  # the synthetic league and its trained champion (pytest fixtures)
trained = predict.trained


class FlakyBlobStore:
    """Raises ``error`` on the next ``failures`` reads of any object whose name contains ``fragment``."""

    def __init__(self, inner: BlobStore, fragment: str, error: Exception, failures: int) -> None:
        self.inner = inner
        self.fragment = fragment
        self.error = error
        self.failures = failures

    def read_bytes(self, bucket: str, name: str) -> bytes:
        if self.fragment in name and self.failures > 0:
            self.failures -= 1
            raise self.error
        return self.inner.read_bytes(bucket, name)

    def write_bytes(self, bucket: str, name: str, data: bytes) -> None:
        self.inner.write_bytes(bucket, name, data)

    def exists(self, bucket: str, name: str) -> bool:
        return self.inner.exists(bucket, name)

    def list_names(self, bucket: str, prefix: str = "") -> list[str]:
        return self.inner.list_names(bucket, prefix)


def _runs(deps: Any) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = deps.warehouse.query(
        "SELECT status, error FROM nba_orchestration.pipeline_runs_latest WHERE function_name = 'prediction'"
    )
    return runs


@pytest.mark.parametrize("which", ["metadata", "model"])
@pytest.mark.parametrize(
    "error",
    [
        ConnectionError("connection reset by peer"),
        TimeoutError("read timed out"),
        OSError(104, "Connection reset by peer"),
    ],
    ids=["connection", "timeout", "oserror"],
)
def test_a_network_error_reading_the_model_is_retried_not_refused(deps, league, trained, which, error):
    row = deps.warehouse.query("SELECT model_path, metadata_path FROM nba_predictions.model_registry")[0]
    fragment = row["metadata_path"] if which == "metadata" else row["model_path"]
    deps.blobs = FlakyBlobStore(deps.blobs, fragment, error, failures=1)
    day = league.game_dates[-1]

    with pytest.raises(TransientError):
        deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert [run["status"] for run in _runs(deps)] == ["failed"]
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == []
    assert not any(key.startswith("model:") for key in deps.cache)

    redelivered = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert (redelivered.status, redelivered.rows_written) == ("success", 36)
    assert [run["status"] for run in _runs(deps)] == ["success"]


def test_a_missing_model_file_is_refused(deps, league, trained):
    row = deps.warehouse.query("SELECT model_path FROM nba_predictions.model_registry")[0]
    deps.blobs = FlakyBlobStore(deps.blobs, row["model_path"], FileNotFoundError("no object"), failures=9)
    day = league.game_dates[-1]
    outcome = deliver_features_ready(deps, day, eastern_datetime(day, 18, 1))
    assert outcome.status == "rejected"
    assert "is missing" in outcome.detail
    assert table_rows(deps.warehouse, PREDICTIONS, "prediction_id") == []
