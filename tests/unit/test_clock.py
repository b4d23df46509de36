"""Game dates are US Eastern, whatever UTC says; daylight saving included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.clock import (
    NaiveTimestampError,
    SettableClock,
    date_range,
    eastern_datetime,
    game_date_of,
    parse_utc,
    today_et,
    yesterday_et,
)


def test_late_tipoff_2230_eastern_is_0330_utc_next_day_but_keeps_its_eastern_date() -> None:
    tipoff = eastern_datetime(date(2026, 1, 14), 22, 30)
    assert tipoff == datetime(2026, 1, 15, 3, 30, tzinfo=UTC)
    assert game_date_of(tipoff) == date(2026, 1, 14)


def test_today_and_yesterday_at_0130_utc_are_still_the_previous_eastern_day() -> None:
    now = datetime(2026, 1, 15, 1, 30, tzinfo=UTC)  # 20:30 ET on the 14th
    assert today_et(now) == date(2026, 1, 14)
    assert yesterday_et(now) == date(2026, 1, 13)


def test_grading_schedule_at_0600_eastern_means_yesterday() -> None:
    now = eastern_datetime(date(2026, 1, 15), 6, 0)
    assert yesterday_et(now) == date(2026, 1, 14)


@pytest.mark.parametrize(
    ("day", "expected_utc_hour"),
    [
        (date(2025, 11, 1), 23),  # EDT, UTC-4
        (date(2025, 11, 3), 0),  # EST, UTC-5: 19:00 ET is 00:00 UTC the next day
        (date(2026, 3, 7), 0),  # EST
        (date(2026, 3, 9), 23),  # EDT again
    ],
)
def test_daylight_saving_changes_move_utc_tipoffs(day: date, expected_utc_hour: int) -> None:
    tipoff = eastern_datetime(day, 19, 0)
    assert tipoff.hour == expected_utc_hour
    assert game_date_of(tipoff) == day


def test_dst_fall_back_night_keeps_late_games_on_their_date() -> None:
    # 2025-11-02 01:30 happens twice in New York; a 22:30 game on Nov 1 is 02:30 UTC Nov 2 (EDT).
    tipoff = eastern_datetime(date(2025, 11, 1), 22, 30)
    assert tipoff == datetime(2025, 11, 2, 2, 30, tzinfo=UTC)
    assert game_date_of(tipoff) == date(2025, 11, 1)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(NaiveTimestampError):
        game_date_of(datetime(2026, 1, 1, 12, 0))
    with pytest.raises(NaiveTimestampError):
        parse_utc("2026-01-01T12:00:00")


def test_parse_utc_accepts_z_and_offsets() -> None:
    assert parse_utc("2026-01-15T03:30:00Z") == datetime(2026, 1, 15, 3, 30, tzinfo=UTC)
    plus_one = parse_utc("2026-01-15T04:30:00+01:00")
    assert plus_one == datetime(2026, 1, 15, 3, 30, tzinfo=UTC)
    assert plus_one.tzinfo == UTC
    other = datetime(2026, 1, 15, 3, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert game_date_of(other) == date(2026, 1, 15)


def test_date_range_is_inclusive_and_refuses_backwards() -> None:
    assert date_range(date(2026, 2, 27), date(2026, 3, 1)) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
    ]
    with pytest.raises(ValueError, match="before it starts"):
        date_range(date(2026, 3, 1), date(2026, 2, 1))


def test_settable_clock_reads_real_time_until_set_and_restores_after() -> None:
    clock = SettableClock()
    before = datetime.now(UTC)
    assert clock() >= before
    morning = datetime(2026, 1, 14, 17, 30, tzinfo=UTC)
    night = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    with clock.set_to(morning):
        assert clock() == morning
        with clock.set_to(night):
            assert clock() == night
        assert clock() == morning
    assert clock() >= before and clock() != morning


def test_settable_clock_refuses_a_naive_instant() -> None:
    with pytest.raises(NaiveTimestampError), SettableClock().set_to(datetime(2026, 1, 14, 12, 30)):
        pass
