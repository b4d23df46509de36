# Three alert policies, each telling every notification channel: messages were dead-lettered,
# a function logged an ERROR (shared/logging_setup.py gives every entry its severity), and more runs
# than var.rejected_runs_threshold were rejected within an hour. Each policy opens one incident and
# keeps it open while the condition holds: one incident is one page.
locals {
  dead_letter_archives = sort([
    for subscription in values(local.topology.subscriptions) : "${local.name_prefix}${subscription.dead_letter_archive}"
  ])

  notification_channels = concat(
    [for channel in google_monitoring_notification_channel.email : channel.id],
    var.alert_notification_channels,
  )

  # The functions' Cloud Run services of this environment (2nd gen functions log as Cloud Run revisions).
  function_logs = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name =~ \"^${local.name_prefix}\""
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.alert_emails)

  project      = var.project_id
  display_name = "${local.display_prefix} alerts: ${each.value}"
  type         = "email"

  labels = {
    email_address = each.value
  }

  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project      = var.project_id
  display_name = "${local.display_prefix}: messages were dead-lettered"
  combiner     = "OR"

  conditions {
    display_name = "A dead-letter archive subscription has undelivered messages"

    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id = one_of(${join(", ", formatlist("\"%s\"", local.dead_letter_archives))})"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }

      trigger {
        count = 1
      }
    }
  }

  notification_channels = local.notification_channels

  alert_strategy {
    auto_close = "604800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A Courtside trigger failed ${local.topology.max_delivery_attempts} times and its message was dead-lettered. Read it with `courtside dead-letters list --subscription <subscription>` (COURTSIDE_BACKEND=gcp), look up the run in nba_orchestration${local.dataset_suffix}.pipeline_runs, fix the cause, then `courtside dead-letters replay --subscription <subscription>` re-publishes it to its topic and acknowledges it in the archive (the hourly reconciler re-drives most missing steps by itself)."
  }

  depends_on = [google_project_service.api]
}

# Log-based metrics: counts of the functions' structured log entries (shared/logging_setup.py).
resource "google_logging_metric" "function_errors" {
  project     = var.project_id
  name        = "${local.name_prefix}function-errors"
  description = "Log entries of severity ERROR or above from the Courtside ${var.environment} functions."
  filter      = "${local.function_logs} AND severity >= ERROR"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "function"
      value_type  = "STRING"
      description = "Courtside function (logging.googleapis.com/labels.function)"
    }
  }

  label_extractors = {
    function = "EXTRACT(labels.function)"
  }

  depends_on = [google_project_service.api]
}

resource "google_logging_metric" "rejected_runs" {
  project     = var.project_id
  name        = "${local.name_prefix}rejected-runs"
  description = "Runs the Courtside ${var.environment} functions rejected as permanent (acknowledged, never retried)."
  filter      = "${local.function_logs} AND labels.status = \"rejected\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "function"
      value_type  = "STRING"
      description = "Courtside function (logging.googleapis.com/labels.function)"
    }
  }

  label_extractors = {
    function = "EXTRACT(labels.function)"
  }

  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "function_errors" {
  project      = var.project_id
  display_name = "${local.display_prefix}: a function logged an error"
  combiner     = "OR"

  conditions {
    display_name = "ERROR log entries from any function"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.function_errors.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.function"]
      }

      trigger {
        count = 1
      }
    }
  }

  notification_channels = local.notification_channels

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A Courtside function logged an ERROR: a run failed and Pub/Sub will redeliver it (up to ${local.topology.max_delivery_attempts} attempts, then the dead-letter alert). In Logs Explorer: `${local.function_logs} AND severity >= ERROR`; the entry's labels give the function, game date, run id and execution id, its message the traceback. The run is in nba_orchestration${local.dataset_suffix}.pipeline_runs with status failed."
  }
}

resource "google_monitoring_alert_policy" "rejected_runs" {
  project      = var.project_id
  display_name = "${local.display_prefix}: runs were rejected"
  combiner     = "OR"

  conditions {
    display_name = "More than ${var.rejected_runs_threshold} rejected runs within an hour"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.rejected_runs.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.rejected_runs_threshold
      duration        = "0s"

      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.function"]
      }

      trigger {
        count = 1
      }
    }
  }

  notification_channels = local.notification_channels

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Courtside functions rejected runs as permanent (malformed message, broken contract, refused model): they were acknowledged and will never be retried. `SELECT function_name, game_date, error FROM nba_orchestration${local.dataset_suffix}.pipeline_runs WHERE status = 'rejected' ORDER BY started_at DESC`; fix the producer or the input, then re-publish."
  }
}
