resource "google_storage_bucket" "bucket" {
  #checkov:skip=CKV_GCP_62:Access is recorded by Cloud Audit Logs (data access logs), the supported replacement for legacy usage-log buckets.
  for_each = local.buckets

  project  = var.project_id
  name     = each.value.name
  location = var.storage_location

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # Raw files are evidence, models are reproducible only from their bytes, sources let a deploy be
  # rolled back: keep overwritten objects for a while everywhere.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = each.value.noncurrent_version_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.age_days == null ? [] : [each.value.age_days]
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  depends_on = [google_project_service.api]
}

# Raw files landing in the raw bucket are announced on the topology's storage topic (raw-objects);
# ingest is triggered by its push subscription on that topic.
resource "google_storage_notification" "notification" {
  for_each = local.topology.storage_notifications

  bucket         = google_storage_bucket.bucket[each.value.bucket].name
  topic          = google_pubsub_topic.topic[each.key].id
  payload_format = "JSON_API_V1"
  event_types    = each.value.event_types

  depends_on = [google_pubsub_topic_iam_member.storage_agent_publishes]
}

resource "google_pubsub_topic_iam_member" "storage_agent_publishes" {
  for_each = local.topology.storage_notifications

  project = var.project_id
  topic   = google_pubsub_topic.topic[each.key].name
  role    = "roles/pubsub.publisher"
  member  = local.storage_service_agent
}
