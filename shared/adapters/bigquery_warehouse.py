"""The production warehouse: BigQuery through google-cloud-bigquery, with parameterised SQL only.

Reads run the repository's BigQuery-dialect SQL as written (only the dataset suffix is applied) with
typed query parameters (``shared/adapters/bigquery_params.py``). A keyed write is ONE ``MERGE`` statement,
so it is atomic: a reader sees all of it or none of it, and a redelivered event rewrites the same rows.
Its rows travel inside that one job, as an ARRAY<STRUCT> query parameter typed by the table's schema
(no streaming buffer, no staging table); only a write of more than ``INLINE_MAX_VALUES`` values
(``shared/adapters/keyed_writes.py``) is loaded into a short-lived staging table first (a load job: free,
but a second job). ``statements`` counts exactly the jobs inserted, and the DuckDB adapter counts the same.

Every MERGE also restricts the target's partition column (when it is a key column) to the values the
staged rows hold, so a day's write reads that day's partitions, not the whole table's history.

Every job carries the labels of the work running it (``shared/job_labels.py``: function, step, run id),
and is counted per function and kind on ``statements``. Rate-limit and concurrency errors (job-insert
rate, "Exceeded rate limits", concurrent DML) are retried here with exponential backoff and full
jitter (``Backoff``); after the last attempt the error propagates and the run fails as transient, so
Pub/Sub redelivers it later.

``BIGQUERY_EMULATOR_HOST`` (e.g. ``http://127.0.0.1:9050``) points the client at an emulator with
anonymous credentials. google.cloud is imported only here, so the embedded default never loads it.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from google.api_core import exceptions as api_exceptions
from google.api_core import retry as api_retry
from google.api_core.client_options import ClientOptions
from google.api_core.exceptions import NotFound
from google.cloud import bigquery

from shared.adapters.bigquery_params import describe
from shared.adapters.keyed_writes import check_keyed_rows, is_inline, keyed_write_jobs
from shared.adapters.sql_translation import parameter_names, to_bigquery
from shared.job_labels import StatementCounts, current
from shared.ports import Row
from shared.schema_files import partition_columns, table_definitions
from shared.settings import DATASETS, Settings

log = logging.getLogger("courtside.bigquery")

# A staging table outlives a crashed writer by at most this long (BigQuery then drops it itself).
STAGING_TTL = timedelta(hours=1)
STAGING_PREFIX = "_staging_"
PARTITION_VALUES = "partition_values"
INLINE_ROWS = "staged_rows"
_Result = TypeVar("_Result")

# Quota and concurrency errors worth waiting out (BigQuery's error reasons and messages).
_QUOTA_REASONS = frozenset({"rateLimitExceeded", "jobRateLimitExceeded"})
_QUOTA_MESSAGES = (
    "exceeded rate limits",
    "could not serialize access",
    "due to concurrent update",
    "too many dml statements outstanding",
)
# The client's own retries cover the HTTP layer only (connection resets, 5xx); quota errors come back to
# ``Backoff`` at once, so the attempts are bounded in one place.
_TRANSPORT_RETRY = api_retry.Retry(
    predicate=api_retry.if_exception_type(
        ConnectionError,
        api_exceptions.InternalServerError,
        api_exceptions.BadGateway,
        api_exceptions.ServiceUnavailable,
    ),
    deadline=120.0,
)


def is_quota_error(exc: BaseException) -> bool:
    """A rate-limit or concurrent-DML error: transient, worth retrying after a pause."""
    if isinstance(exc, api_exceptions.TooManyRequests):
        return True
    if not isinstance(exc, api_exceptions.GoogleAPICallError):
        return False
    reasons = {error.get("reason") for error in exc.errors or [] if isinstance(error, dict)}
    text = str(exc).lower()
    return bool(reasons & _QUOTA_REASONS) or any(message in text for message in _QUOTA_MESSAGES)


@dataclass(frozen=True)
class Backoff:
    """Bounded exponential backoff with full jitter: attempt n waits U(0, min(cap, first * 2**n))."""

    attempts: int = 6
    first_delay: float = 1.0
    max_delay: float = 32.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    uniform: Callable[[float, float], float] = field(default=random.uniform, repr=False)

    def run(self, work: Callable[[], _Result], what: str) -> _Result:
        for attempt in range(1, self.attempts + 1):
            try:
                return work()
            except api_exceptions.GoogleAPICallError as exc:
                if attempt == self.attempts or not is_quota_error(exc):
                    raise
                delay = self.uniform(0.0, min(self.max_delay, self.first_delay * 2 ** (attempt - 1)))
                log.warning("%s: %s; attempt %d of %d in %.1fs", what, exc, attempt + 1, self.attempts, delay)
                self.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


class BigQueryWarehouse:
    def __init__(
        self, settings: Settings, client: bigquery.Client | None = None, backoff: Backoff | None = None
    ) -> None:
        self._settings = settings
        self._suffix = settings.dataset_suffix
        self._client = client or make_client(settings)
        self._schemas: dict[str, list[bigquery.SchemaField]] = {}
        self._mutex = threading.RLock()
        self._backoff = backoff or Backoff()
        # Jobs per function and kind (reads, writes, bookkeeping): what `make bench` reports per event.
        self.statements = StatementCounts()

    @property
    def client(self) -> bigquery.Client:
        return self._client

    # -- queries --------------------------------------------------------------------------------
    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self.statements.add("read")
        text = to_bigquery(sql, self._suffix)
        job = self._query_job(text, query_parameters(text, params))
        return [dict(row.items()) for row in job.result(job_retry=None)]

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.statements.add("write")
        text = to_bigquery(sql, self._suffix)
        self._query_job(text, query_parameters(text, params))

    def _query_job(self, text: str, parameters: list[Any]) -> bigquery.QueryJob:
        """Run one query job to completion, waiting out quota errors (a failed job is re-issued)."""

        def attempt() -> bigquery.QueryJob:
            config = bigquery.QueryJobConfig(query_parameters=parameters, labels=job_labels())
            job = self._client.query(
                text,
                job_config=config,
                location=self._settings.bigquery_location,
                retry=_TRANSPORT_RETRY,
                job_retry=None,
            )
            job.result(retry=_TRANSPORT_RETRY, job_retry=None)
            return job

        return self._backoff.run(attempt, "BigQuery query")

    # -- cost -----------------------------------------------------------------------------------
    def dry_run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        """Bytes a statement would process (a free dry run: nothing runs, nothing is billed)."""
        text = to_bigquery(sql, self._suffix)
        return self._dry_run(text, query_parameters(text, params))

    def dry_run_keyed_write(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        """Bytes a keyed write's MERGE reads from its target: its keys, in the partitions it prunes to."""
        partition = partition_filter(table, rows, key_columns)
        sql = f"SELECT {', '.join(_quote(k) for k in key_columns)} FROM `{self._table_id(table)}` AS target"
        parameters = []
        if partition is not None:
            sql += f" WHERE target.{_quote(partition.column)} IN UNNEST(@{PARTITION_VALUES})"
            _, type_name, values = describe(PARTITION_VALUES, list(partition.values))
            parameters.append(bigquery.ArrayQueryParameter(PARTITION_VALUES, type_name, values))
        return self._dry_run(sql, parameters)

    def _dry_run(self, text: str, parameters: list[Any]) -> int:
        config = bigquery.QueryJobConfig(
            query_parameters=parameters, dry_run=True, use_query_cache=False, labels=job_labels()
        )

        def attempt() -> int:
            job = self._client.query(
                text, job_config=config, location=self._settings.bigquery_location, retry=_TRANSPORT_RETRY
            )
            return int(job.total_bytes_processed or 0)

        return self._backoff.run(attempt, "BigQuery dry run")

    # -- keyed writes ---------------------------------------------------------------------------
    def replace_rows(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        key_columns: Sequence[str],
        delete_scope: Mapping[str, Any] | None = None,
    ) -> int:
        if not rows:
            return 0
        self._merge_rows(table, rows, key_columns, replace=True, delete_scope=delete_scope)
        return len(rows)

    def insert_missing_rows(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> int:
        if not rows:
            return 0
        return self._merge_rows(table, rows, key_columns, replace=False, delete_scope=None)

    def _merge_rows(
        self,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        key_columns: Sequence[str],
        replace: bool,
        delete_scope: Mapping[str, Any] | None,
    ) -> int:
        """One MERGE of ``rows`` (inline, or after a load into a staging table); returns rows affected.

        Columns a row leaves out become NULL, exactly like delete-then-insert on DuckDB."""
        schema = self._checked_schema(table, rows, key_columns)
        columns = [field.name for field in schema]
        self.statements.add("write", jobs=keyed_write_jobs(len(rows), len(columns)))
        partition = partition_filter(table, rows, key_columns)
        target = self._table_id(table)
        parameters = scope_parameters(delete_scope)
        if is_inline(len(rows), len(columns)):
            parameters.append(inline_rows_parameter(schema, rows))
            statement = merge_statement(
                target, None, columns, key_columns, partition, replace, delete_scope=delete_scope
            )
            return self._merge(statement, partition, parameters)
        with self._staged(table, schema, rows) as staging:
            statement = merge_statement(
                target, staging, columns, key_columns, partition, replace, delete_scope=delete_scope
            )
            return self._merge(statement, partition, parameters)

    def _merge(self, statement: str, partition: PartitionFilter | None, parameters: list[Any]) -> int:
        parameters = list(parameters)
        if partition is not None:
            _, type_name, values = describe(PARTITION_VALUES, list(partition.values))
            parameters.append(bigquery.ArrayQueryParameter(PARTITION_VALUES, type_name, values))
        job = self._query_job(statement, parameters)
        return int(job.num_dml_affected_rows or 0)

    def _checked_schema(
        self, table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
    ) -> list[bigquery.SchemaField]:
        schema = self.schema(table)
        check_keyed_rows(table, rows, key_columns, [field.name for field in schema])
        return schema

    def _staged(
        self, table: str, schema: list[bigquery.SchemaField], rows: Sequence[Mapping[str, Any]]
    ) -> _StagingTable:
        return _StagingTable(self, table, schema, rows)

    def schema(self, table: str) -> list[bigquery.SchemaField]:
        table_id = self._table_id(table)
        with self._mutex:
            if table_id not in self._schemas:
                try:
                    self._schemas[table_id] = list(self._client.get_table(table_id).schema)
                except NotFound as exc:
                    raise KeyError(
                        f"table {table_id} does not exist; is its DDL under schemas/bigquery/?"
                    ) from exc
            return self._schemas[table_id]

    def _table_id(self, table: str) -> str:
        dataset, _, name = table.partition(".")
        if dataset not in DATASETS or not name:
            raise ValueError(f"table must be <dataset>.<table> with a known dataset, not {table!r}")
        return f"{self._settings.project}.{self._settings.dataset(dataset)}.{name}"

    # -- schema ---------------------------------------------------------------------------------
    def ensure_tables(self) -> None:
        """Create the datasets and run every DDL file (emulators and dev projects; Terraform in prod).

        An existing table is left as it is: in production Terraform adds a schema file's new nullable
        columns in place. Not done here because the BigQuery emulator's ``ALTER TABLE ... ADD COLUMN IF NOT
        EXISTS`` changes its storage but not the table's schema that ``get_table`` (and so ``schema()`` and
        keyed writes) reads, and ``update_table`` does the reverse (measured with bqemulator 1.4.0).
        """
        for dataset in DATASETS:
            reference = bigquery.Dataset(f"{self._settings.project}.{self._settings.dataset(dataset)}")
            reference.location = self._settings.bigquery_location
            self._client.create_dataset(reference, exists_ok=True)
        for definition in table_definitions():
            self.execute(definition.ddl)
        with self._mutex:
            self._schemas.clear()

    def release(self) -> None:
        """Nothing to give back: the client's HTTP session is reused across invocations."""

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]


