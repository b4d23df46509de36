"""Every topic, subscription (with its dead-letter topic and archive) and schedule of shared/topology.py
exists in the Terraform configuration, and nothing else does."""

from __future__ import annotations

from shared import topology
from shared.events import ScheduledRun
from shared.naming import ResourceNames
from tests.infra.conftest import DEFAULT_VARIABLES

NAMES = ResourceNames(DEFAULT_VARIABLES["project_id"], DEFAULT_VARIABLES["environment"])


def test_generated_topology_lists_exactly_the_topology(terraform):
    generated = terraform.topology
    assert generated["functions"] == list(topology.FUNCTIONS)
    assert set(generated["topics"]) == {t.name for t in topology.TOPICS}
    assert generated["max_delivery_attempts"] == topology.PUSH_MAX_DELIVERY_ATTEMPTS
    assert generated["minimum_backoff_seconds"] == topology.PUSH_MINIMUM_BACKOFF_SECONDS
    assert generated["maximum_backoff_seconds"] == topology.PUSH_MAXIMUM_BACKOFF_SECONDS
    assert {
        name: (s["topic"], s["function"], s["dead_letter_topic"], s["dead_letter_archive"])
        for name, s in generated["subscriptions"].items()
    } == {
        s.name: (s.topic, s.function, s.dead_letter_topic, s.dead_letter_archive)
        for s in topology.SUBSCRIPTIONS
    }
    assert {name: (s["cron"], s["topic"], s["time_zone"]) for name, s in generated["schedules"].items()} == {
        s.name: (s.cron, s.topic, "America/New_York") for s in topology.SCHEDULES
    }


def test_topics_are_the_topology_topics_plus_one_dead_letter_topic_per_subscription(terraform):
    topics = terraform.of_type("google_pubsub_topic")
    assert set(topics) == {"topic", "dead_letter"}
    assert topics["topic"].get("for_each") == "${local.topology.topics}"
    assert topics["dead_letter"].get("for_each") == "${local.topology.subscriptions}"
    event_topics = terraform.instance_names(topics["topic"])
    dead_letter_topics = terraform.instance_names(topics["dead_letter"])
    assert event_topics == {NAMES.topic(t.name) for t in topology.TOPICS}
    assert dead_letter_topics == {NAMES.topic(s.dead_letter_topic) for s in topology.SUBSCRIPTIONS}
    assert not event_topics & dead_letter_topics


def test_each_trigger_is_a_push_subscription_to_its_function_with_a_dead_letter_policy(terraform):
    subscriptions = terraform.of_type("google_pubsub_subscription")
    assert set(subscriptions) == {"trigger", "dead_letter_archive"}
    trigger = subscriptions["trigger"]
    assert trigger.get("for_each") == "${local.topology.subscriptions}"
    assert terraform.instance_names(trigger) == {NAMES.subscription(s.name) for s in topology.SUBSCRIPTIONS}
    assert trigger.get("topic") == "${google_pubsub_topic.topic[each.value.topic].id}"

    function_uri = "google_cloudfunctions2_function.function[each.value.function].service_config[0].uri"
    push = trigger.block("push_config")
    assert push["push_endpoint"].startswith("${" + function_uri + "}")
    assert push["push_endpoint"].endswith("/topics/${each.value.topic}")
    oidc = push["oidc_token"][0]
    assert oidc["service_account_email"] == "${google_service_account.push_invoker.email}"
    assert oidc["audience"] == "${" + function_uri + "}"

    dead_letter = trigger.block("dead_letter_policy")
    assert dead_letter["dead_letter_topic"] == "${google_pubsub_topic.dead_letter[each.key].id}"
    assert dead_letter["max_delivery_attempts"] == "${local.topology.max_delivery_attempts}"
    retry = trigger.block("retry_policy")
    assert retry == {
        "minimum_backoff": "${local.topology.minimum_backoff_seconds}s",
        "maximum_backoff": "${local.topology.maximum_backoff_seconds}s",
    }
    # Pub/Sub waits for the push answer at most ack_deadline_seconds: longer than any function runs.
    timeouts = [sizing["timeout_seconds"] for sizing in terraform.locals["function_sizing"].values()]
    assert trigger.get("ack_deadline_seconds") >= max(timeouts)


