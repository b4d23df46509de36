"""Unit tests of the one line policy (shared.domain.line_policy)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.domain.line_policy import (
    DEFAULT_BOOKMAKER_PRIORITY,
    NO_LINE,
    KeyedLineSnapshot,
    LineSnapshot,
    LineSource,
    bookmaker_rank,
    is_valid_line_value,
    select_line,
    select_lines,
)

TIP = datetime(2025, 1, 15, 0, 30, tzinfo=UTC)  # 19:30 US Eastern on 2025-01-14


def snap(
    book: str, line: float, minutes_before_tip: float, over: int = -110, under: int = -110
) -> LineSnapshot:
    return LineSnapshot(
        bookmaker=book,
        line=line,
        over_price=over,
        under_price=under,
        snapshot_at=TIP - timedelta(minutes=minutes_before_tip),
    )


def keyed(game: str, player: str, book: str, line: float, minutes_before_tip: float) -> KeyedLineSnapshot:
    return KeyedLineSnapshot(
        game_id=game,
        player_id=player,
        bookmaker=book,
        line=line,
        over_price=-110,
        under_price=-110,
        snapshot_at=TIP - timedelta(minutes=minutes_before_tip),
    )


# --- is_valid_line_value -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 13, 13.0, 13.5, 27.5, 13.5 + 1e-12, 45.0])
def test_whole_and_half_lines_are_valid(value: float) -> None:
    assert is_valid_line_value(value) is True


@pytest.mark.parametrize(
    "value", [13.847, 13.25, 13.75, 13.1, -0.5, -1.0, math.nan, math.inf, -math.inf, None, "13.5", True]
)
def test_averaged_negative_non_finite_and_non_numbers_are_invalid(value: object) -> None:
    assert is_valid_line_value(value) is False


# --- bookmaker priority --------------------------------------------------------------------------


def test_bookmaker_rank_orders_listed_books_then_others_alphabetically() -> None:
    books = ["Unibet", "Caesars", "betrivers", "FanDuel", "BetMGM", "DraftKings", "Bovada"]
    ordered = sorted(books, key=bookmaker_rank)
    assert ordered == ["DraftKings", "FanDuel", "BetMGM", "Caesars", "betrivers", "Bovada", "Unibet"]


def test_bookmaker_rank_is_case_insensitive() -> None:
    assert bookmaker_rank("draftkings") == bookmaker_rank("DraftKings") == (0, "")
    assert bookmaker_rank("PointsBet") == (4, "pointsbet")


def test_priority_order_picks_highest_priority_book_even_if_older() -> None:
    snapshots = [
        snap("FanDuel", 21.5, 10),
        snap("DraftKings", 20.5, 120),
        snap("BetMGM", 22.5, 5),
    ]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert selected.bookmaker == "DraftKings"
    assert selected.line == 20.5
    assert selected.minutes_before_tip == 120.0


def test_falls_back_to_next_priority_book() -> None:
    snapshots = [snap("Caesars", 19.5, 30), snap("BetMGM", 18.5, 60), snap("Bovada", 17.5, 5)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert (selected.bookmaker, selected.line) == ("BetMGM", 18.5)


def test_unlisted_books_are_chosen_alphabetically() -> None:
    snapshots = [snap("Unibet", 19.5, 30), snap("Bovada", 18.5, 60)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert (selected.bookmaker, selected.line) == ("Bovada", 18.5)


def test_custom_priority_is_respected() -> None:
    snapshots = [snap("DraftKings", 19.5, 30), snap("FanDuel", 18.5, 60)]
    selected = select_line(snapshots, TIP, as_of=TIP, priority=("FanDuel", "DraftKings"))
    assert (selected.bookmaker, selected.line) == ("FanDuel", 18.5)


def test_default_priority_value() -> None:
    assert DEFAULT_BOOKMAKER_PRIORITY == ("DraftKings", "FanDuel", "BetMGM", "Caesars")


# --- latest pre-tip, in-game, as_of --------------------------------------------------------------


def test_latest_pre_tip_snapshot_of_the_book_is_the_line() -> None:
    snapshots = [
        snap("DraftKings", 20.5, 600, over=-115, under=-105),
        snap("DraftKings", 22.0, 15, over=-120, under=100),
        snap("DraftKings", 21.5, 240),
    ]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert selected.line_source is LineSource.ACTUAL_PROP
    assert selected.line == 22.0
    assert selected.snapshot_at == TIP - timedelta(minutes=15)
    assert selected.minutes_before_tip == 15.0
    assert (selected.over_price, selected.under_price) == (-120, 100)


def test_in_game_snapshots_are_refused() -> None:
    snapshots = [
        snap("DraftKings", 20.5, 30),
        snap("DraftKings", 30.5, 0),  # exactly at tip-off: in-game
        snap("DraftKings", 35.5, -20),  # after tip-off
    ]
    selected = select_line(snapshots, TIP, as_of=TIP + timedelta(hours=3))
    assert selected.line == 20.5


def test_book_with_only_in_game_lines_does_not_win_priority() -> None:
    snapshots = [snap("DraftKings", 30.5, -5), snap("FanDuel", 20.5, 30)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert (selected.bookmaker, selected.line) == ("FanDuel", 20.5)


def test_as_of_excludes_later_snapshots_and_is_inclusive() -> None:
    snapshots = [
        snap("DraftKings", 20.5, 300),
        snap("DraftKings", 21.5, 120),  # exactly at as_of: included
        snap("DraftKings", 23.5, 60),  # after as_of: excluded
    ]
    selected = select_line(snapshots, TIP, as_of=TIP - timedelta(minutes=120))
    assert selected.line == 21.5
    assert selected.minutes_before_tip == 120.0


def test_as_of_can_move_the_pick_to_another_book() -> None:
    # DraftKings posts only after the decision time: the decision uses FanDuel, grading (as_of=tip) DK.
    snapshots = [snap("FanDuel", 19.5, 300), snap("DraftKings", 21.5, 60)]
    at_decision = select_line(snapshots, TIP, as_of=TIP - timedelta(minutes=180))
    closing = select_line(snapshots, TIP, as_of=TIP)
    assert (at_decision.bookmaker, at_decision.line) == ("FanDuel", 19.5)
    assert (closing.bookmaker, closing.line) == ("DraftKings", 21.5)


# --- whole / half / averaged ---------------------------------------------------------------------


def test_whole_number_line_is_accepted() -> None:
    selected = select_line([snap("DraftKings", 14.0, 30)], TIP, as_of=TIP)
    assert selected.line == 14.0


def test_half_line_with_float_noise_is_snapped() -> None:
    selected = select_line([snap("DraftKings", 14.5000000000001, 30)], TIP, as_of=TIP)
    assert selected.line == 14.5


def test_averaged_line_is_refused_never_used() -> None:
    selected = select_line([snap("DraftKings", 13.847, 30)], TIP, as_of=TIP)
    assert selected == NO_LINE


def test_averaged_latest_snapshot_falls_back_to_earlier_valid_snapshot_of_same_book() -> None:
    snapshots = [snap("DraftKings", 13.5, 120), snap("DraftKings", 13.847, 10), snap("FanDuel", 14.5, 5)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert (selected.bookmaker, selected.line) == ("DraftKings", 13.5)


def test_book_with_only_averaged_lines_yields_to_next_book() -> None:
    snapshots = [snap("DraftKings", 13.847, 30), snap("FanDuel", 14.5, 60)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert (selected.bookmaker, selected.line) == ("FanDuel", 14.5)


# --- opening line and movement -------------------------------------------------------------------


def test_opening_line_is_earliest_snapshot_of_same_book_and_movement_is_difference() -> None:
    snapshots = [
        snap("FanDuel", 17.5, 1440),  # earlier, but another book: not the opening line
        snap("DraftKings", 21.5, 30),
        snap("DraftKings", 19.5, 900),
        snap("DraftKings", 20.5, 300),
        snap("DraftKings", 18.847, 1000),  # ineligible, cannot be the opening line
    ]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert selected.bookmaker == "DraftKings"
    assert selected.opening_line == 19.5
    assert selected.line == 21.5
    assert selected.line_movement == 2.0


def test_single_snapshot_has_zero_movement() -> None:
    selected = select_line([snap("BetMGM", 9.5, 45)], TIP, as_of=TIP)
    assert selected.opening_line == 9.5
    assert selected.line_movement == 0.0


def test_downward_movement_is_negative() -> None:
    selected = select_line([snap("DraftKings", 25.5, 600), snap("DraftKings", 23.0, 20)], TIP, as_of=TIP)
    assert selected.line_movement == -2.5


def test_case_variants_of_a_book_are_one_book() -> None:
    snapshots = [snap("draftkings", 19.5, 600), snap("DraftKings", 20.5, 20)]
    selected = select_line(snapshots, TIP, as_of=TIP)
    assert selected.opening_line == 19.5
    assert selected.line == 20.5


def test_same_instant_tie_is_broken_by_higher_line_independent_of_order() -> None:
    a = snap("DraftKings", 20.5, 30)
    b = snap("DraftKings", 21.5, 30)
    assert select_line([a, b], TIP, as_of=TIP).line == 21.5
    assert select_line([b, a], TIP, as_of=TIP).line == 21.5


# --- no line -------------------------------------------------------------------------------------


def test_no_snapshots_means_no_prop_line_with_none_fields() -> None:
    selected = select_line([], TIP, as_of=TIP)
    assert selected.line_source is LineSource.NO_PROP_LINE
    assert selected.has_line is False
    assert selected.line is None
    assert selected.bookmaker is None
    assert selected.snapshot_at is None
    assert selected.minutes_before_tip is None
    assert selected.over_price is None
    assert selected.under_price is None
    assert selected.opening_line is None
    assert selected.line_movement is None


def test_only_excluded_snapshots_means_no_prop_line() -> None:
    snapshots = [snap("DraftKings", 20.5, -10), snap("FanDuel", 19.847, 30), snap("BetMGM", 21.5, 10)]
    selected = select_line(snapshots, TIP, as_of=TIP - timedelta(minutes=20))
    assert selected == NO_LINE


def test_selected_line_is_frozen() -> None:
    selected = select_line([snap("DraftKings", 20.5, 30)], TIP, as_of=TIP)
    with pytest.raises(AttributeError):
        selected.line = 1.0  # type: ignore[misc]


# --- time zones ----------------------------------------------------------------------------------


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="tip_off"):
        select_line([], TIP.replace(tzinfo=None), as_of=TIP)
    naive_snapshot = LineSnapshot("DraftKings", 20.5, -110, -110, datetime(2025, 1, 14, 23, 0))
    with pytest.raises(ValueError, match="snapshot_at"):
        select_line([naive_snapshot], TIP, as_of=TIP)


def test_non_utc_aware_timestamps_compare_as_instants() -> None:
    eastern = timezone(timedelta(hours=-5))
    # 19:20 Eastern == 00:20 UTC, i.e. 10 minutes before the 00:30 UTC tip-off.
    snapshot = LineSnapshot("DraftKings", 20.5, -110, -110, datetime(2025, 1, 14, 19, 20, tzinfo=eastern))
    selected = select_line([snapshot], TIP, as_of=TIP)
    assert selected.minutes_before_tip == 10.0


# --- bulk ----------------------------------------------------------------------------------------


def test_select_lines_groups_by_game_and_player() -> None:
    snapshots = [
        keyed("g1", "p1", "FanDuel", 20.5, 30),
        keyed("g1", "p1", "DraftKings", 21.5, 60),
        keyed("g1", "p2", "FanDuel", 10.5, 30),
        keyed("g2", "p1", "BetMGM", 30.0, 45),
        keyed("g2", "p1", "BetMGM", 31.0, -5),  # in-game
    ]
    tip_offs = {"g1": TIP, "g2": TIP}
    result = select_lines(snapshots, tip_offs)
    assert set(result) == {("g1", "p1"), ("g1", "p2"), ("g2", "p1")}
    assert (result[("g1", "p1")].bookmaker, result[("g1", "p1")].line) == ("DraftKings", 21.5)
    assert (result[("g1", "p2")].bookmaker, result[("g1", "p2")].line) == ("FanDuel", 10.5)
    assert result[("g2", "p1")].line == 30.0


def test_select_lines_matches_select_line_per_group() -> None:
    snapshots = [
        keyed("g1", "p1", "FanDuel", 20.5, 30),
        keyed("g1", "p1", "DraftKings", 21.5, 10),
        keyed("g1", "p1", "DraftKings", 19.5, 200),
    ]
    decision = TIP - timedelta(minutes=60)
    bulk = select_lines(snapshots, {"g1": TIP}, as_of=decision)[("g1", "p1")]
    single = select_line(snapshots, TIP, as_of=decision)
    assert bulk == single
    assert (bulk.bookmaker, bulk.line) == ("DraftKings", 19.5)


def test_select_lines_per_game_as_of_and_requested_keys() -> None:
    tip_g2 = TIP + timedelta(hours=3)
    snapshots = [
        keyed("g1", "p1", "DraftKings", 20.5, 90),
        keyed("g1", "p1", "DraftKings", 22.5, 30),
        KeyedLineSnapshot("g2", "p9", "DraftKings", 12.5, -110, -110, tip_g2 - timedelta(minutes=30)),
        keyed("g3", "p3", "DraftKings", 5.5, 30),  # not requested: ignored (and g3 needs no tip-off)
    ]
    result = select_lines(
        snapshots,
        tip_offs={"g1": TIP, "g2": tip_g2},
        as_of={"g1": TIP - timedelta(minutes=60), "g2": tip_g2 - timedelta(minutes=60)},
        player_games=[("g1", "p1"), ("g2", "p9"), ("g2", "p7")],
    )
    assert set(result) == {("g1", "p1"), ("g2", "p9"), ("g2", "p7")}
    assert result[("g1", "p1")].line == 20.5
    assert result[("g2", "p9")] == NO_LINE  # its only snapshot is after the as_of
    assert result[("g2", "p7")] == NO_LINE  # no snapshots at all


def test_select_lines_without_tip_off_fails_loudly() -> None:
    with pytest.raises(ValueError, match="g1"):
        select_lines([keyed("g1", "p1", "DraftKings", 20.5, 30)], tip_offs={})


def test_select_lines_with_incomplete_as_of_mapping_fails_loudly() -> None:
    with pytest.raises(ValueError, match="g1"):
        select_lines([keyed("g1", "p1", "DraftKings", 20.5, 30)], tip_offs={"g1": TIP}, as_of={})


def test_a_warehouse_row_becomes_one_snapshot_model_for_features_and_grading() -> None:
    row = {
        "game_id": 22500001,
        "player_id": 203999,
        "bookmaker": "DraftKings",
        "line": 20.5,
        "over_price": -115,
        "under_price": None,
        "snapshot_at": datetime(2025, 1, 14, 23, 0),  # naive TIMESTAMP read back = UTC wall time
        "is_in_game": False,  # extra columns of the query are ignored
    }

    snapshot = KeyedLineSnapshot.from_row(row)

    assert snapshot == KeyedLineSnapshot(
        "22500001", "203999", "DraftKings", 20.5, -115.0, None, datetime(2025, 1, 14, 23, 0, tzinfo=UTC)
    )
    assert isinstance(snapshot.over_price, float)
    eastern = timezone(timedelta(hours=-5))
    aware = KeyedLineSnapshot.from_row({**row, "snapshot_at": datetime(2025, 1, 14, 18, 0, tzinfo=eastern)})
    assert aware.snapshot_at == snapshot.snapshot_at
    assert aware.snapshot_at.utcoffset() == timedelta(0)