class _StagingTable:
    """Loads rows into a uniquely named table beside the target and drops it afterwards."""

    def __init__(
        self,
        warehouse: BigQueryWarehouse,
        table: str,
        schema: list[bigquery.SchemaField],
        rows: Sequence[Mapping[str, Any]],
    ) -> None:
        self._warehouse = warehouse
        target = warehouse._table_id(table)
        project_dataset, _, name = target.rpartition(".")
        self.table_id = f"{project_dataset}.{STAGING_PREFIX}{name}_{uuid.uuid4().hex[:12]}"
        # Staged columns are all NULLABLE: a missing required value must fail in the MERGE into
        # the real table (one clear error), not half-way through the load.
        self._schema = [bigquery.SchemaField(f.name, f.field_type, mode=_staged_mode(f.mode)) for f in schema]
        self._rows = rows

    def __enter__(self) -> str:
        client = self._warehouse.client
        staging = bigquery.Table(self.table_id, schema=self._schema)
        staging.expires = datetime.now(UTC) + STAGING_TTL
        client.create_table(staging)
        payload = "\n".join(json.dumps(dict(row), default=_json_value) for row in self._rows).encode()
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.NEWLINE_DELIMITED_JSON,
            schema=self._schema,
            write_disposition=bigquery.WriteDisposition.WRITE_APPEND,
            labels=job_labels(),
        )

        def load() -> None:
            # No ``size``: the client then uses a resumable upload for any size (emulators reject the
            # multipart upload it would otherwise pick below 5 MB; real BigQuery accepts both).
            data = io.BytesIO(payload)
            job = client.load_table_from_file(data, self.table_id, job_config=config, rewind=True)
            job.result(retry=_TRANSPORT_RETRY)

        self._warehouse._backoff.run(load, "BigQuery load")
        return self.table_id

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._warehouse.client.delete_table(self.table_id, not_found_ok=True)
        except Exception:  # the table expires on its own; the write's own outcome matters more
            log.warning("could not drop staging table %s", self.table_id, exc_info=True)


