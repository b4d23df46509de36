"""Two environments deploy into one project without a single name clash, and the code finds at run
time exactly the names Terraform creates (both follow shared/naming.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared import topology
from shared.naming import ResourceNames
from shared.settings import DATASETS, Settings, SettingsError
from tests.infra.conftest import Block, TerraformConfig

PROJECT = "shared-courtside-project"
ENVIRONMENTS = ("prod", "dev")
ALERT_EMAILS = ["oncall@example.com", "data@example.com"]

# The attribute that names each resource type within the project (or globally, for buckets).
NAME_ATTRIBUTE = {
    "google_artifact_registry_repository": "repository_id",
    "google_bigquery_dataset": "dataset_id",
    "google_cloud_run_v2_service": "name",  # the dashboard
    "google_cloud_scheduler_job": "name",
    "google_cloudfunctions2_function": "name",
    "google_logging_metric": "name",
    "google_monitoring_alert_policy": "display_name",
    "google_monitoring_notification_channel": "display_name",
    "google_pubsub_subscription": "name",
    "google_pubsub_topic": "name",
    "google_secret_manager_secret": "secret_id",
    "google_service_account": "account_id",
    "google_storage_bucket": "name",
}
# Resource types named inside a parent that is itself environment-named, or not named at all.
NAMED_BY_PARENT = {
    "google_bigquery_table",  # inside a dataset
    "google_storage_bucket_object",  # inside the sources bucket
    "google_storage_notification",  # on the raw bucket
    "google_project_service",  # an API: shared by every environment on purpose
    "google_project_service_identity",  # the project's one Pub/Sub service agent, shared on purpose
}


def is_grant(block: Block) -> bool:
    return "_iam_" in block.type


def instances(terraform: TerraformConfig, block: Block, variables: dict[str, Any]) -> dict[str, Any]:
    for_each = block.get("for_each")
    if for_each is None:
        return {"": None}
    if for_each in ("${local.buckets}", "${local.secrets}"):
        return dict(terraform.locals[for_each.removeprefix("${local.").removesuffix("}")])
    if for_each == "${local.datasets}":
        return {dataset: dataset for dataset in DATASETS}
    if for_each == "${toset(var.alert_emails)}":
        return {email: email for email in variables["alert_emails"]}
    return terraform.generated(for_each)


def rendered_names(terraform: TerraformConfig, environment: str) -> set[tuple[str, str]]:
    variables: dict[str, Any] = {"project_id": PROJECT, "environment": environment}
    names = set()
    for block in terraform.resources.values():
        if is_grant(block) or block.type in NAMED_BY_PARENT:
            continue
        assert block.type in NAME_ATTRIBUTE, f"{block.address}: which attribute names it? (add it here)"
        attribute = NAME_ATTRIBUTE[block.type]
        for key, value in instances(terraform, block, {**variables, "alert_emails": ALERT_EMAILS}).items():
            template = block.get(attribute)
            if template == "${each.value.name}":  # buckets: the name lives in local.buckets
                template = value["name"]
            if template == "${each.value.secret_id}":
                template = value["secret_id"]
            names.add((block.type, terraform.render(template, variables, key, value)))
    return names


def test_two_environments_in_one_project_share_no_resource_name(terraform: TerraformConfig) -> None:
    prod, dev = (rendered_names(terraform, environment) for environment in ENVIRONMENTS)
    expected = (
        len(topology.TOPICS)
        + 3 * len(topology.SUBSCRIPTIONS)  # topics, dead-letter topics, subscriptions
        + 2 * len(topology.FUNCTIONS)
        + 2  # functions, their accounts, the push invoker and the builder
        + len(DATASETS)
        + 3
        + 1
        + len(topology.SCHEDULES)  # datasets, buckets, the secret, schedules
        + 3
        + 2
        + len(ALERT_EMAILS)
        + 1  # alert policies, log metrics, email channels, image repository
        + 2  # the dashboard's Cloud Run service and its service account
    )
    assert len(prod) == len(dev) == expected
    assert prod & dev == set()
    for environment, names in zip(ENVIRONMENTS, (prod, dev), strict=True):
        for resource_type, name in names:
            assert environment in name.lower(), (resource_type, name)


def test_terraform_names_are_the_names_the_code_uses(terraform: TerraformConfig) -> None:
    for environment in ENVIRONMENTS:
        names = ResourceNames(PROJECT, environment)
        rendered = rendered_names(terraform, environment)

        def of(resource_type: str, rendered: set[tuple[str, str]] = rendered) -> set[str]:
            return {name for kind, name in rendered if kind == resource_type}

        assert of("google_pubsub_topic") == {names.topic(t.name) for t in topology.TOPICS} | {
            names.topic(s.dead_letter_topic) for s in topology.SUBSCRIPTIONS
        }
        assert of("google_pubsub_subscription") == {
            names.subscription(s.name) for s in topology.SUBSCRIPTIONS
        } | {names.subscription(s.dead_letter_archive) for s in topology.SUBSCRIPTIONS}
        assert of("google_bigquery_dataset") == {names.dataset(d) for d in DATASETS}
        assert of("google_storage_bucket") == {names.bucket(role) for role in ("raw", "models", "sources")}
        assert of("google_cloudfunctions2_function") == {names.function(f) for f in topology.FUNCTIONS}
        assert of("google_cloud_scheduler_job") == {names.schedule(s.name) for s in topology.SCHEDULES}
        assert of("google_secret_manager_secret") == {names.secret("slack_webhook")}
        accounts = {
            names.service_account_id(role)
            for role in (*topology.FUNCTIONS, "push-invoker", "builder", "dashboard")
        }
        assert of("google_service_account") == accounts

        # What a function of this environment reads from its environment variables.
        settings = Settings.from_env(
            {"COURTSIDE_BACKEND": "gcp", "COURTSIDE_PROJECT": PROJECT, "COURTSIDE_ENVIRONMENT": environment}
        )
        assert settings.raw_bucket == names.bucket("raw")
        assert settings.models_bucket == names.bucket("models")
        assert {settings.dataset(d) for d in DATASETS} == of("google_bigquery_dataset")


def test_the_longest_environment_name_fits_every_name_limit(terraform: TerraformConfig) -> None:
    longest_project = "a" * 30  # project ids are at most 30 characters
    longest_environment = "e" * 12
    names = ResourceNames(longest_project, longest_environment)
    roles = (*topology.FUNCTIONS, "push-invoker", "builder")
    for role in roles:
        account_id = names.service_account_id(role)
        assert 6 <= len(account_id) <= 30, account_id
    for role in ("raw", "models", "sources"):
        assert len(names.bucket(role)) <= 63, names.bucket(role)
    for function in topology.FUNCTIONS:
        assert len(names.function(function)) <= 63
    # Terraform renders the same account ids, and refuses a longer environment name.
    accounts = terraform.resources["google_service_account.function"]
    rendered = terraform.instance_names(accounts, "account_id", {"environment": longest_environment})
    assert rendered == {names.service_account_id(f) for f in topology.FUNCTIONS}
    validation = terraform.variables["environment"]["validation"][0]
    assert "{1,11}" in validation["condition"]
    with pytest.raises(SettingsError):
        Settings.from_env({"COURTSIDE_ENVIRONMENT": "e" * 13})


def test_without_an_environment_the_local_names_are_unchanged() -> None:
    settings = Settings.from_env({})
    assert settings.environment == ""
    assert settings.dataset("nba_raw") == "nba_raw"
    assert settings.raw_bucket == "courtside-local-courtside-raw"
    assert settings.names.topic("raw-objects") == "raw-objects"
    assert settings.names.subscription("ingest-on-raw-objects") == "ingest-on-raw-objects"


def test_the_dataset_suffix_setting_was_replaced_by_the_environment() -> None:
    with pytest.raises(SettingsError, match="COURTSIDE_ENVIRONMENT"):
        Settings.from_env({"COURTSIDE_DATASET_SUFFIX": "_dev"})
