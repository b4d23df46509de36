locals {
  # Generated, never edited by hand: `python -m courtside.terraform_generate` writes both files,
  # from shared/topology.py and from schemas/bigquery/**.sql; tests/infra fails when they are stale.
  topology = jsondecode(file("${path.module}/generated/topology.json"))
  bigquery = jsondecode(file("${path.module}/generated/bigquery_tables.json"))

  datasets = toset(["nba_raw", "nba_predictions", "nba_orchestration"])

  # Every resource name carries var.environment, by the rules of shared/naming.py (tests/infra renders
  # both for two environments and checks they agree and never clash).
  name_prefix            = "courtside-${var.environment}-"     # topics, subscriptions, functions, schedules, secret, metrics
  service_account_prefix = "cs-${var.environment}-"            # account ids are limited to 30 characters
  bucket_prefix          = "${var.project_id}-courtside-${var.environment}-" # bucket names are global
  dataset_suffix         = "_${var.environment}"               # nba_raw_<environment>, ...
  display_prefix         = "Courtside ${var.environment}"      # alert policies, notification channels

  buckets = {
    raw = {
      name                    = "${local.bucket_prefix}raw"
      noncurrent_version_days = 30
      age_days                = null
    }
    models = {
      name                    = "${local.bucket_prefix}models"
      noncurrent_version_days = 365
      age_days                = null
    }
    # Archives are named by content hash, so an old one is never "noncurrent": delete it by age. The
    # deployed function does not need it (Cloud Functions keeps its own copy of the built source).
    function_sources = {
      name                    = "${local.bucket_prefix}sources"
      noncurrent_version_days = 7
      age_days                = var.source_archive_retention_days
    }
  }

  pubsub_service_agent  = "serviceAccount:${google_project_service_identity.pubsub.email}"
  storage_service_agent = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}

# The Pub/Sub service agent (dead-lettering, OIDC tokens for push) exists only once the API has been
# used in a new project: create it before any grant names it. The resource is google-beta only.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project = var.project_id
  service = "pubsub.googleapis.com"

  depends_on = [google_project_service.api]
}