def make_client(settings: Settings) -> bigquery.Client:
    if settings.bigquery_emulator_host:
        from google.auth.credentials import AnonymousCredentials

        endpoint = settings.bigquery_emulator_host
        if "://" not in endpoint:
            endpoint = f"http://{endpoint}"
        return bigquery.Client(
            project=settings.project,
            location=settings.bigquery_location,
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options=ClientOptions(api_endpoint=endpoint),
        )
    return bigquery.Client(project=settings.project, location=settings.bigquery_location)


def query_parameters(sql: str, params: Mapping[str, Any] | None) -> list[Any]:
    """Typed parameters for the ``@names`` the SQL uses; a missing one is an error before any job runs."""
    names = parameter_names(sql)
    given = dict(params or {})
    missing = sorted(names - set(given))
    if missing:
        raise KeyError(f"SQL uses @{', @'.join(missing)} but no value was given")
    result: list[Any] = []
    for name in sorted(names):
        kind, type_name, value = describe(name, given[name])
        if kind == "array":
            result.append(bigquery.ArrayQueryParameter(name, type_name, value))
        else:
            result.append(bigquery.ScalarQueryParameter(name, type_name, value))
    return result


def job_labels() -> dict[str, str]:
    """The labels of the work running now (function, step, run id); empty outside a run."""
    labels = current()
    return labels.as_bigquery() if labels else {}


