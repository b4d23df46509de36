# Object writes, derived from local.function_access[*].buckets_write (function_access.tf) and scoped to the
# one bucket named there: only the training function writes, to the models bucket (model files, metadata).
# objectUser rather than objectCreator: a redelivered retrain rewrites the same object names (the bucket
# keeps the earlier version).
locals {
  function_bucket_writes = {
    for pair in flatten([
      for function, access in local.function_access : [
        for bucket in access.buckets_write : { function = function, bucket = bucket }
      ]
    ]) : "${pair.function}/${pair.bucket}" => pair
  }
}

resource "google_storage_bucket_iam_member" "function_writes" {
  for_each = local.function_bucket_writes

  bucket = google_storage_bucket.bucket[each.value.bucket].name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.function[each.value.function].email}"
}
