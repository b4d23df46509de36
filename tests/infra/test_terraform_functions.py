"""Every function of shared/topology.FUNCTIONS is deployed from its vendored folder with its entry
point, runs as its own service account, and that account holds only resource-scoped roles (plus the
one documented project-level exception, roles/bigquery.jobUser)."""

from __future__ import annotations

import re
from pathlib import Path

from shared import topology
from shared.naming import ResourceNames
from shared.settings import DATASETS
from tests.infra.conftest import DEFAULT_VARIABLES

NAMES = ResourceNames(DEFAULT_VARIABLES["project_id"], DEFAULT_VARIABLES["environment"])

REPO_ROOT = Path(__file__).resolve().parents[2]

FUNCTION_SA = re.compile(r"google_service_account\.function\[each\.(value\.function|key)\]\.email")

# resource address -> (for_each local, the function_access field it expands, role, what it is scoped to)
EXPECTED_FUNCTION_GRANTS = {
    "google_bigquery_dataset_iam_member.function_writes": (
        "function_dataset_writes",
        "bigquery_write",
        "roles/bigquery.dataEditor",
        ("dataset_id", "${google_bigquery_dataset.dataset[each.value.dataset].dataset_id}"),
    ),
    "google_bigquery_dataset_iam_member.function_reads": (
        "function_dataset_reads",
        "bigquery_read",
        "roles/bigquery.dataViewer",
        ("dataset_id", "${google_bigquery_dataset.dataset[each.value.dataset].dataset_id}"),
    ),
    "google_storage_bucket_iam_member.function_reads": (
        "function_bucket_reads",
        "buckets_read",
        "roles/storage.objectViewer",
        ("bucket", "${google_storage_bucket.bucket[each.value.bucket].name}"),
    ),
    "google_storage_bucket_iam_member.function_writes": (
        "function_bucket_writes",
        "buckets_write",
        "roles/storage.objectUser",
        ("bucket", "${google_storage_bucket.bucket[each.value.bucket].name}"),
    ),
    "google_pubsub_topic_iam_member.function_publishes": (
        "function_publishes",
        "publishes",
        "roles/pubsub.publisher",
        ("topic", "${google_pubsub_topic.topic[each.value.topic].name}"),
    ),
    "google_secret_manager_secret_iam_member.function_secrets": (
        "function_secrets",
        "secrets",
        "roles/secretmanager.secretAccessor",
        ("secret_id", "${google_secret_manager_secret.secret[each.value.secret].secret_id}"),
    ),
}
PROJECT_EXCEPTION = "google_project_iam_member.function_bigquery_jobs"
BUILDER_PROJECT_EXCEPTION = "google_project_iam_member.builder_writes_logs"


def _has_entry_point(main_py, function: str) -> bool:
    return re.search(rf"^def {function}\(", main_py.read_text(encoding="utf-8"), re.MULTILINE) is not None


def test_each_topology_function_is_deployed_and_nothing_else(terraform):
    functions = terraform.of_type("google_cloudfunctions2_function")
    assert set(functions) == {"function"}
    function = functions["function"]
    assert function.get("for_each") == "${toset(local.topology.functions)}"
    assert terraform.generated(function.get("for_each")) == {f: f for f in topology.FUNCTIONS}
    assert terraform.instance_names(function) == {NAMES.function(f) for f in topology.FUNCTIONS}


def test_each_function_is_built_from_its_vendored_folder_with_its_entry_point(terraform):
    function = terraform.resources["google_cloudfunctions2_function.function"]
    build = function.block("build_config")
    assert build["entry_point"] == "${each.key}"
    assert build["runtime"] == "${var.python_runtime}"
    assert terraform.variables["python_runtime"]["default"] == "python311"
    storage = build["source"][0]["storage_source"][0]
    assert storage["object"] == "${google_storage_bucket_object.function_source[each.key].name}"
    assert storage["bucket"] == '${google_storage_bucket.bucket["function_sources"].name}'

    archive = terraform.data["archive_file.function_source"]
    assert archive.get("for_each") == "${toset(local.topology.functions)}"
    assert archive.get("source_dir") == "${path.module}/../build/functions/${each.key}"
    upload = terraform.resources["google_storage_bucket_object.function_source"]
    assert "data.archive_file.function_source[each.key].output_md5" in upload.get("name")
    assert upload.get("source") == "${data.archive_file.function_source[each.key].output_path}"

    for name in topology.FUNCTIONS:
        # functions/<name>/main.py is what `make vendor` copies into build/functions/<name>/.
        assert _has_entry_point(REPO_ROOT / "functions" / name / "main.py", name)
        built = REPO_ROOT / "build" / "functions" / name
        if built.is_dir():  # present after `make vendor`
            assert _has_entry_point(built / "main.py", name)
            assert (built / "requirements.txt").is_file()
            assert (built / "shared").is_dir()
            assert (built / "schemas").is_dir()
            assert (built / "experiments").is_dir()


def test_each_function_runs_as_its_own_service_account(terraform):
    function = terraform.resources["google_cloudfunctions2_function.function"]
    service = function.block("service_config")
    assert service["service_account_email"] == "${google_service_account.function[each.key].email}"
    assert service["ingress_settings"] == "ALLOW_INTERNAL_ONLY"
    accounts = terraform.resources["google_service_account.function"]
    assert accounts.get("for_each") == "${toset(local.topology.functions)}"
    account_ids = terraform.instance_names(accounts, "account_id")
    assert account_ids == {NAMES.service_account_id(f) for f in topology.FUNCTIONS}
    assert all(6 <= len(account_id) <= 30 for account_id in account_ids)


