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

variable "environment" {
  description = "Names this copy of Courtside (e.g. prod, dev): it prefixes every resource, so environments share a project without a clash (shared/naming.py)."
  type        = string

  validation {
    # 12 characters at most: service account ids (cs-<environment>-feature-store) are limited to 30.
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "environment must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "python_runtime" {
  description = "Cloud Functions runtime of every function; the vendored requirements are pinned for Python 3.11."
  type        = string
  default     = "python311"
}

variable "alert_emails" {
  description = "Email addresses told about every alert (dead letters, failures, rejected runs). Required: an explicit [] deploys alerts that notify nobody, and the warnings output says so."
  type        = list(string)

  validation {
    condition     = alltrue([for email in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "alert_emails must be email addresses."
  }
}

variable "alert_notification_channels" {
  description = "Further Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<id>), e.g. PagerDuty or Slack, told about every alert."
  type        = list(string)
  default     = []
}

variable "rejected_runs_threshold" {
  description = "Alert when more function runs than this are rejected (acknowledged without retry) within one hour."
  type        = number
  default     = 3
}

variable "source_archive_retention_days" {
  description = "Days a function source archive is kept in the sources bucket (deployed functions keep their own copy of the built source)."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Refuse to destroy BigQuery tables (and their data) with terraform destroy or a replacing plan."
  type        = bool
  default     = true
}
