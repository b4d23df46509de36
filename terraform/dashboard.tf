# The Courtside dashboard (courtside/dashboard, served by gunicorn) as a Cloud Run service. It only reads:
# its own service account is a data viewer on the three datasets and may run query jobs, nothing else.
# Nobody can reach it anonymously: callers need roles/run.invoker on the service (grant it to the team, or
# put Identity-Aware Proxy in front); `gcloud run services proxy courtside-<environment>-dashboard` opens it locally.

variable "dashboard_image" {
  description = "Container image of the dashboard (built from courtside/dashboard/Dockerfile); empty = <region>-docker.pkg.dev/<project>/courtside/dashboard:latest."
  type        = string
  default     = ""
}

variable "dashboard_max_instances" {
  description = "Upper bound on dashboard Cloud Run instances (each serves several requests at once)."
  type        = number
  default     = 2
}

locals {
  dashboard_image = (
    var.dashboard_image != ""
    ? var.dashboard_image
    : "${var.region}-docker.pkg.dev/${var.project_id}/courtside/dashboard:latest"
  )
}

resource "google_service_account" "dashboard" {
  project      = var.project_id
  account_id   = "${local.service_account_prefix}dashboard"
  display_name = "${local.display_prefix} dashboard (read-only)"
  description  = "Runtime identity of the dashboard Cloud Run service: reads the three datasets, writes nothing."

  depends_on = [google_project_service.api]
}

resource "google_bigquery_dataset_iam_member" "dashboard_reads" {
  for_each = local.datasets

  project    = var.project_id
  dataset_id = google_bigquery_dataset.dataset[each.key].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.dashboard.email}"
}

# The dashboard's project-level exception, as for the functions (iam.tf): its reads are query jobs, and
# bigquery.jobs.create exists only on the project. jobUser grants no data access by itself.
resource "google_project_iam_member" "dashboard_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.dashboard.email}"
}

resource "google_cloud_run_v2_service" "dashboard" {
  project  = var.project_id
  name     = "${local.name_prefix}dashboard"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"

  deletion_protection = false

  template {
    service_account = google_service_account.dashboard.email

    scaling {
      min_instance_count = 0
      max_instance_count = var.dashboard_max_instances
    }

    containers {
      image   = local.dashboard_image
      command = ["gunicorn"]
      args    = ["--bind", "0.0.0.0:8080", "--workers", "1", "--threads", "8", "courtside.dashboard.wsgi:app"]

      ports {
        container_port = 8080
      }

      env {
        name  = "COURTSIDE_BACKEND"
        value = "gcp"
      }
      env {
        name  = "COURTSIDE_PROJECT"
        value = var.project_id
      }
      env {
        name  = "COURTSIDE_ENVIRONMENT"
        value = var.environment
      }
      env {
        name  = "COURTSIDE_BIGQUERY_LOCATION"
        value = var.bigquery_location
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
      }

      startup_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [google_project_service.api]
}

output "dashboard_url" {
  description = "URL of the dashboard Cloud Run service (needs roles/run.invoker; no anonymous access)."
  value       = google_cloud_run_v2_service.dashboard.uri
}

output "dashboard_service_account" {
  description = "Read-only identity of the dashboard (dataViewer on the datasets, BigQuery jobUser)."
  value       = google_service_account.dashboard.email
}
