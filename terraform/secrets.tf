# Secrets exist here as resources only: no version, no value. Their values are added out of band
# (docs/deploying.md: gcloud secrets versions add), so they never reach a variable, a file or the state.
locals {
  secrets = {
    slack_webhook = {
      secret_id            = "${local.name_prefix}slack-webhook"
      environment_variable = "SLACK_WEBHOOK_URL"
    }
  }
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = each.value.secret_id

  replication {
    auto {}
  }

  depends_on = [google_project_service.api]
}