def test_every_dead_letter_topic_has_an_archive_pull_subscription(terraform):
    archive = terraform.resources["google_pubsub_subscription.dead_letter_archive"]
    assert archive.get("for_each") == "${local.topology.subscriptions}"
    assert archive.get("topic") == "${google_pubsub_topic.dead_letter[each.key].id}"
    assert "push_config" not in archive.body
    assert terraform.instance_names(archive) == {
        NAMES.subscription(s.dead_letter_archive) for s in topology.SUBSCRIPTIONS
    }


def test_pubsub_service_agent_may_dead_letter_each_trigger(terraform):
    publisher = terraform.resources["google_pubsub_topic_iam_member.pubsub_agent_dead_letter"]
    subscriber = terraform.resources["google_pubsub_subscription_iam_member.pubsub_agent_trigger"]
    for grant in (publisher, subscriber):
        assert grant.get("for_each") == "${local.topology.subscriptions}"
        assert grant.get("member") == "${local.pubsub_service_agent}"
    assert publisher.get("topic") == "${google_pubsub_topic.dead_letter[each.key].name}"
    assert publisher.get("role") == "roles/pubsub.publisher"
    assert subscriber.get("subscription") == "${google_pubsub_subscription.trigger[each.key].name}"
    assert subscriber.get("role") == "roles/pubsub.subscriber"
    # The agent is created (google_project_service_identity) before any grant names it.
    assert (
        terraform.locals["pubsub_service_agent"]
        == "serviceAccount:${google_project_service_identity.pubsub.email}"
    )
    identity = terraform.resources["google_project_service_identity.pubsub"]
    assert identity.get("service") == "pubsub.googleapis.com"
    assert identity.get("provider") in {"google-beta", "${google-beta}"}


def test_raw_bucket_finalize_notifications_go_to_raw_objects(terraform):
    assert terraform.topology["storage_notifications"] == {
        "raw-objects": {"bucket": "raw", "event_types": ["OBJECT_FINALIZE"]}
    }
    notification = terraform.resources["google_storage_notification.notification"]
    assert notification.get("for_each") == "${local.topology.storage_notifications}"
    assert notification.get("bucket") == "${google_storage_bucket.bucket[each.value.bucket].name}"
    assert notification.get("topic") == "${google_pubsub_topic.topic[each.key].id}"
    assert notification.get("event_types") == "${each.value.event_types}"
    grant = terraform.resources["google_pubsub_topic_iam_member.storage_agent_publishes"]
    assert grant.get("topic") == "${google_pubsub_topic.topic[each.key].name}"
    assert grant.get("role") == "roles/pubsub.publisher"
    assert grant.get("member") == "${local.storage_service_agent}"


def test_schedules_publish_a_scheduled_run_in_us_eastern(terraform):
    jobs = terraform.of_type("google_cloud_scheduler_job")
    assert set(jobs) == {"schedule"}
    job = jobs["schedule"]
    assert job.get("for_each") == "${local.topology.schedules}"
    assert terraform.instance_names(job) == {NAMES.schedule(s.name) for s in topology.SCHEDULES}
    assert job.get("schedule") == "${each.value.cron}"
    assert job.get("time_zone") == "${each.value.time_zone}"
    target = job.block("pubsub_target")
    assert target["topic_name"] == "${google_pubsub_topic.topic[each.value.topic].id}"
    assert target["data"] == "${base64encode(jsonencode(each.value.payload))}"
    for schedule in topology.SCHEDULES:
        generated = terraform.topology["schedules"][schedule.name]
        assert generated["time_zone"] == "America/New_York"
        run = ScheduledRun(**generated["payload"])
        assert run == ScheduledRun.model_validate(
            {"schedule": schedule.name, "relative_day": schedule.relative_day}
        )
        assert "cloud-scheduler" in topology.topic(schedule.topic).publishers


def test_dead_letter_backlog_alert_watches_every_archive(terraform):
    policies = terraform.of_type("google_monitoring_alert_policy")
    assert set(policies) == {"dead_letters", "function_errors", "rejected_runs"}
    condition = policies["dead_letters"].block("conditions")["condition_threshold"][0]
    assert "pubsub.googleapis.com/subscription/num_undelivered_messages" in condition["filter"]
    assert "local.dead_letter_archives" in condition["filter"]
    assert condition["comparison"] == "COMPARISON_GT"
    assert condition["threshold_value"] == 0
    assert "subscription.dead_letter_archive" in terraform.locals["dead_letter_archives"]
    assert "local.name_prefix" in terraform.locals["dead_letter_archives"]
    assert policies["dead_letters"].get("notification_channels") == "${local.notification_channels}"
