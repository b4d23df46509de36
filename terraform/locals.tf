locals {
  # Generated, never edited by hand: `python -m courtside.terraform_generate` writes both files,
  # from shared/topology.py and from schemas/bigquery/**.sql; tests/infra fails when they are stale.
  topology = jsondecode(file("${path.module}/generated/topology.json"))
  bigquery = jsondecode(file("${path.module}/generated/bigquery_tables.json"))

  datasets = toset(["nba_raw", "nba_predictions", "nba_orchestration"])

  buckets = {
    raw = {
      name                    = "${var.project_id}-courtside-raw"
      noncurrent_version_days = 30
    }
    models = {
      name                    = "${var.project_id}-courtside-models"
      noncurrent_version_days = 365
    }
    function_sources = {
      name                    = "${var.project_id}-courtside-function-sources"
      noncurrent_version_days = 7
    }
  }

  pubsub_service_agent  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  storage_service_agent = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

data "google_project" "this" {
  project_id = var.project_id
}

data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}
