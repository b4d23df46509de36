"""Quota and concurrency errors from BigQuery are retried with backoff inside the adapter, then given up.

The real google-cloud-bigquery client runs against a fake HTTP transport that answers with BigQuery's
own REST payloads: a 403 ``rateLimitExceeded`` on the job insert, a job that ends in "Exceeded rate
limits", and a DML job that ends in "Could not serialize access ... due to concurrent update". The
jobs also show the labels every job carries.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import requests
from google.api_core import exceptions as api_exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from shared import job_labels
from shared.adapters.bigquery_warehouse import Backoff, BigQueryWarehouse, is_quota_error
from shared.services.grading import ACCURACY_KEY
from shared.settings import Settings

JOB_INSERT_RATE = (
    403,
    {
        "error": {
            "code": 403,
            "message": "Exceeded rate limits: too many job insert requests for this project. For more "
            "information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas",
            "errors": [
                {"message": "Exceeded rate limits", "domain": "usageLimits", "reason": "rateLimitExceeded"}
            ],
            "status": "PERMISSION_DENIED",
        }
    },
)
TABLE_UPDATE_RATE = {
    "reason": "rateLimitExceeded",
    "location": "table.update",
    "message": "Exceeded rate limits: too many table update operations for this table. For more "
    "information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas",
}
CONCURRENT_DML = {
    "reason": "invalidQuery",
    "message": "Could not serialize access to table p:nba_orchestration.alert_log due to concurrent update",
}
SYNTAX_ERROR = {"reason": "invalidQuery", "message": "Syntax error: Unexpected keyword FROM at [1:8]"}


class FakeBigQuery:
    """Answers the REST calls the client makes for a query job; ``plan`` says how each job insert ends."""

    is_mtls = False

    def __init__(self, plan: list[Any]) -> None:
        self.plan = plan  # per job insert: None (succeeds), (status, body) (HTTP error), or an errorResult
        self.inserts: list[dict[str, Any]] = []
        self.jobs: dict[str, dict[str, Any]] = {}

    def request(self, method: str, url: str, data: Any = None, **_: Any) -> requests.Response:
        path = url.split("/bigquery/v2", 1)[1].split("?", 1)[0]
        if method == "POST" and path.endswith("/jobs"):
            body = json.loads(data)
            self.inserts.append(body)
            outcome = self.plan.pop(0) if self.plan else None
            if isinstance(outcome, tuple):
                return _response(method, url, *outcome)
            job_id = body["jobReference"]["jobId"]
            status: dict[str, Any] = {"state": "DONE"}
            if outcome is not None:
                status |= {"errorResult": outcome, "errors": [outcome]}
            self.jobs[job_id] = {
                "kind": "bigquery#job",
                "id": f"p:US.{job_id}",
                "jobReference": {"projectId": "p", "jobId": job_id, "location": "US"},
                "configuration": body["configuration"],
                "status": status,
                "statistics": {"query": {"numDmlAffectedRows": "0"}},
            }
            return _response(method, url, 200, self.jobs[job_id])
        job_id = path.rsplit("/", 1)[1]
        job = self.jobs[job_id]
        if "/queries/" in path:
            if "errorResult" in job["status"]:
                error = job["status"]["errorResult"]
                code = 403 if error["reason"] == "rateLimitExceeded" else 400
                return _response(
                    method,
                    url,
                    code,
                    {"error": {"code": code, "message": error["message"], "errors": [error]}},
                )
            return _response(
                method,
                url,
                200,
                {
                    "kind": "bigquery#getQueryResultsResponse",
                    "jobReference": job["jobReference"],
                    "jobComplete": True,
                    "totalRows": "1",
                    "schema": {"fields": [{"name": "n", "type": "INTEGER", "mode": "NULLABLE"}]},
                    "rows": [{"f": [{"v": "1"}]}],
                },
            )
        return _response(method, url, 200, job)


def _response(method: str, url: str, status: int, body: dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    response.request = requests.Request(method, url).prepare()
    response.url = url
    return response


def warehouse_over(fake: FakeBigQuery, attempts: int = 4) -> tuple[BigQueryWarehouse, list[float]]:
    slept: list[float] = []
    client = bigquery.Client(
        project="p",
        location="US",
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        _http=fake,  # type: ignore[arg-type]  # answers like requests.Session.request
    )
    backoff = Backoff(attempts=attempts, first_delay=1.0, max_delay=4.0, sleep=slept.append, uniform=_upper)
    return BigQueryWarehouse(Settings(backend="gcp", project="p"), client=client, backoff=backoff), slept


def _upper(low: float, high: float) -> float:
    return high  # the jitter's upper bound, so the test can check the exponential caps


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("job insert rate limit", JOB_INSERT_RATE),
        ("table rate limit", TABLE_UPDATE_RATE),
        ("concurrent DML", CONCURRENT_DML),
    ],
)
def test_quota_errors_are_retried_with_backoff_then_succeed(name: str, error: Any) -> None:
    fake = FakeBigQuery([error, error])
    warehouse, slept = warehouse_over(fake)
    assert warehouse.query("SELECT 1 AS n") == [{"n": 1}]
    assert len(fake.inserts) == 3, name
    assert slept == [1.0, 2.0]  # exponential: the jitter draws from U(0, 1) then U(0, 2)


@pytest.mark.parametrize("error", [JOB_INSERT_RATE, TABLE_UPDATE_RATE, CONCURRENT_DML])
def test_quota_errors_give_up_after_the_last_attempt(error: Any) -> None:
    fake = FakeBigQuery([error] * 10)
    warehouse, slept = warehouse_over(fake, attempts=4)
    with pytest.raises(api_exceptions.GoogleAPICallError) as raised:
        warehouse.execute(
            "UPDATE nba_orchestration.alert_log SET level = 'x' WHERE game_date = @d", {"d": "2026-01-02"}
        )
    assert is_quota_error(raised.value)
    assert len(fake.inserts) == 4
    assert slept == [1.0, 2.0, 4.0]  # capped at max_delay


def test_other_errors_are_not_retried() -> None:
    fake = FakeBigQuery([SYNTAX_ERROR])
    warehouse, slept = warehouse_over(fake)
    with pytest.raises(api_exceptions.BadRequest):
        warehouse.query("SELECT 1 AS n")
    assert len(fake.inserts) == 1 and slept == []


def test_every_job_carries_sanitised_labels() -> None:
    fake = FakeBigQuery([])
    warehouse, _ = warehouse_over(fake)
    with job_labels.labelled("feature_store", "Lines-Loaded", "Run:2026-01-02T12:30:00+00:00/" + "x" * 80):
        warehouse.query("SELECT 1 AS n")
    warehouse.query("SELECT 1 AS n")  # outside a run: no labels
    labels = [insert["configuration"].get("labels") for insert in fake.inserts]
    run_label = labels[0]["run_id"]
    assert labels[0]["function"] == "feature_store" and labels[0]["step"] == "lines-loaded"
    assert run_label.startswith("run_2026-01-02t12_30_00_00_00_") and len(run_label) == 63
    assert labels[1] in (None, {})


def test_jobs_are_counted_per_function_and_kind() -> None:
    fake = FakeBigQuery([])
    warehouse, _ = warehouse_over(fake)
    with job_labels.labelled("grading", "boxscores-loaded", "r1"):
        warehouse.query("SELECT 1 AS n")
        warehouse.query("SELECT 1 AS n")
    with job_labels.labelled("grading", job_labels.BOOKKEEPING, "r1"):
        warehouse.execute("SELECT 1 AS n")
    assert warehouse.statements.snapshot() == {("grading", "read"): 2, ("grading", "bookkeeping"): 1}


class DryRunBigQuery(FakeBigQuery):
    """Answers a dry-run job insert as BigQuery does: no job runs, statistics say the bytes it would read."""

    def request(self, method: str, url: str, data: Any = None, **kwargs: Any) -> requests.Response:
        body = json.loads(data) if data else {}
        if method == "POST" and body.get("configuration", {}).get("dryRun"):
            self.inserts.append(body)
            return _response(
                method,
                url,
                200,
                {
                    "jobReference": {"projectId": "p", "location": "US"},
                    "configuration": body["configuration"],
                    "status": {"state": "DONE"},
                    "statistics": {
                        "totalBytesProcessed": "123456",
                        "query": {"totalBytesProcessed": "123456"},
                    },
                },
            )
        return super().request(method, url, data, **kwargs)


def test_a_keyed_write_is_dry_run_as_the_pruned_read_of_its_target() -> None:
    fake = DryRunBigQuery([])
    warehouse, _ = warehouse_over(fake)
    rows = [{"game_date": date(2026, 1, 2), "player_id": "p1", "system_id": "s"}]
    size = warehouse.dry_run_keyed_write("nba_predictions.prediction_accuracy", rows, ACCURACY_KEY)
    assert size == 123456
    query = fake.inserts[0]["configuration"]["query"]
    assert query["query"].endswith("WHERE target.`game_date` IN UNNEST(@partition_values)")
    assert query["queryParameters"][0]["parameterValue"]["arrayValues"] == [{"value": "2026-01-02"}]
    assert warehouse.dry_run("SELECT 1 AS n") == 123456