@dataclass(frozen=True)
class PartitionFilter:
    column: str
    values: tuple[Any, ...]


def partition_filter(
    table: str, rows: Sequence[Mapping[str, Any]], key_columns: Sequence[str]
) -> PartitionFilter | None:
    """The target's partition column and the values the staged rows hold in it, when the column is a key.

    Only then can no matching row lie in another partition. A table whose partition value may move under
    one key (a rescheduled game keeps its game_id) is merged unpruned.
    """
    column = partition_columns().get(table)
    if column is None or column not in key_columns:
        return None
    values = {row.get(column) for row in rows}
    if None in values:
        return None
    return PartitionFilter(column, tuple(sorted(values)))


def merge_statement(
    target: str,
    staging: str | None,
    columns: Sequence[str],
    key_columns: Sequence[str],
    partition: PartitionFilter | None,
    replace: bool,
    delete_scope: Mapping[str, Any] | None = None,
) -> str:
    """The one MERGE of a keyed write: replace (update matched, insert the rest) or insert-if-missing.

    ``staging``: the table holding the rows, or None for the rows inline (``@staged_rows``).
    ``delete_scope`` ({column: value or list of values}, a replace only): the target's rows in that scope
    whose key is not among the rows are deleted in the same statement (the rows are the scope's whole set).
    """
    column_list = ", ".join(_quote(c) for c in columns)
    values = ", ".join(f"staged.{_quote(c)}" for c in columns)
    on = _key_match(key_columns)
    if partition is not None:
        on += f" AND target.{_quote(partition.column)} IN UNNEST(@{PARTITION_VALUES})"
    matched = ""
    if replace:
        assignments = ", ".join(f"{_quote(c)} = staged.{_quote(c)}" for c in columns)
        matched = f"WHEN MATCHED THEN UPDATE SET {assignments} "
    if staging is None:
        fields = ", ".join(f"row.{_quote(c)} AS {_quote(c)}" for c in columns)
        source = f"(SELECT {fields} FROM UNNEST(@{INLINE_ROWS}) AS row)"
    else:
        source = f"`{staging}`"
    statement = (
        f"MERGE `{target}` AS target USING {source} AS staged ON {on} "
        f"{matched}WHEN NOT MATCHED THEN INSERT ({column_list}) VALUES ({values})"
    )
    if delete_scope:
        if not replace:
            raise ValueError("a delete scope belongs to a replace, not to an insert of missing rows")
        statement += f" WHEN NOT MATCHED BY SOURCE AND {scope_condition(delete_scope)} THEN DELETE"
    return statement


