"""The topology is consistent: every subscription names a topic and a function, every topic has a contract."""

from __future__ import annotations

from shared.events import EVENT_OF_TOPIC
from shared.handlers import HANDLERS
from shared.topology import (
    FUNCTIONS,
    SCHEDULES,
    SUBSCRIPTIONS,
    TOPICS,
    subscriptions_of_function,
    topics_published_by,
)

REQUIRED_TOPICS = {
    "lines-loaded",
    "boxscores-loaded",
    "features-ready",
    "predictions-ready",
    "grading-complete",
    "alerts",
    "retrain-requested",
    "model-trained",
}


def test_required_topics_exist_and_each_has_one_contract() -> None:
    names = {t.name for t in TOPICS}
    assert REQUIRED_TOPICS <= names
    assert set(EVENT_OF_TOPIC) == names
    assert len(names) == len(TOPICS)


def test_subscriptions_are_unique_and_name_real_topics_and_functions() -> None:
    topic_names = {t.name for t in TOPICS}
    names = [s.name for s in SUBSCRIPTIONS]
    assert len(names) == len(set(names))
    for sub in SUBSCRIPTIONS:
        assert sub.topic in topic_names
        assert sub.function in FUNCTIONS
        assert sub.dead_letter_topic not in topic_names
        assert sub.dead_letter_topic == f"{sub.name}-dead-letter"


def test_the_chain_is_wired_as_the_architecture_says() -> None:
    def triggers(function: str) -> set[str]:
        return {s.topic for s in subscriptions_of_function(function)}

    assert triggers("ingest") == {"raw-objects"}
    assert triggers("feature_store") == {"lines-loaded", "feature-build-requested"}
    assert triggers("prediction") == {"features-ready"}
    assert triggers("grading") == {"boxscores-loaded", "grading-requested"}
    assert triggers("sharpness") == {"grading-complete"}
    assert triggers("diagnostics") == {"grading-complete", "diagnostics-requested"}
    assert triggers("alerts") == {"alerts"}
    assert triggers("training") == {"retrain-requested"}
    assert set(topics_published_by("ingest")) == {"lines-loaded", "boxscores-loaded"}
    assert topics_published_by("feature_store") == ("features-ready",)
    assert topics_published_by("prediction") == ("predictions-ready",)
    assert topics_published_by("grading") == ("grading-complete",)
    assert topics_published_by("diagnostics") == ("alerts",)
    assert topics_published_by("training") == ("model-trained",)


def test_every_function_has_a_handler_and_a_trigger() -> None:
    assert set(HANDLERS) == set(FUNCTIONS)
    for function in FUNCTIONS:
        assert subscriptions_of_function(function), function


def test_schedules_are_us_eastern_and_publish_to_declared_topics() -> None:
    topic_names = {t.name for t in TOPICS}
    for schedule in SCHEDULES:
        assert schedule.time_zone == "America/New_York"
        assert schedule.topic in topic_names
        assert schedule.relative_day in {"today", "yesterday"}
        assert "cloud-scheduler" in next(t for t in TOPICS if t.name == schedule.topic).publishers


def test_retraining_is_scheduled_monthly_in_us_eastern() -> None:
    [monthly] = [s for s in SCHEDULES if s.topic == "retrain-requested"]
    assert monthly.cron.split()[2:] == ["1", "*", "*"]  # day of month 1, every month, any weekday
    assert monthly.time_zone == "America/New_York" and monthly.relative_day == "today"
