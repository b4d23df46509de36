"""Unit tests of raw-row validation (shared.domain.raw_validation): one test per reason code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

import pytest

from shared.domain.raw_validation import (
    FileKind,
    Problem,
    RawRecord,
    Reason,
    ScheduledGame,
    Validation,
    detect_kind,
    ignored_columns,
    keep_last_of_duplicates,
    plausible_window,
    validate_records,
)

# 19:30 ET on 2025-01-14 and 22:30 ET on 2025-01-14 (03:30 UTC on the 15th: the late-game trap).
BOS_NYK = ScheduledGame("G1", date(2025, 1, 14), datetime(2025, 1, 15, 0, 30, tzinfo=UTC), "BOS", "NYK")
LAL_GSW = ScheduledGame("G2", date(2025, 1, 14), datetime(2025, 1, 15, 3, 30, tzinfo=UTC), "LAL", "GSW")
GAMES = {game.game_id: game for game in (BOS_NYK, LAL_GSW)}

SCHEDULE_ROW = {
    "game_id": "G2",
    "game_date": "2025-01-14",
    "tipoff_utc": "2025-01-15T03:30:00Z",
    "home_team": "LAL",
    "away_team": "GSW",
    "status": "scheduled",
}
BOXSCORE_ROW = {
    "game_id": "G1",
    "game_date": "2025-01-14",
    "player_id": "p1",
    "player_name": "De'Aaron Fox",
    "team": "BOS",
    "opponent": "NYK",
    "is_home": "true",
    "minutes": "34.5",
    "points": "27",
    "status": "played",
    "fga": "20",
    "fta": "",
    "fg3a": "7",
    "rebounds": "5",
    "assists": "6",
    "starter": "true",
}
INJURY_ROW = {
    "game_date": "2025-01-14",
    "player_id": "p1",
    "status": "QUESTIONABLE",
    "reported_at": "2025-01-14T17:00:00Z",
}
LINE_ROW = {
    "game_id": "G1",
    "game_date": "2025-01-14",
    "player_id": "p1",
    "player_name": "Nikola Jokić",
    "bookmaker": "DraftKings",
    "line": "24.5",
    "over_price": "-110",
    "under_price": "+100",
    "snapshot_at": "2025-01-14T23:00:00+00:00",
}
BASE = {
    FileKind.SCHEDULE: SCHEDULE_ROW,
    FileKind.BOXSCORES: BOXSCORE_ROW,
    FileKind.INJURIES: INJURY_ROW,
    FileKind.PROP_LINES: LINE_ROW,
}


def validate(kind: FileKind, *changes: Mapping[str, str | None]) -> Validation:
    records = [RawRecord(n, {**BASE[kind], **change}) for n, change in enumerate(changes, start=1)]
    return validate_records(kind, records, GAMES)


@pytest.mark.parametrize("kind", list(FileKind))
def test_a_good_row_of_each_kind_is_loaded_with_typed_values(kind: FileKind) -> None:
    result = validate(kind, {})
    assert result.problems == []
    assert len(result.rows) == 1
    assert result.rows[0]["source_row"] == 1


def test_typed_values_of_a_boxscore_row() -> None:
    row = validate(FileKind.BOXSCORES, {}).rows[0]
    assert row["game_date"] == date(2025, 1, 14)
    assert row["is_home"] is True
    assert row["minutes"] == 34.5
    assert row["points"] == 27
    assert row["fta"] is None  # optional and empty
    assert row["fga"] == 20
    assert row["player_name"] == "De'Aaron Fox"


CASES = [
    (FileKind.BOXSCORES, {"player_name": ""}, "player_name", Reason.MISSING_VALUE),
    (FileKind.BOXSCORES, {"player_id": None}, "player_id", Reason.MISSING_VALUE),
    (FileKind.BOXSCORES, {"points": "25.5"}, "points", Reason.INVALID_INTEGER),
    (FileKind.BOXSCORES, {"points": "twenty"}, "points", Reason.INVALID_INTEGER),
    (FileKind.BOXSCORES, {"points": "-2"}, "points", Reason.OUT_OF_RANGE),
    (FileKind.BOXSCORES, {"minutes": "abc"}, "minutes", Reason.INVALID_NUMBER),
    (FileKind.BOXSCORES, {"minutes": "nan"}, "minutes", Reason.INVALID_NUMBER),
    (FileKind.BOXSCORES, {"minutes": "70.5"}, "minutes", Reason.OUT_OF_RANGE),
    (FileKind.BOXSCORES, {"minutes": "-1"}, "minutes", Reason.OUT_OF_RANGE),
    (FileKind.BOXSCORES, {"rebounds": "-1"}, "rebounds", Reason.OUT_OF_RANGE),
    (FileKind.BOXSCORES, {"is_home": "maybe"}, "is_home", Reason.INVALID_BOOLEAN),
    (FileKind.BOXSCORES, {"game_date": "01/14/2025"}, "game_date", Reason.INVALID_DATE),
    (FileKind.BOXSCORES, {"status": "injured"}, "status", Reason.INVALID_STATUS),
    (FileKind.BOXSCORES, {"team": "XYZ"}, "team", Reason.UNKNOWN_TEAM),
    (FileKind.BOXSCORES, {"opponent": "BOS"}, "opponent", Reason.SAME_TEAM),
    (FileKind.BOXSCORES, {"game_id": "G404"}, "game_id", Reason.UNKNOWN_GAME),
    (FileKind.BOXSCORES, {"game_date": "2025-01-15"}, "game_date", Reason.GAME_DATE_MISMATCH),
    (FileKind.BOXSCORES, {"team": "LAL", "opponent": "NYK"}, "team", Reason.TEAM_NOT_IN_GAME),
    (FileKind.BOXSCORES, {"is_home": "false"}, "is_home", Reason.IS_HOME_MISMATCH),
    (FileKind.BOXSCORES, {"status": "dnp"}, "status", Reason.INCONSISTENT_STATUS),
    (FileKind.SCHEDULE, {"away_team": "LAL"}, "away_team", Reason.SAME_TEAM),
    (FileKind.SCHEDULE, {"home_team": "lal"}, "home_team", Reason.UNKNOWN_TEAM),
    # the UTC date of a 22:30 ET tip-off is the next day: exactly the bug this catches
    (FileKind.SCHEDULE, {"game_date": "2025-01-15"}, "game_date", Reason.GAME_DATE_NOT_TIPOFF_DATE),
    (FileKind.SCHEDULE, {"tipoff_utc": "2025-01-15T03:30:00"}, "tipoff_utc", Reason.TIMESTAMP_WITHOUT_ZONE),
    (FileKind.SCHEDULE, {"tipoff_utc": "tonight"}, "tipoff_utc", Reason.INVALID_TIMESTAMP),
    (FileKind.SCHEDULE, {"status": "cancelled"}, "status", Reason.INVALID_STATUS),
    (FileKind.INJURIES, {"status": "GTD"}, "status", Reason.INVALID_STATUS),
    (FileKind.INJURIES, {"reported_at": "2025-01-14 17:00:00"}, "reported_at", Reason.TIMESTAMP_WITHOUT_ZONE),
    (FileKind.PROP_LINES, {"line": "13.847"}, "line", Reason.LINE_NOT_HALF_POINT),
    (FileKind.PROP_LINES, {"line": "13.25"}, "line", Reason.LINE_NOT_HALF_POINT),
    (FileKind.PROP_LINES, {"line": "-0.5"}, "line", Reason.OUT_OF_RANGE),
    (FileKind.PROP_LINES, {"line": "0"}, "line", Reason.OUT_OF_RANGE),
    (FileKind.PROP_LINES, {"line": "inf"}, "line", Reason.INVALID_NUMBER),
    (FileKind.PROP_LINES, {"over_price": "-105.5"}, "over_price", Reason.INVALID_INTEGER),
    (FileKind.PROP_LINES, {"over_price": "-95"}, "over_price", Reason.IMPLAUSIBLE_PRICE),
    (FileKind.PROP_LINES, {"under_price": "99"}, "under_price", Reason.IMPLAUSIBLE_PRICE),
    (FileKind.PROP_LINES, {"under_price": "1005"}, "under_price", Reason.IMPLAUSIBLE_PRICE),
    (FileKind.PROP_LINES, {"line": "80.5"}, "line", Reason.OUT_OF_RANGE),
    (FileKind.PROP_LINES, {"player_name": "   "}, "player_name", Reason.MISSING_VALUE),
    (FileKind.PROP_LINES, {"over_price": "0"}, "over_price", Reason.IMPLAUSIBLE_PRICE),
    (
        FileKind.PROP_LINES,
        {"snapshot_at": "2025-01-14T23:00:00"},
        "snapshot_at",
        Reason.TIMESTAMP_WITHOUT_ZONE,
    ),
    (FileKind.PROP_LINES, {"game_id": "G404"}, "game_id", Reason.UNKNOWN_GAME),
    (FileKind.PROP_LINES, {"game_date": "2025-01-15"}, "game_date", Reason.GAME_DATE_MISMATCH),
]


@pytest.mark.parametrize(("kind", "change", "column", "reason"), CASES)
def test_each_problem_refuses_the_row_with_its_reason(
    kind: FileKind, change: dict[str, str | None], column: str, reason: Reason
) -> None:
    result = validate(kind, change)
    assert result.rows == []
    assert result.problems == [Problem(1, column, reason, change.get(column, BASE[kind].get(column)))]


def test_several_problems_of_one_row_are_all_reported_once_per_column() -> None:
    result = validate(FileKind.PROP_LINES, {"line": "13.847", "over_price": "-50", "snapshot_at": "soon"})
    assert result.rows == []
    assert {(p.column, p.reason) for p in result.problems} == {
        ("line", Reason.LINE_NOT_HALF_POINT),
        ("over_price", Reason.IMPLAUSIBLE_PRICE),
        ("snapshot_at", Reason.INVALID_TIMESTAMP),
    }


def test_good_rows_survive_next_to_bad_ones() -> None:
    result = validate(FileKind.PROP_LINES, {}, {"line": "13.847"}, {"player_id": "p2"})
    assert [row["source_row"] for row in result.rows] == [1, 3]
    assert [(p.row_number, p.reason) for p in result.problems] == [(2, Reason.LINE_NOT_HALF_POINT)]


def test_snapshot_at_or_after_tipoff_is_kept_and_marked_in_game() -> None:
    result = validate(
        FileKind.PROP_LINES,
        {"snapshot_at": "2025-01-15T00:29:59Z"},
        {"snapshot_at": "2025-01-15T00:30:00Z"},
        {"snapshot_at": "2025-01-14T19:45:00-05:00"},  # 00:45 UTC: after the 00:30 UTC tip-off
    )
    assert result.problems == []
    assert [row["is_in_game"] for row in result.rows] == [False, True, True]
    assert result.rows[2]["snapshot_at"] == datetime(2025, 1, 15, 0, 45, tzinfo=UTC)


def test_half_point_and_whole_lines_are_accepted_and_integral_prices_too() -> None:
    result = validate(FileKind.PROP_LINES, {"line": "24"}, {"line": "0.5", "over_price": "-110.0"})
    assert result.problems == []
    assert [row["line"] for row in result.rows] == [24.0, 0.5]
    assert result.rows[1]["over_price"] == -110


def test_names_are_kept_exactly_except_surrounding_spaces() -> None:
    names = ["Nikola Jokić", "D'Angelo Russell", "Alperen Şengün", "Dāvis Bertāns", "nene"]
    decomposed = "Luka Donc\u030cic\u0301"  # combining accents stay combining: no Unicode normalisation
    result = validate(
        FileKind.PROP_LINES,
        *({"player_name": n, "player_id": n} for n in names),
        {"player_name": f"  {decomposed} ", "player_id": " p9 "},
    )
    assert [row["player_name"] for row in result.rows] == [*names, decomposed]
    assert result.rows[-1]["player_id"] == "p9"


def test_status_enums_ignore_case_and_store_the_canonical_spelling() -> None:
    assert validate(FileKind.INJURIES, {"status": "out"}).rows[0]["status"] == "OUT"
    assert validate(FileKind.SCHEDULE, {"status": "Final"}).rows[0]["status"] == "final"


def test_dnp_without_minutes_or_points_is_fine() -> None:
    result = validate(FileKind.BOXSCORES, {"status": "dnp", "minutes": "0", "points": "0", "fga": ""})
    assert result.problems == []
    assert result.rows[0]["fga"] is None


def test_later_duplicate_wins_and_earlier_is_refused() -> None:
    result = validate(FileKind.PROP_LINES, {"line": "24.5"}, {"player_id": "p2"}, {"line": "25.5"})
    kept, problems = keep_last_of_duplicates(FileKind.PROP_LINES, result.rows)
    assert [(row["source_row"], row["line"]) for row in kept] == [(2, 24.5), (3, 25.5)]
    assert problems == [Problem(1, "", Reason.DUPLICATE_KEY, None)]


def test_kind_is_detected_from_columns_not_names() -> None:
    assert detect_kind(SCHEDULE_ROW).kind is FileKind.SCHEDULE
    assert detect_kind(BOXSCORE_ROW).kind is FileKind.BOXSCORES
    assert detect_kind(INJURY_ROW).kind is FileKind.INJURIES
    assert detect_kind(LINE_ROW).kind is FileKind.PROP_LINES
    assert detect_kind([*LINE_ROW, "note"]).kind is FileKind.PROP_LINES
    assert ignored_columns(FileKind.INJURIES, [*INJURY_ROW, "note", "source"]) == ("note", "source")


def test_unknown_kinds_say_what_is_missing_or_conflicting() -> None:
    assert detect_kind(["a", "b"]).kind is None
    lacking = detect_kind(["game_date", "player_id", "reported_at"])
    assert lacking.kind is None
    assert "injuries" in lacking.problem
    assert "status" in lacking.problem
    both = detect_kind([*INJURY_ROW, *LINE_ROW])
    assert both.kind is None
    assert "reported_at (injuries)" in both.problem
    assert "snapshot_at (prop_lines)" in both.problem


def test_boxscore_optional_columns_may_be_absent_entirely() -> None:
    required_only = {k: v for k, v in BOXSCORE_ROW.items() if k not in ("fga", "fta", "fg3a", "starter")}
    result = validate_records(FileKind.BOXSCORES, [RawRecord(1, required_only)], GAMES)
    assert result.problems == []
    assert result.rows[0]["starter"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-14", date(2025, 1, 14)),
        ("2025-01-14T00:00:00", date(2025, 1, 14)),
        ("2025-01-14T00:00:00Z", date(2025, 1, 14)),
        ("2025-01-14T00:00:00+00:00", date(2025, 1, 14)),
        ("2025-01-14T19:30:00", Reason.INVALID_DATE),  # a time of day: which date is meant is unclear
        ("2025-01-14T00:00:00-05:00", Reason.INVALID_DATE),
        ("14/01/2025", Reason.INVALID_DATE),
    ],
)
def test_a_date_may_be_a_midnight_timestamp(text: str, expected: date | Reason) -> None:
    result = validate(FileKind.INJURIES, {"game_date": text, "reported_at": "2025-01-13T20:00:00Z"})
    if isinstance(expected, Reason):
        assert [(p.column, p.reason) for p in result.problems] == [("game_date", expected)]
    else:
        assert result.rows[0]["game_date"] == expected


@pytest.mark.parametrize("kind", list(FileKind))
@pytest.mark.parametrize("day", ["1900-01-14", "2999-01-14", "1946-10-31", "2026-08-01"])
def test_every_kind_refuses_a_game_date_outside_the_plausible_window(kind: FileKind, day: str) -> None:
    window = plausible_window(datetime(2025, 1, 14, 12, tzinfo=UTC))
    assert (window.first, window.last) == (date(1946, 11, 1), date(2026, 7, 31))
    record = RawRecord(1, {**BASE[kind], "game_date": day})
    result = validate_records(kind, [record], GAMES, window)
    assert ("game_date", Reason.IMPLAUSIBLE_DATE) in [(p.column, p.reason) for p in result.problems]
    assert validate_records(kind, [RawRecord(1, BASE[kind])], GAMES, window).problems == []
