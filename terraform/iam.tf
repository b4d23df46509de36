# Each function runs as its own service account; every grant below is scoped to one resource and
# derived from local.function_access (function_access.tf). No project-level role except jobUser and
# the builder's logWriter. Account ids follow shared/naming.py (cs-<environment>-<role>, <= 30 chars).

resource "google_service_account" "function" {
  for_each = toset(local.topology.functions)

  project      = var.project_id
  account_id   = "${local.service_account_prefix}${replace(each.key, "_", "-")}"
  display_name = "${local.display_prefix} ${each.key} function"
  description  = "Runtime identity of the ${each.key} Cloud Function; roles from terraform/function_access.tf."

  depends_on = [google_project_service.api]
}

resource "google_bigquery_dataset_iam_member" "function_writes" {
  for_each = local.function_dataset_writes

  project    = var.project_id
  dataset_id = google_bigquery_dataset.dataset[each.value.dataset].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_bigquery_dataset_iam_member" "function_reads" {
  for_each = local.function_dataset_reads

  project    = var.project_id
  dataset_id = google_bigquery_dataset.dataset[each.value.dataset].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# THE ONE PROJECT-LEVEL GRANT (documented exception): running a BigQuery query job needs
# bigquery.jobs.create, which exists only on the project. jobUser grants no data access; what a
# function can read or write is still limited by its dataset-level roles above.
resource "google_project_iam_member" "function_bigquery_jobs" {
  for_each = local.bigquery_functions

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_storage_bucket_iam_member" "function_reads" {
  for_each = local.function_bucket_reads

  bucket = google_storage_bucket.bucket[each.value.bucket].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_pubsub_topic_iam_member" "function_publishes" {
  for_each = local.function_publishes

  project = var.project_id
  topic   = google_pubsub_topic.topic[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

resource "google_secret_manager_secret_iam_member" "function_secrets" {
  for_each = local.function_secrets

  project   = var.project_id
  secret_id = google_secret_manager_secret.secret[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}

# The identity Pub/Sub push subscriptions present (OIDC token) to the functions' Cloud Run services.
resource "google_service_account" "push_invoker" {
  project      = var.project_id
  account_id   = "${local.service_account_prefix}push-invoker"
  display_name = "${local.display_prefix} Pub/Sub push invoker"
  description  = "Signs the OIDC tokens of the trigger push subscriptions; may only invoke the functions."

  depends_on = [google_project_service.api]
}

resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = toset(local.topology.functions)

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}

# Projects created before April 2021 need this for Pub/Sub to mint the invoker's OIDC tokens.
resource "google_service_account_iam_member" "pubsub_agent_mints_invoker_tokens" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# The identity Cloud Build runs as when it builds the functions (build_config.service_account), with
# the documented minimal roles of a custom build account: write build logs, read the source archives,
# push the built images; each scoped to the one bucket or repository except logWriter.
resource "google_service_account" "builder" {
  project      = var.project_id
  account_id   = "${local.service_account_prefix}builder"
  display_name = "${local.display_prefix} function builder"
  description  = "Builds the Cloud Functions: reads their source archives, pushes their images, writes build logs."

  depends_on = [google_project_service.api]
}

# PROJECT-LEVEL GRANT (documented exception): build logs are written with logging.logEntries.create,
# which exists only on the project; logWriter can write log entries and read nothing.
resource "google_project_iam_member" "builder_writes_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_storage_bucket_iam_member" "builder_reads_sources" {
  bucket = google_storage_bucket.bucket["function_sources"].name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}

resource "google_artifact_registry_repository_iam_member" "builder_pushes_images" {
  project    = var.project_id
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.builder.email}"
}
