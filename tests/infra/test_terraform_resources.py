"""Buckets, datasets, every table and view of schemas/, APIs, variables and outputs; nothing public,
no basic roles, no secret value anywhere in the configuration."""

from __future__ import annotations

import re

from courtside.terraform_generate import GENERATED_DIR
from shared.naming import ResourceNames
from shared.schema_files import table_definitions
from shared.settings import DATASETS
from tests.infra.conftest import DEFAULT_VARIABLES

NAMES = ResourceNames(DEFAULT_VARIABLES["project_id"], DEFAULT_VARIABLES["environment"])


def test_buckets_are_private_uniform_and_versioned(terraform):
    buckets = terraform.of_type("google_storage_bucket")
    assert set(buckets) == {"bucket"}
    bucket = buckets["bucket"]
    assert bucket.get("for_each") == "${local.buckets}"
    assert set(terraform.locals["buckets"]) == {"raw", "models", "function_sources"}
    assert bucket.get("uniform_bucket_level_access") is True
    assert bucket.get("public_access_prevention") == "enforced"
    assert bucket.block("versioning") == {"enabled": True}
    assert bucket.get("force_destroy") is False
    names = {key: terraform.render(value["name"]) for key, value in terraform.locals["buckets"].items()}
    # Settings.from_env derives the same names (shared/naming.py) from the project and environment.
    assert names == {
        "raw": NAMES.bucket("raw"),
        "models": NAMES.bucket("models"),
        "function_sources": NAMES.bucket("sources"),
    }


def test_datasets_are_the_settings_datasets(terraform):
    dataset = terraform.resources["google_bigquery_dataset.dataset"]
    assert dataset.get("for_each") == "${local.datasets}"
    assert terraform.locals["datasets"] == "${toset([" + ", ".join(f'"{d}"' for d in DATASETS) + "])}"
    assert dataset.get("dataset_id") == "${each.key}${local.dataset_suffix}"
    rendered = {terraform.render(dataset.get("dataset_id"), key=d) for d in DATASETS}
    assert rendered == {NAMES.dataset(d) for d in DATASETS}
    assert "access" not in dataset.body  # dataset access is granted by scoped IAM members only


def test_every_table_and_view_under_schemas_is_created(terraform):
    definitions = table_definitions()
    tables = {d.qualified_name for d in definitions if not d.is_view}
    views = {d.qualified_name for d in definitions if d.is_view}
    assert set(terraform.bigquery["tables"]) == tables
    assert set(terraform.bigquery["views"]) == views
    assert {t["dataset"] for t in terraform.bigquery["tables"].values()} <= set(DATASETS)

    resources = terraform.of_type("google_bigquery_table")
    assert set(resources) == {"table", "view"}
    table, view = resources["table"], resources["view"]
    assert table.get("for_each") == "${local.bigquery.tables}"
    assert view.get("for_each") == "${local.bigquery.views}"
    assert terraform.instance_names(table, "table_id") == {name.split(".")[1] for name in tables}
    assert terraform.instance_names(view, "table_id") == {name.split(".")[1] for name in views}
    assert table.get("schema") == "${jsonencode(each.value.schema)}"
    assert table.get("dataset_id") == "${google_bigquery_dataset.dataset[each.value.dataset].dataset_id}"
    assert view.block("view")["use_legacy_sql"] is False
    query = view.block("view")["query"]
    assert "__PROJECT__" in query
    assert "__DATASET_SUFFIX__" in query
    assert view.get("depends_on") == ["${google_bigquery_table.table}"]


def test_required_apis_are_enabled(terraform):
    api = terraform.resources["google_project_service.api"]
    for needed in (
        "cloudfunctions.googleapis.com",
        "run.googleapis.com",
        "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com",
        "pubsub.googleapis.com",
        "bigquery.googleapis.com",
        "storage.googleapis.com",
        "cloudscheduler.googleapis.com",
        "secretmanager.googleapis.com",
        "monitoring.googleapis.com",
        "iam.googleapis.com",
    ):
        assert f'"{needed}"' in api.get("for_each"), needed
    assert api.get("disable_on_destroy") is False


def test_variables_have_descriptions_and_only_project_environment_and_alert_emails_are_required(terraform):
    assert terraform.variables, "no variables"
    for name, variable in terraform.variables.items():
        assert variable.get("description"), f"variable {name} has no description"
    required = {name for name, variable in terraform.variables.items() if "default" not in variable}
    # alert_emails may be an explicit [] (the warnings output then says nobody is notified).
    assert required == {"project_id", "environment", "alert_emails"}
    for name, output in terraform.outputs.items():
        assert output.get("description"), f"output {name} has no description"


def _all_text(terraform) -> str:
    files = [*terraform.texts.values()]
    files += [path.read_text(encoding="utf-8") for path in sorted(GENERATED_DIR.glob("*.json"))]
    files += [path.read_text(encoding="utf-8") for path in sorted(GENERATED_DIR.parent.glob("*.example"))]
    return "\n".join(files)


def test_nothing_is_public(terraform):
    text = _all_text(terraform)
    assert "allUsers" not in text
    assert "allAuthenticatedUsers" not in text


def test_no_basic_roles(terraform):
    assert re.search(r"roles/(owner|editor|viewer)\b", _all_text(terraform)) is None
    for address, block in terraform.resources.items():
        role = block.body.get("role")
        if role is not None:
            assert role.startswith("roles/"), address
            assert role.split("/")[1] not in ("owner", "editor", "viewer"), address


def test_no_secret_value_in_terraform(terraform):
    # The secret exists as a resource; its value is added with gcloud and never enters the state.
    assert not terraform.of_type("google_secret_manager_secret_version")
    for name, variable in terraform.variables.items():
        looks_secret = re.search(r"secret|webhook|token|password|key", name)
        assert not looks_secret, f"variable {name} looks like a secret"
        assert variable.get("sensitive") is not True
    assert re.search(r"hooks\.slack\.com", _all_text(terraform)) is None


def test_every_checkov_skip_carries_a_reason(terraform):
    skips = re.findall(r"#\s*checkov:skip=([^\n]*)", "\n".join(terraform.texts.values()))
    assert skips, "expected the documented skips (CMEK, bucket access logs)"
    for skip in skips:
        match = re.fullmatch(r"(CKV2?_[A-Z]+_\d+):(.{20,})", skip.strip())
        assert match, f"checkov skip without an ID and a reason: {skip!r}"
