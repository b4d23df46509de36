"""The dashboard's Cloud Run service: its own read-only identity, no anonymous access, the gcp backend."""

from __future__ import annotations

DASHBOARD_SA = "serviceAccount:${google_service_account.dashboard.email}"


def test_dashboard_runs_as_its_own_service_account(terraform):
    service = terraform.resources["google_cloud_run_v2_service.dashboard"]
    template = service.block("template")
    assert template["service_account"] == "${google_service_account.dashboard.email}"
    container = (
        template["containers"][0] if isinstance(template["containers"], list) else template["containers"]
    )
    assert "courtside.dashboard.wsgi:app" in container["args"]
    env = container["env"] if isinstance(container["env"], list) else [container["env"]]
    assert {"name": "COURTSIDE_BACKEND", "value": "gcp"} in env


def test_dashboard_identity_only_reads(terraform):
    grants = {
        address: block
        for address, block in terraform.resources.items()
        if "_iam_" in block.type and block.body.get("member") == DASHBOARD_SA
    }
    assert set(grants) == {
        "google_bigquery_dataset_iam_member.dashboard_reads",
        "google_project_iam_member.dashboard_bigquery_jobs",
    }
    reads = grants["google_bigquery_dataset_iam_member.dashboard_reads"]
    assert reads.get("role") == "roles/bigquery.dataViewer"
    assert reads.get("for_each") == "${local.datasets}"
    jobs = grants["google_project_iam_member.dashboard_bigquery_jobs"]
    assert jobs.get("role") == "roles/bigquery.jobUser"
    text = jobs.file.read_text(encoding="utf-8")
    preceding = text[: text.index('resource "google_project_iam_member" "dashboard_bigquery_jobs"')]
    assert "bigquery.jobs.create" in preceding.rstrip().rsplit("\n\n", 1)[-1]


def test_nobody_is_granted_invoke_on_the_dashboard(terraform):
    invokers = [
        address
        for address, block in terraform.resources.items()
        if block.type.startswith("google_cloud_run_v2_service_iam")
        and "google_cloud_run_v2_service.dashboard" in str(block.body)
    ]
    assert invokers == []
