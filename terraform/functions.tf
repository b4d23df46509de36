# Every function of shared/topology.FUNCTIONS: 2nd gen, deployed from its vendored folder
# build/functions/<name>/ (main.py + shared/ + schemas/ + experiments/ + pinned requirements.txt, built by
# `make vendor`), entry point = the function name. Triggers are the push subscriptions of pubsub.tf.

data "archive_file" "function_source" {
  for_each = toset(local.topology.functions)

  type        = "zip"
  source_dir  = "${path.module}/../build/functions/${each.key}"
  output_path = "${path.module}/.terraform/function-sources/${each.key}.zip"
  excludes    = ["**/__pycache__/**", "**/*.pyc"]
}

resource "google_storage_bucket_object" "function_source" {
  for_each = toset(local.topology.functions)

  # Named by content hash: a rebuilt folder is a new object, which redeploys the function.
  name   = "${each.key}/${data.archive_file.function_source[each.key].output_md5}.zip"
  bucket = google_storage_bucket.bucket["function_sources"].name
  source = data.archive_file.function_source[each.key].output_path
}

locals {
  # Dataset, bucket and topic names are derived at run time from COURTSIDE_ENVIRONMENT by
  # shared/naming.py, by the same rules as locals.tf.
  function_environment = {
    COURTSIDE_BACKEND           = "gcp"
    COURTSIDE_PROJECT           = var.project_id
    COURTSIDE_REGION            = var.region
    COURTSIDE_ENVIRONMENT       = var.environment
    COURTSIDE_BIGQUERY_LOCATION = var.bigquery_location
    LOG_EXECUTION_ID            = "true"
  }
}

# Where Cloud Build pushes the functions' images: our own repository (rather than the gcf-artifacts
# one Cloud Functions creates on first deploy), so the build account's writer role is scoped to it
# and old images are cleaned up.
resource "google_artifact_registry_repository" "functions" {
  #checkov:skip=CKV_GCP_84:Google-managed encryption keys; the images hold only the vendored, public source.
  project       = var.project_id
  location      = var.region
  repository_id = "${local.name_prefix}functions"
  format        = "DOCKER"
  description   = "${local.display_prefix}: images of the Cloud Functions, built by the builder account"

  cleanup_policy_dry_run = false

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }

  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "${var.source_archive_retention_days * 86400}s"
    }
  }

  depends_on = [google_project_service.api]
}

resource "google_cloudfunctions2_function" "function" {
  for_each = toset(local.topology.functions)

  project     = var.project_id
  location    = var.region
  name        = "${local.name_prefix}${replace(each.key, "_", "-")}"
  description = "${local.display_prefix} ${each.key}: triggered by its push subscriptions (shared/topology.py)"

  build_config {
    runtime     = var.python_runtime
    entry_point = each.key
    # A dedicated build identity: new projects would otherwise build with the default Compute
    # account, which organisations often strip of the build roles (iam.tf, builder).
    service_account   = google_service_account.builder.id
    docker_repository = google_artifact_registry_repository.functions.id

    source {
      storage_source {
        bucket = google_storage_bucket.bucket["function_sources"].name
        object = google_storage_bucket_object.function_source[each.key].name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.function[each.key].email
    available_memory                 = local.function_sizing[each.key].memory
    timeout_seconds                  = local.function_sizing[each.key].timeout_seconds
    max_instance_count               = local.function_sizing[each.key].max_instances
    min_instance_count               = 0
    # One event at a time per instance: an instance runs its BigQuery MERGEs one after another, so
    # max instances bound the concurrent DML (docs/deploying.md, "Bursts and quotas").
    max_instance_request_concurrency = 1
    # Pub/Sub push from this project counts as internal traffic; nothing else may reach the functions.
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables          = local.function_environment

    dynamic "secret_environment_variables" {
      for_each = toset(local.function_access[each.key].secrets)
      content {
        key        = local.secrets[secret_environment_variables.value].environment_variable
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  # A function must be able to read its secret the moment its first revision starts.
  depends_on = [
    google_project_service.api,
    google_secret_manager_secret_iam_member.function_secrets,
    google_project_iam_member.builder_writes_logs,
    google_artifact_registry_repository_iam_member.builder_pushes_images,
    google_storage_bucket_iam_member.builder_reads_sources,
  ]
}
