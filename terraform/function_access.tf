# What each function touches, declared once. Every role a function's service account holds is derived
# from this map and scoped to the one dataset, bucket, topic or secret named here (iam.tf; object writes,
# only training's model files: function_writes.tf);
# tests/infra checks `publishes` against shared/topology.py and that no other grant exists.
# Datasets are the base names of settings.DATASETS, buckets the keys of local.buckets, secrets the
# keys of local.secrets. Every function records its run in nba_orchestration.pipeline_runs.
locals {
  function_access = {
    ingest = {
      bigquery_read  = []
      bigquery_write = ["nba_raw", "nba_orchestration"]
      buckets_read   = ["raw"]
      buckets_write  = []
      publishes      = ["lines-loaded", "boxscores-loaded"]
      secrets        = []
    }
    feature_store = {
      bigquery_read  = ["nba_raw"]
      bigquery_write = ["nba_predictions", "nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes      = ["features-ready"]
      secrets        = []
    }
    prediction = {
      bigquery_read  = []
      bigquery_write = ["nba_predictions", "nba_orchestration"]
      buckets_read   = ["models"]
      buckets_write  = []
      publishes      = ["predictions-ready"]
      secrets        = []
    }
    grading = {
      bigquery_read  = ["nba_raw"]
      bigquery_write = ["nba_predictions", "nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes      = ["grading-complete"]
      secrets        = []
    }
    sharpness = {
      bigquery_read  = ["nba_raw"]
      bigquery_write = ["nba_predictions", "nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes      = []
      secrets        = []
    }
    diagnostics = {
      bigquery_read  = ["nba_raw", "nba_predictions"]
      bigquery_write = ["nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes      = ["alerts"]
      secrets        = []
    }
    alerts = {
      bigquery_read  = []
      bigquery_write = ["nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes      = []
      secrets        = ["slack_webhook"]
    }
    training = {
      bigquery_read  = ["nba_raw"]
      bigquery_write = ["nba_predictions", "nba_orchestration"]
      buckets_read   = []
      buckets_write  = ["models"]
      publishes      = ["model-trained"]
      secrets        = []
    }
    reconciler = {
      bigquery_read  = ["nba_raw", "nba_predictions"]
      bigquery_write = ["nba_orchestration"]
      buckets_read   = []
      buckets_write  = []
      publishes = [
        "lines-loaded", "feature-build-requested", "features-ready", "grading-requested", "grading-complete"
      ]
      secrets        = []
    }
  }

  # Memory and limits per function (prediction loads CatBoost models; training fits one: 4Gi brings 2 vCPUs,
  # CatBoost's thread_count, and a season's window trains well within the 540 s the push ack deadline allows).
  # Every instance MERGEs into nba_orchestration.pipeline_runs, and BigQuery runs 2 mutating DML statements
  # per table at once and queues 20 more (beyond that a statement fails): the instances of all functions
  # together (20) stay under those 22 (docs/deploying.md, "Bursts and quotas"; tests/infra checks the sum).
  function_sizing = {
    ingest        = { memory = "512Mi", timeout_seconds = 540, max_instances = 4 }
    feature_store = { memory = "1Gi", timeout_seconds = 540, max_instances = 3 }
    prediction    = { memory = "2Gi", timeout_seconds = 540, max_instances = 3 }
    grading       = { memory = "1Gi", timeout_seconds = 540, max_instances = 3 }
    sharpness     = { memory = "1Gi", timeout_seconds = 540, max_instances = 2 }
    diagnostics   = { memory = "1Gi", timeout_seconds = 540, max_instances = 2 }
    alerts        = { memory = "512Mi", timeout_seconds = 120, max_instances = 1 }
    training      = { memory = "4Gi", timeout_seconds = 540, max_instances = 1 }
    reconciler    = { memory = "512Mi", timeout_seconds = 300, max_instances = 1 }
  }

  # One (function, resource) pair per grant, keyed "function/resource" for for_each.
  function_dataset_writes = {
    for pair in flatten([
      for function, access in local.function_access : [
        for dataset in access.bigquery_write : { function = function, dataset = dataset }
      ]
    ]) : "${pair.function}/${pair.dataset}" => pair
  }
  function_dataset_reads = {
    for pair in flatten([
      for function, access in local.function_access : [
        for dataset in access.bigquery_read : { function = function, dataset = dataset }
      ]
    ]) : "${pair.function}/${pair.dataset}" => pair
  }
  function_bucket_reads = {
    for pair in flatten([
      for function, access in local.function_access : [
        for bucket in access.buckets_read : { function = function, bucket = bucket }
      ]
    ]) : "${pair.function}/${pair.bucket}" => pair
  }
  function_publishes = {
    for pair in flatten([
      for function, access in local.function_access : [
        for topic in access.publishes : { function = function, topic = topic }
      ]
    ]) : "${pair.function}/${pair.topic}" => pair
  }
  function_secrets = {
    for pair in flatten([
      for function, access in local.function_access : [
        for secret in access.secrets : { function = function, secret = secret }
      ]
    ]) : "${pair.function}/${pair.secret}" => pair
  }
  bigquery_functions = toset([
    for function, access in local.function_access : function
    if length(access.bigquery_read) + length(access.bigquery_write) > 0
  ])
}