def test_function_access_is_declared_once_and_matches_the_topology(terraform):
    access = terraform.locals["function_access"]
    assert list(access) == list(topology.FUNCTIONS)
    assert set(terraform.locals["function_sizing"]) == set(topology.FUNCTIONS)
    buckets = set(terraform.locals["buckets"])
    secrets = set(terraform.locals["secrets"])
    for function, needs in access.items():
        assert sorted(needs["publishes"]) == sorted(topology.topics_published_by(function)), function
        assert set(needs["bigquery_read"]) <= set(DATASETS)
        assert set(needs["bigquery_write"]) <= set(DATASETS)
        assert not set(needs["bigquery_read"]) & set(needs["bigquery_write"]), function
        # Every invocation records its run in nba_orchestration.pipeline_runs.
        assert "nba_orchestration" in needs["bigquery_write"], function
        assert set(needs["buckets_read"]) <= buckets - {"function_sources"}
        assert set(needs["buckets_write"]) <= buckets - {"function_sources"}
        assert set(needs["secrets"]) <= secrets
    assert [f for f, needs in access.items() if needs["secrets"]] == ["alerts"]
    assert access["ingest"]["buckets_read"] == ["raw"]
    # Training fits CatBoost: more memory (and so vCPUs) than any other function, one instance at a time.
    sizing = terraform.locals["function_sizing"]
    assert sizing["training"]["memory"] == "4Gi" and sizing["training"]["max_instances"] == 1
    # Only scheduled retraining writes objects, and only model files.
    assert {f: needs["buckets_write"] for f, needs in access.items() if needs["buckets_write"]} == {
        "training": ["models"]
    }


def test_function_grants_are_derived_from_the_access_map_and_resource_scoped(terraform):
    for address, (local_name, field, role, (scope_attribute, scope)) in EXPECTED_FUNCTION_GRANTS.items():
        grant = terraform.resources[address]
        assert grant.get("for_each") == "${local." + local_name + "}", address
        assert grant.get("role") == role, address
        assert grant.get(scope_attribute) == scope, address
        assert grant.get("member") == (
            "serviceAccount:${google_service_account.function[each.value.function].email}"
        ), address
        assert f"access.{field} :" in terraform.locals[local_name], local_name


def test_function_service_accounts_hold_no_other_grant(terraform):
    project_level = {"google_project_iam_member", "google_project_iam_binding", "google_project_iam_policy"}
    function_grants = {
        address
        for address, block in terraform.resources.items()
        if "_iam_" in block.type and FUNCTION_SA.search(str(block.body.get("member", "")))
    }
    assert function_grants == set(EXPECTED_FUNCTION_GRANTS) | {PROJECT_EXCEPTION}
    project_grants = {a for a, block in terraform.resources.items() if block.type in project_level}
    # The dashboard's read-only identity has the same documented jobUser exception (test_terraform_dashboard).
    assert project_grants == {
        PROJECT_EXCEPTION,
        BUILDER_PROJECT_EXCEPTION,
        "google_project_iam_member.dashboard_bigquery_jobs",
    }
    exception = terraform.resources[PROJECT_EXCEPTION]
    assert exception.get("role") == "roles/bigquery.jobUser"
    assert exception.get("for_each") == "${local.bigquery_functions}"
    # The exception is documented right above the resource.
    text = exception.file.read_text(encoding="utf-8")
    preceding = text[: text.index(f'resource "google_project_iam_member" "{exception.name}"')]
    comment = preceding.rstrip().rsplit("\n\n", 1)[-1]
    assert "exception" in comment.lower()
    assert "bigquery.jobs.create" in comment


def test_no_authoritative_iam_anywhere(terraform):
    # *_iam_binding / *_iam_policy would silently remove grants made outside Terraform.
    authoritative = [
        a for a, b in terraform.resources.items() if re.search(r"_iam_(binding|policy)$", b.type)
    ]
    assert authoritative == []


def test_push_invoker_may_only_invoke_the_functions(terraform):
    invoker = terraform.resources["google_cloud_run_v2_service_iam_member.push_invoker"]
    assert invoker.get("for_each") == "${toset(local.topology.functions)}"
    assert invoker.get("role") == "roles/run.invoker"
    service = "${google_cloudfunctions2_function.function[each.key].service_config[0].service}"
    assert invoker.get("name") == service
    assert invoker.get("member") == "serviceAccount:${google_service_account.push_invoker.email}"
    members = {
        address
        for address, block in terraform.resources.items()
        if "google_service_account.push_invoker" in str(block.body.get("member", ""))
    }
    assert members == {"google_cloud_run_v2_service_iam_member.push_invoker"}


def test_slack_webhook_is_a_secret_environment_variable_of_alerts_only(terraform):
    assert terraform.locals["secrets"] == {
        "slack_webhook": {
            "secret_id": "${local.name_prefix}slack-webhook",
            "environment_variable": "SLACK_WEBHOOK_URL",
        }
    }
    secret = terraform.resources["google_secret_manager_secret.secret"]
    rendered = terraform.render(terraform.locals["secrets"]["slack_webhook"]["secret_id"])
    assert secret.get("secret_id") == "${each.value.secret_id}"
    assert rendered == NAMES.secret("slack_webhook")
    service = terraform.resources["google_cloudfunctions2_function.function"].block("service_config")
    dynamic = service["dynamic"][0]["secret_environment_variables"]
    assert dynamic["for_each"] == "${toset(local.function_access[each.key].secrets)}"
    content = dynamic["content"][0]
    assert content["key"] == "${local.secrets[secret_environment_variables.value].environment_variable}"
    assert content["version"] == "latest"
    assert "SLACK_WEBHOOK_URL" not in str(service.get("environment_variables"))
    assert "SLACK_WEBHOOK_URL" not in str(terraform.locals["function_environment"])
