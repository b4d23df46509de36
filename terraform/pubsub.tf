# Every topic, trigger subscription, dead-letter topic and archive subscription of shared/topology.py,
# via terraform/generated/topology.json.

resource "google_pubsub_topic" "topic" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys; messages carry event metadata only (dates, counts, object names).
  for_each = local.topology.topics

  project = var.project_id
  name    = "${local.name_prefix}${each.key}"

  labels = {
    role = "event"
  }

  depends_on = [google_project_service.api]
}

# One dead-letter topic per trigger subscription, so a dead-lettered message says which trigger failed.
resource "google_pubsub_topic" "dead_letter" {
  #checkov:skip=CKV_GCP_83:Google-managed encryption keys, as for the event topics.
  for_each = local.topology.subscriptions

  project = var.project_id
  name    = "${local.name_prefix}${each.value.dead_letter_topic}"

  labels = {
    role = "dead-letter"
  }

  depends_on = [google_project_service.api]
}

# The trigger of a function: an explicit push subscription to its service (not an Eventarc trigger),
# so that it carries a dead-letter policy and a function may have several triggers.
resource "google_pubsub_subscription" "trigger" {
  for_each = local.topology.subscriptions

  project = var.project_id
  name    = "${local.name_prefix}${each.key}"
  topic   = google_pubsub_topic.topic[each.value.topic].id

  # Push ack deadline = how long Pub/Sub waits for the HTTP answer; above every function timeout.
  ack_deadline_seconds       = 600
  message_retention_duration = "604800s"

  push_config {
    # The /projects/<p>/topics/<t> path lets functions-framework fill the CloudEvent source. It names
    # the topology's topic (not the environment's Pub/Sub topic): that is what the runtime accepts.
    push_endpoint = "${google_cloudfunctions2_function.function[each.value.function].service_config[0].uri}/projects/${var.project_id}/topics/${each.value.topic}"

    oidc_token {
      service_account_email = google_service_account.push_invoker.email
      audience              = google_cloudfunctions2_function.function[each.value.function].service_config[0].uri
    }
  }

  # Retries: exponential back-off, then the dead-letter topic after PUSH_MAX_DELIVERY_ATTEMPTS. A push
  # refused while every instance is busy counts as an attempt too (docs/deploying.md, "Bursts").
  retry_policy {
    minimum_backoff = "${local.topology.minimum_backoff_seconds}s"
    maximum_backoff = "${local.topology.maximum_backoff_seconds}s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = local.topology.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [
    google_pubsub_topic_iam_member.pubsub_agent_dead_letter,
    google_cloud_run_v2_service_iam_member.push_invoker,
  ]
}

# A pull subscription on each dead-letter topic keeps what was dead-lettered (monitoring.tf alerts on it).
resource "google_pubsub_subscription" "dead_letter_archive" {
  for_each = local.topology.subscriptions

  project = var.project_id
  name    = "${local.name_prefix}${each.value.dead_letter_archive}"
  topic   = google_pubsub_topic.dead_letter[each.key].id

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }
}

# Pub/Sub itself forwards undeliverable messages: its service agent publishes to the dead-letter
# topic and acknowledges on the source subscription, each grant on that one resource.
resource "google_pubsub_topic_iam_member" "pubsub_agent_dead_letter" {
  for_each = local.topology.subscriptions

  project = var.project_id
  topic   = google_pubsub_topic.dead_letter[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_trigger" {
  for_each = local.topology.subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.trigger[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}
