output "buckets" {
  description = "Bucket names by role (raw, models, function_sources)."
  value       = { for key, bucket in google_storage_bucket.bucket : key => bucket.name }
}

output "datasets" {
  description = "BigQuery dataset ids by base name."
  value       = { for key, dataset in google_bigquery_dataset.dataset : key => dataset.dataset_id }
}

output "function_uris" {
  description = "Cloud Run URI of each function (reachable only by the push invoker, internal ingress)."
  value       = { for key, function in google_cloudfunctions2_function.function : key => function.service_config[0].uri }
}

output "function_service_accounts" {
  description = "Runtime service account of each function."
  value       = { for key, account in google_service_account.function : key => account.email }
}

output "push_invoker_service_account" {
  description = "Service account whose OIDC token the trigger push subscriptions present."
  value       = google_service_account.push_invoker.email
}

output "topics" {
  description = "Pub/Sub topic ids of the topology."
  value       = { for key, topic in google_pubsub_topic.topic : key => topic.id }
}

output "dead_letter_archive_subscriptions" {
  description = "Pull subscriptions holding dead-lettered messages, by trigger subscription."
  value       = { for key, subscription in google_pubsub_subscription.dead_letter_archive : key => subscription.name }
}

output "slack_webhook_secret" {
  description = "Secret Manager secret to add the Slack webhook URL to (gcloud secrets versions add)."
  value       = google_secret_manager_secret.secret["slack_webhook"].secret_id
}

output "environment" {
  description = "Environment for running the courtside CLI against this deployment (COURTSIDE_BACKEND=gcp)."
  value       = { for key, value in local.function_environment : key => value if key != "LOG_EXECUTION_ID" }
}

output "builder_service_account" {
  description = "Service account Cloud Build runs as when it builds the functions."
  value       = google_service_account.builder.email
}

output "warnings" {
  description = "What this deployment cannot do as configured; empty when nothing is wrong."
  value = length(local.notification_channels) > 0 ? [] : [
    "No notification channel: alert_emails and alert_notification_channels are empty, so the dead-letter, error and rejected-run alerts notify nobody.",
  ]
}
