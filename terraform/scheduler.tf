# Every schedule of shared/topology.py (US Eastern), publishing a ScheduledRun to its topic; the game
# date is resolved from the publish time by the function, never carried in the payload.
resource "google_cloud_scheduler_job" "schedule" {
  for_each = local.topology.schedules

  project     = var.project_id
  region      = var.region
  name        = "${local.name_prefix}${each.key}"
  description = each.value.description
  schedule    = each.value.cron
  time_zone   = each.value.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    data       = base64encode(jsonencode(each.value.payload))
    attributes = {
      courtside_topic = each.value.topic
    }
  }

  depends_on = [google_project_service.api]
}