def scope_condition(scope: Mapping[str, Any]) -> str:
    """``target.column = @scope_column`` (``IN UNNEST`` for a list) for every column of a delete scope."""
    return " AND ".join(
        f"target.{_quote(column)} IN UNNEST(@scope_{column})"
        if isinstance(value, list | tuple)
        else f"target.{_quote(column)} = @scope_{column}"
        for column, value in scope.items()
    )


def scope_parameters(scope: Mapping[str, Any] | None) -> list[Any]:
    result: list[Any] = []
    for column, value in (scope or {}).items():
        kind, type_name, wire = describe(f"scope_{column}", value)
        if kind == "array":
            result.append(bigquery.ArrayQueryParameter(f"scope_{column}", type_name, wire))
        else:
            result.append(bigquery.ScalarQueryParameter(f"scope_{column}", type_name, wire))
    return result


def inline_rows_parameter(
    schema: Sequence[bigquery.SchemaField], rows: Sequence[Mapping[str, Any]]
) -> bigquery.ArrayQueryParameter:
    """The rows as ``@staged_rows``: an ARRAY<STRUCT> whose fields are the table's columns and types."""
    structs = [
        bigquery.StructQueryParameter(
            None,
            *(
                bigquery.ScalarQueryParameter(f.name, f.field_type, _inline_value(row.get(f.name)))
                for f in schema
            ),
        )
        for row in rows
    ]
    return bigquery.ArrayQueryParameter(INLINE_ROWS, "STRUCT", structs)


def _inline_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} in a row; timestamps must be aware UTC")
        return value.astimezone(UTC)
    return value


def _key_match(key_columns: Sequence[str]) -> str:
    # Null-safe, like IS NOT DISTINCT FROM on DuckDB (BigQuery's MERGE has no such operator).
    matches = []
    for key in key_columns:
        column = _quote(key)
        matches.append(
            f"(target.{column} = staged.{column} OR (target.{column} IS NULL AND staged.{column} IS NULL))"
        )
    return " AND ".join(matches)


def _staged_mode(mode: str) -> str:
    return "REPEATED" if mode == "REPEATED" else "NULLABLE"


def _quote(column: str) -> str:
    return f"`{column}`"


def _json_value(value: Any) -> Any:
    """JSON for a load job: timestamps in UTC, dates ISO, NUMERIC as text, BYTES as base64."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} in a row; timestamps must be aware UTC")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot load {type(value).__name__} into BigQuery")
