# Anything dead-lettered waits in a "<subscription>-dead-letter-archive" pull subscription: alert as
# soon as one of them holds a message.
locals {
  dead_letter_archives = sort([for subscription in values(local.topology.subscriptions) : subscription.dead_letter_archive])
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project      = var.project_id
  display_name = "Courtside: messages were dead-lettered"
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

  notification_channels = var.alert_notification_channels

  alert_strategy {
    auto_close = "604800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A Courtside trigger failed ${local.topology.max_delivery_attempts} times and its message was dead-lettered. Read it with `courtside dead-letters list --subscription <subscription>` (COURTSIDE_BACKEND=gcp), look up the run in nba_orchestration.pipeline_runs, fix the cause, then `courtside dead-letters replay --subscription <subscription>` re-publishes it to its topic and acknowledges it in the archive (the hourly reconciler re-drives most missing steps by itself)."
  }

  depends_on = [google_project_service.api]
}
