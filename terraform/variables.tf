variable "project_id" {
  description = "Google Cloud project that receives the whole Courtside deployment (e.g. my-courtside-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of the Cloud Functions, their Cloud Run services and the Cloud Scheduler jobs."
  type        = string
  default     = "us-east1"
}

variable "bigquery_location" {
  description = "BigQuery location of the three datasets (multi-region US or EU, or a region)."
  type        = string
  default     = "US"
}

variable "storage_location" {
  description = "Cloud Storage location of the raw, models and function-sources buckets."
  type        = string
  default     = "US"
}

variable "dataset_suffix" {
  description = "Appended to every dataset name (e.g. \"_dev\") to deploy a private copy; must match COURTSIDE_DATASET_SUFFIX."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[A-Za-z0-9_]*$", var.dataset_suffix))
    error_message = "dataset_suffix may contain only letters, digits and underscores."
  }
}

variable "python_runtime" {
  description = "Cloud Functions runtime of every function; the vendored requirements are pinned for Python 3.11."
  type        = string
  default     = "python311"
}

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>) told about dead-lettered messages."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to destroy BigQuery tables (and their data) with terraform destroy or a replacing plan."
  type        = bool
  default     = true
}
