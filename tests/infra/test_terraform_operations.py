"""What makes a deployment operable: a dedicated build identity with minimal roles, sizing and retries
that survive a burst, alerts that reach someone, and nothing accumulating forever."""

from __future__ import annotations

from shared import topology
from tests.infra.conftest import TerraformConfig

# BigQuery runs at most 2 mutating DML statements (our MERGEs) per table at once and queues 20 more;
# a further one fails. Function instances MERGE (keyed writes) into the same tables (pipeline_runs itself is
# append-only: one INSERT per run).
BIGQUERY_DML_RUNNING_PLUS_QUEUED_PER_TABLE = 2 + 20


def test_functions_are_built_by_a_dedicated_account_with_minimal_scoped_roles(
    terraform: TerraformConfig,
) -> None:
    build = terraform.resources["google_cloudfunctions2_function.function"].block("build_config")
    assert build["service_account"] == "${google_service_account.builder.id}"
    assert build["docker_repository"] == "${google_artifact_registry_repository.functions.id}"
    builder = "serviceAccount:${google_service_account.builder.email}"
    grants = {
        address: (block.get("role"), block.get("bucket") or block.get("repository") or block.get("project"))
        for address, block in terraform.resources.items()
        if "_iam_" in block.type and block.get("member") == builder
    }
    assert grants == {
        "google_project_iam_member.builder_writes_logs": ("roles/logging.logWriter", "${var.project_id}"),
        "google_storage_bucket_iam_member.builder_reads_sources": (
            "roles/storage.objectViewer",
            '${google_storage_bucket.bucket["function_sources"].name}',
        ),
        "google_artifact_registry_repository_iam_member.builder_pushes_images": (
            "roles/artifactregistry.writer",
            "${google_artifact_registry_repository.functions.name}",
        ),
    }
    # The function waits for its build account's roles, or its first build fails.
    depends_on = terraform.resources["google_cloudfunctions2_function.function"].get("depends_on")
    assert {f"${{{address}}}" for address in grants} <= set(depends_on)


def test_max_instances_stay_under_bigquerys_dml_queue_and_one_event_per_instance(
    terraform: TerraformConfig,
) -> None:
    sizing = terraform.locals["function_sizing"]
    assert sum(s["max_instances"] for s in sizing.values()) <= BIGQUERY_DML_RUNNING_PLUS_QUEUED_PER_TABLE
    service = terraform.resources["google_cloudfunctions2_function.function"].block("service_config")
    assert service["max_instance_request_concurrency"] == 1


def test_push_retries_outlast_a_burst(terraform: TerraformConfig) -> None:
    generated = terraform.topology
    attempts = generated["max_delivery_attempts"]
    backoff, waited = generated["minimum_backoff_seconds"], 0
    for _ in range(attempts - 1):  # Pub/Sub roughly doubles the back-off up to the maximum
        waited += backoff
        backoff = min(2 * backoff, generated["maximum_backoff_seconds"])
    # A message is dead-lettered only after more than an hour of refusals, longer than a date's chain.
    assert waited >= 3600
    assert attempts <= 100  # Pub/Sub's maximum
    assert attempts > topology.MAX_DELIVERY_ATTEMPTS


def test_every_alert_policy_notifies_the_channels_and_emails_are_required(terraform: TerraformConfig) -> None:
    assert "default" not in terraform.variables["alert_emails"]
    channels = terraform.locals["notification_channels"]
    assert "google_monitoring_notification_channel.email" in channels
    assert "var.alert_notification_channels" in channels
    for name, policy in terraform.of_type("google_monitoring_alert_policy").items():
        assert policy.get("notification_channels") == "${local.notification_channels}", name
        assert policy.block("documentation")["content"], name
    warnings = terraform.outputs["warnings"]["value"]
    assert "length(local.notification_channels) > 0" in warnings
    assert "notify nobody" in warnings


def test_log_metrics_count_function_errors_and_rejected_runs_from_the_structured_labels(
    terraform: TerraformConfig,
) -> None:
    metrics = terraform.of_type("google_logging_metric")
    assert set(metrics) == {"function_errors", "rejected_runs"}
    function_logs = terraform.locals["function_logs"]
    assert 'resource.type = "cloud_run_revision"' in function_logs
    assert "local.name_prefix" in function_logs  # this environment's functions only
    assert metrics["function_errors"].get("filter") == "${local.function_logs} AND severity >= ERROR"
    # shared/runtime.py labels a rejected run's log entry status=rejected (shared/logging_setup.py).
    assert metrics["rejected_runs"].get("filter") == '${local.function_logs} AND labels.status = "rejected"'
    policies = terraform.of_type("google_monitoring_alert_policy")
    for metric, policy in (("function_errors", "function_errors"), ("rejected_runs", "rejected_runs")):
        condition = policies[policy].block("conditions")["condition_threshold"][0]
        assert f"google_logging_metric.{metric}.name" in condition["filter"]
    rejected = policies["rejected_runs"].block("conditions")["condition_threshold"][0]
    assert rejected["threshold_value"] == "${var.rejected_runs_threshold}"
    errors = policies["function_errors"].block("conditions")["condition_threshold"][0]
    assert errors["threshold_value"] == 0


def test_old_function_source_archives_expire(terraform: TerraformConfig) -> None:
    sources = terraform.locals["buckets"]["function_sources"]
    assert sources["age_days"] == "${var.source_archive_retention_days}"
    assert all(
        bucket["age_days"] is None
        for key, bucket in terraform.locals["buckets"].items()
        if key != "function_sources"
    )
    bucket = terraform.resources["google_storage_bucket.bucket"]
    dynamic = bucket.get("dynamic")[0]["lifecycle_rule"]
    assert dynamic["content"][0]["condition"][0] == {"age": "${lifecycle_rule.value}"}
    assert dynamic["content"][0]["action"][0] == {"type": "Delete"}
    repository = terraform.resources["google_artifact_registry_repository.functions"]
    assert {policy["action"] for policy in repository.get("cleanup_policies")} == {"KEEP", "DELETE"}
