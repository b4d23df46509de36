resource "google_bigquery_dataset" "dataset" {
  #checkov:skip=CKV_GCP_81:Google-managed encryption keys; a customer-managed key would add a KMS key ring this small deployment does not need.
  for_each = local.datasets

  project     = var.project_id
  dataset_id  = "${each.key}${local.dataset_suffix}"
  location    = var.bigquery_location
  description = "${local.display_prefix} ${each.key} (tables from schemas/bigquery/${each.key}/)"

  delete_contents_on_destroy = false

  depends_on = [google_project_service.api]
}

# Every table of schemas/bigquery/<dataset>/<table>.sql, via terraform/generated/bigquery_tables.json.
resource "google_bigquery_table" "table" {
  #checkov:skip=CKV_GCP_80:Google-managed encryption keys, as for the datasets (CKV_GCP_81).
  for_each = local.bigquery.tables

  project     = var.project_id
  dataset_id  = google_bigquery_dataset.dataset[each.value.dataset].dataset_id
  table_id    = each.value.table
  description = each.value.description

  friendly_name            = each.value.friendly_name
  schema                   = jsonencode(each.value.schema)
  clustering               = length(each.value.clustering) > 0 ? each.value.clustering : null
  require_partition_filter = each.value.require_partition_filter
  deletion_protection      = var.deletion_protection

  dynamic "time_partitioning" {
    for_each = each.value.time_partitioning == null ? [] : [each.value.time_partitioning]
    content {
      type          = time_partitioning.value.type
      field         = time_partitioning.value.field
      expiration_ms = time_partitioning.value.expiration_ms
    }
  }
}

# Every view of schemas/bigquery/, created after all tables (a view may read any table).
resource "google_bigquery_table" "view" {
  #checkov:skip=CKV_GCP_80:A view stores no data; its tables use Google-managed keys (CKV_GCP_81).
  for_each = local.bigquery.views

  project     = var.project_id
  dataset_id  = google_bigquery_dataset.dataset[each.value.dataset].dataset_id
  table_id    = each.value.table
  description = each.value.description

  friendly_name = each.value.friendly_name
  # Changing a view's query is an in-place update; protection only stops a destroy or a replacement.
  deletion_protection = var.deletion_protection

  view {
    query          = replace(replace(each.value.query, "__PROJECT__", var.project_id), "__DATASET_SUFFIX__", local.dataset_suffix)
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.table]
}
