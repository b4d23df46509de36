# Every function of shared/topology.FUNCTIONS: 2nd gen, deployed from its vendored folder
# build/functions/<name>/ (main.py + shared/ + schemas/ + pinned requirements.txt, built by
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
  function_environment = {
    COURTSIDE_BACKEND           = "gcp"
    COURTSIDE_PROJECT           = var.project_id
    COURTSIDE_REGION            = var.region
    COURTSIDE_DATASET_SUFFIX    = var.dataset_suffix
    COURTSIDE_BIGQUERY_LOCATION = var.bigquery_location
    COURTSIDE_RAW_BUCKET        = google_storage_bucket.bucket["raw"].name
    COURTSIDE_MODELS_BUCKET     = google_storage_bucket.bucket["models"].name
    LOG_EXECUTION_ID            = "true"
  }
}

resource "google_cloudfunctions2_function" "function" {
  for_each = toset(local.topology.functions)

  project     = var.project_id
  location    = var.region
  name        = replace(each.key, "_", "-")
  description = "Courtside ${each.key}: triggered by its push subscriptions (shared/topology.py)"

  build_config {
    runtime     = var.python_runtime
    entry_point = each.key

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
  ]
}
