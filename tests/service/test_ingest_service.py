"""Service tests of ingest on the embedded deployment: validation, rejects, idempotency, events."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from shared.bootstrap import Dependencies
from shared.events import BoxscoresLoaded, LinesLoaded, StorageObject
from shared.ingest import readers
from shared.runtime import handle_cloud_event
from shared.services.ingest import IngestRefusedError, ingest_object
from tests.conftest import cloud_event_for, deliver

LOADED_AT = datetime(2025, 1, 14, 12, 0, tzinfo=UTC)
RAW_TABLES = ("schedule", "boxscores", "injuries", "prop_line_snapshots", "rejects")

SCHEDULE_CSV = """game_id,game_date,tipoff_utc,home_team,away_team,status
G1,2025-01-14,2025-01-15T00:30:00Z,BOS,NYK,scheduled
G2,2025-01-14,2025-01-15T03:30:00Z,LAL,GSW,scheduled
G3,2025-01-15,2025-01-16T00:00:00Z,MIA,ORL,scheduled
"""
LINES_HEADER = "game_id,game_date,player_id,player_name,bookmaker,line,over_price,under_price,snapshot_at\n"
LINES_CSV = LINES_HEADER + (
    "G1,2025-01-14,p1,Nikola Jokić,DraftKings,24.5,-110,-110,2025-01-14T15:00:00Z\n"
    "G1,2025-01-14,p2,D'Angelo Russell,FanDuel,13.847,-110,-110,2025-01-14T16:00:00Z\n"
    "G2,2025-01-14,p3,Luka Dončić,DraftKings,31.5,-120,+100,2025-01-15T03:30:00Z\n"
    "G3,2025-01-15,p4,Jimmy Butler,DraftKings,20.5,-115,-105,2025-01-15T14:00:00Z\n"
)
BOX_HEADER = "game_id,game_date,player_id,player_name,team,opponent,is_home,minutes,points,status\n"
BOX_CSV = BOX_HEADER + (
    "G1,2025-01-14,p1,Nikola Jokić,BOS,NYK,true,36.5,28,played\n"
    "G1,2025-01-14,p2,D'Angelo Russell,NYK,BOS,false,0,0,dnp\n"
    "G2,2025-01-14,p3,Luka Dončić,LAL,GSW,true,71,30,played\n"
)
INJURIES_CSV = """game_date,player_id,status,reported_at
2025-01-14,p1,QUESTIONABLE,2025-01-14T17:00:00Z
2025-01-14,p1,OUT,2025-01-14T21:00:00Z
"""


def land(deps: Dependencies, name: str, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    deps.blobs.write_bytes(deps.settings.raw_bucket, name, data)


def ingest(deps: Dependencies, name: str, content: str | bytes, loaded_at: datetime = LOADED_AT):
    land(deps, name, content)
    return ingest_object(deps.warehouse, deps.blobs, deps.settings.raw_bucket, name, loaded_at, "run-1")


def storage_event(deps: Dependencies, name: str) -> StorageObject:
    return StorageObject(bucket=deps.settings.raw_bucket, name=name)


def rows(deps: Dependencies, table: str) -> list[dict[str, Any]]:
    return sorted(deps.warehouse.query(f"SELECT * FROM nba_raw.{table}"), key=repr)


def snapshot(deps: Dependencies) -> dict[str, list[dict[str, Any]]]:
    return {table: rows(deps, table) for table in RAW_TABLES}


def rejects(deps: Dependencies) -> list[tuple[Any, ...]]:
    return sorted(
        (r["source_object"], r["row_number"], r["column_name"], r["reason"], r["raw_value"])
        for r in rows(deps, "rejects")
    )


@pytest.fixture(autouse=True, params=["one-chunk", "chunks-of-2"])
def chunk_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule must hold whether a file is read, validated and written in one chunk or in many."""
    if request.param == "chunks-of-2":
        monkeypatch.setattr(readers, "CHUNK_RECORDS", 2)


@pytest.fixture
def scheduled(deps: Dependencies) -> Dependencies:
    ingest(deps, "schedule/season.csv", SCHEDULE_CSV)
    return deps


# -- validation and rejects ------------------------------------------------------------------------


def test_schedule_loads_with_eastern_game_dates(deps: Dependencies) -> None:
    report = ingest(deps, "schedule/season.csv", SCHEDULE_CSV)
    assert (report.rows_read, report.rows_valid, report.rows_written, report.rows_rejected) == (3, 3, 3, 0)
    stored = {r["game_id"]: r for r in rows(deps, "schedule")}
    assert stored["G2"]["game_date"] == date(2025, 1, 14)
    assert stored["G2"]["tipoff_utc"] == datetime(2025, 1, 15, 3, 30, tzinfo=UTC)
    assert stored["G2"]["source_object"] == "schedule/season.csv"
    assert stored["G2"]["source_row"] == 2
    assert stored["G2"]["loaded_at"] == LOADED_AT


def test_lines_are_validated_and_refused_rows_kept_in_rejects(scheduled: Dependencies) -> None:
    report = ingest(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    assert (report.rows_read, report.rows_valid, report.rows_rejected) == (4, 3, 1)
    assert report.reasons == {"line_not_half_point": 1}
    stored = {r["player_id"]: r for r in rows(scheduled, "prop_line_snapshots")}
    assert sorted(stored) == ["p1", "p3", "p4"]
    assert stored["p1"]["is_in_game"] is False
    assert stored["p3"]["is_in_game"] is True  # snapshot exactly at tip-off: kept, marked in-game
    (reject,) = rows(scheduled, "rejects")
    assert reject["row_number"] == 2
    assert reject["column_name"] == "line"
    assert reject["reason"] == "line_not_half_point"
    assert reject["raw_value"] == "13.847"
    assert reject["file_kind"] == "prop_lines"
    assert json.loads(reject["raw_row"])["player_name"] == "D'Angelo Russell"
    assert reject["rejected_at"] == LOADED_AT


def test_lines_for_games_missing_from_the_schedule_are_refused(deps: Dependencies) -> None:
    report = ingest(deps, "lines/2025-01-14_open.csv", LINES_CSV)
    assert report.rows_valid == 0
    assert report.rows_rejected == 4
    assert report.reasons == {"unknown_game": 4, "line_not_half_point": 1}  # counted per problem


def test_boxscores_validated_against_schedule_and_ranges(scheduled: Dependencies) -> None:
    report = ingest(scheduled, "boxscores/2025-01-14.csv", BOX_CSV)
    assert (report.rows_valid, report.rows_rejected) == (2, 1)
    assert rejects(scheduled) == [("boxscores/2025-01-14.csv", 3, "minutes", "out_of_range", "71")]
    stored = {r["player_id"]: r for r in rows(scheduled, "boxscores")}
    assert stored["p2"]["status"] == "dnp"
    assert stored["p2"]["fga"] is None


def test_names_with_apostrophes_and_accents_round_trip_exactly(scheduled: Dependencies) -> None:
    names = ["Nikola Jokić", "D'Angelo Russell", "Luka Dončić", "Dāvis Bertāns", "O'Neale, Royce"]
    body = "".join(
        f'G1,2025-01-14,n{i},"{name}",DraftKings,10.5,-110,-110,2025-01-14T15:00:00Z\n'
        for i, name in enumerate(names)
    )
    ingest(scheduled, "lines/names.csv", LINES_HEADER + body)
    stored = {r["player_id"]: r["player_name"] for r in rows(scheduled, "prop_line_snapshots")}
    assert [stored[f"n{i}"] for i in range(len(names))] == names


def test_duplicate_keys_in_one_file_last_wins_earlier_refused(scheduled: Dependencies) -> None:
    body = (
        "G1,2025-01-14,p1,Nikola Jokić,DraftKings,24.5,-110,-110,2025-01-14T15:00:00Z\n"
        "G1,2025-01-14,p1,Nikola Jokić,DraftKings,25.5,-110,-110,2025-01-14T15:00:00Z\n"
    )
    report = ingest(scheduled, "lines/dup.csv", LINES_HEADER + body)
    assert (report.rows_valid, report.rows_rejected) == (1, 1)
    assert [r["line"] for r in rows(scheduled, "prop_line_snapshots")] == [25.5]
    assert rejects(scheduled) == [("lines/dup.csv", 1, "", "duplicate_key", None)]


def test_a_duplicate_key_far_apart_in_a_file_still_lets_the_last_row_win(scheduled: Dependencies) -> None:
    """Rows 1 and 3 share a key: in chunks of 2 they are read, validated and written apart."""
    body = (
        "G1,2025-01-14,p1,Nikola Jokić,DraftKings,24.5,-110,-110,2025-01-14T15:00:00Z\n"
        "G1,2025-01-14,p2,D'Angelo Russell,DraftKings,13.5,-110,-110,2025-01-14T15:00:00Z\n"
        "G1,2025-01-14,p1,Nikola Jokić,DraftKings,25.5,-110,-110,2025-01-14T15:00:00Z\n"
    )
    report = ingest(scheduled, "lines/dup.csv", LINES_HEADER + body)
    assert (report.rows_read, report.rows_valid, report.rows_rejected) == (3, 2, 1)
    assert [(d.rows_loaded, d.rows_rejected) for d in report.dates] == [(2, 1)]
    assert sorted(r["line"] for r in rows(scheduled, "prop_line_snapshots")) == [13.5, 25.5]
    assert rejects(scheduled) == [("lines/dup.csv", 1, "", "duplicate_key", None)]
    assert json.loads(rows(scheduled, "rejects")[0]["raw_row"])["line"] == "24.5"
    assert ingest(scheduled, "lines/dup.csv", LINES_HEADER + body).rejects_written == 0


def test_wrong_field_count_is_a_reject_not_a_crash(scheduled: Dependencies) -> None:
    body = "G1,2025-01-14,p1,Nikola Jokić,DraftKings,24.5,-110\n"
    report = ingest(scheduled, "lines/short.csv", LINES_HEADER + body + LINES_CSV.split("\n", 2)[1] + "\n")
    assert (report.rows_read, report.rows_valid) == (2, 1)
    (reject,) = rows(scheduled, "rejects")
    assert (reject["row_number"], reject["reason"]) == (1, "wrong_field_count")
    assert json.loads(reject["raw_row"])[3] == "Nikola Jokić"


def test_extra_columns_are_ignored_with_a_warning(
    scheduled: Dependencies, caplog: pytest.LogCaptureFixture
) -> None:
    text = "game_date,player_id,status,reported_at,source_note\n2025-01-14,p1,OUT,2025-01-14T17:00:00Z,x\n"
    report = ingest(scheduled, "injuries/2025-01-14.csv", text)
    assert report.rows_valid == 1
    assert report.ignored_columns == ("source_note",)
    assert "ignored extra columns: source_note" in report.detail
    assert any("source_note" in record.getMessage() for record in caplog.records)


# -- formats ----------------------------------------------------------------------------------------


def test_ndjson_is_accepted(scheduled: Dependencies) -> None:
    lines = [
        {
            "game_date": "2025-01-14",
            "player_id": "p1",
            "status": "OUT",
            "reported_at": "2025-01-14T17:00:00Z",
        },
        {
            "game_date": "2025-01-14",
            "player_id": "p2",
            "status": "nope",
            "reported_at": "2025-01-14T17:00:00Z",
        },
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    report = ingest(scheduled, "injuries/2025-01-14.jsonl", text)
    assert (report.file_format, report.rows_read, report.rows_valid) == ("ndjson", 3, 1)
    assert [(r[1], r[3]) for r in rejects(scheduled)] == [(2, "invalid_status"), (3, "invalid_json")]


def test_parquet_is_accepted_with_typed_columns(scheduled: Dependencies) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "game_id": ["G1", "G1"],
            "game_date": [date(2025, 1, 14), date(2025, 1, 14)],
            "player_id": ["p1", "p2"],
            "player_name": ["Nikola Jokić", "D'Angelo Russell"],
            "bookmaker": ["DraftKings", "DraftKings"],
            "line": [24.5, 13.847],
            "over_price": [-110, -110],
            "under_price": [-110, -110],
            "snapshot_at": pa.array(
                [datetime(2025, 1, 14, 15, tzinfo=UTC), datetime(2025, 1, 15, 1, tzinfo=UTC)],
                pa.timestamp("us", tz="UTC"),
            ),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    report = ingest(scheduled, "lines/2025-01-14.parquet", buffer.getvalue())
    assert (report.file_format, report.rows_valid, report.reasons) == (
        "parquet",
        1,
        {"line_not_half_point": 1},
    )
    (stored,) = rows(scheduled, "prop_line_snapshots")
    assert stored["player_name"] == "Nikola Jokić"
    assert stored["snapshot_at"] == datetime(2025, 1, 14, 15, tzinfo=UTC)


def test_the_same_rows_in_csv_ndjson_and_parquet_are_the_same_rows(scheduled: Dependencies) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ingest(scheduled, "injuries/a.csv", INJURIES_CSV)
    before = rows(scheduled, "injuries")
    records = [dict(zip(INJURIES_CSV.splitlines()[0].split(","), line.split(","), strict=True))
               for line in INJURIES_CSV.splitlines()[1:]]  # fmt: skip
    assert ingest(scheduled, "injuries/b.ndjson", "\n".join(map(json.dumps, records))).rows_written == 0
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(records), buffer)
    assert ingest(scheduled, "injuries/c.parquet", buffer.getvalue()).rows_written == 0
    assert rows(scheduled, "injuries") == before


# -- idempotency ------------------------------------------------------------------------------------


def test_same_file_twice_leaves_every_raw_table_identical(scheduled: Dependencies) -> None:
    ingest(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    ingest(scheduled, "boxscores/2025-01-14.csv", BOX_CSV)
    ingest(scheduled, "injuries/2025-01-14.csv", INJURIES_CSV)
    before = snapshot(scheduled)
    later = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
    for name, text in [
        ("schedule/season.csv", SCHEDULE_CSV),
        ("lines/2025-01-14_open.csv", LINES_CSV),
        ("boxscores/2025-01-14.csv", BOX_CSV),
        ("injuries/2025-01-14.csv", INJURIES_CSV),
    ]:
        report = ingest(scheduled, name, text, loaded_at=later)
        assert (report.rows_written, report.rejects_written) == (0, 0)
    assert snapshot(scheduled) == before


def test_overlapping_file_adds_only_new_rows(scheduled: Dependencies) -> None:
    ingest(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    before = {(r["player_id"], r["source_object"]) for r in rows(scheduled, "prop_line_snapshots")}
    overlap = LINES_HEADER + (
        "G1,2025-01-14,p1,Nikola Jokić,DraftKings,24.5,-110,-110,2025-01-14T15:00:00Z\n"
        "G1,2025-01-14,p5,Jalen Brunson,DraftKings,26.5,-110,-110,2025-01-14T15:00:00Z\n"
    )
    report = ingest(scheduled, "lines/2025-01-14_close.csv", overlap)
    assert (report.rows_valid, report.rows_written) == (2, 1)
    after = {(r["player_id"], r["source_object"]) for r in rows(scheduled, "prop_line_snapshots")}
    # the unchanged row keeps its first provenance; only the new player is added
    assert after == before | {("p5", "lines/2025-01-14_close.csv")}


def test_a_corrected_row_replaces_the_old_one(scheduled: Dependencies) -> None:
    ingest(scheduled, "boxscores/2025-01-14.csv", BOX_CSV)
    corrected = BOX_HEADER + "G1,2025-01-14,p1,Nikola Jokić,BOS,NYK,true,36.5,31,played\n"
    later = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
    report = ingest(scheduled, "boxscores/2025-01-14_fix.csv", corrected, loaded_at=later)
    assert report.rows_written == 1
    stored = [r for r in rows(scheduled, "boxscores") if r["player_id"] == "p1"]
    assert len(stored) == 1
    assert (stored[0]["points"], stored[0]["loaded_at"]) == (31, later)
    assert stored[0]["source_object"] == "boxscores/2025-01-14_fix.csv"


def test_schedule_status_update_replaces_the_game(scheduled: Dependencies) -> None:
    final = SCHEDULE_CSV.splitlines()[0] + "\nG1,2025-01-14,2025-01-15T00:30:00Z,BOS,NYK,final\n"
    assert ingest(scheduled, "schedule/2025-01-14.csv", final).rows_written == 1
    assert {r["game_id"]: r["status"] for r in rows(scheduled, "schedule")} == {
        "G1": "final",
        "G2": "scheduled",
        "G3": "scheduled",
    }


def test_relanded_object_replaces_its_stale_rejects(scheduled: Dependencies) -> None:
    ingest(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    fixed = LINES_CSV.replace("13.847", "13.5")
    report = ingest(scheduled, "lines/2025-01-14_open.csv", fixed)
    assert (report.rows_written, report.rows_rejected) == (1, 0)
    assert rows(scheduled, "rejects") == []


# -- whole-file refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "unreadable_file"),
        (b"\xff\xfe\xfa garbage", "unreadable_file"),
        (b"PAR1 not really parquet", "unreadable_file"),
        (b"", "no_header"),
        (b"player,points\nX,3\n", "unknown_kind"),
        (b"game_date,player_id,status,reported_at,status\n", "duplicate_column"),
    ],
)
def test_an_unreadable_file_gives_one_reject_and_a_permanent_error(
    deps: Dependencies, content: bytes, reason: str
) -> None:
    with pytest.raises(IngestRefusedError, match=reason):
        ingest(deps, "drop/file.csv", content)
    assert rejects(deps) == [("drop/file.csv", 0, "", reason, rejects(deps)[0][4])]
    assert rows(deps, "rejects")[0]["file_kind"] == "unknown"


def test_unreadable_file_through_the_runtime_is_rejected_not_raised(deps: Dependencies) -> None:
    land(deps, "lines/garbage.csv", b"\x00\x01\x02\x03binary")
    outcome = deliver(deps, "ingest", "raw-objects", storage_event(deps, "lines/garbage.csv"))
    assert outcome.status == "rejected"
    assert "unreadable_file" in outcome.detail
    assert outcome.published == ()
    (run,) = deps.warehouse.query("SELECT status, error FROM nba_orchestration.pipeline_runs_latest")
    assert run["status"] == "rejected"
    assert len(rows(deps, "rejects")) == 1
    # redelivered: still one rejects row, still acknowledged
    assert (
        deliver(deps, "ingest", "raw-objects", storage_event(deps, "lines/garbage.csv")).status == "rejected"
    )
    assert len(rows(deps, "rejects")) == 1


def test_a_lines_file_with_no_valid_row_is_recorded_and_publishes_nothing(scheduled: Dependencies) -> None:
    bad = LINES_HEADER + "G1,2025-01-14,p2,D'Angelo Russell,FanDuel,13.847,-110,-110,2025-01-14T16:00:00Z\n"
    land(scheduled, "lines/bad.csv", bad)
    outcome = deliver(scheduled, "ingest", "raw-objects", storage_event(scheduled, "lines/bad.csv"))
    assert outcome.status == "rejected"
    assert "0 valid" in outcome.detail
    assert "line_not_half_point x1" in outcome.detail
    assert outcome.published == ()
    assert len(rows(scheduled, "rejects")) == 1


def test_a_header_only_file_is_skipped_with_the_reason(scheduled: Dependencies) -> None:
    land(scheduled, "lines/empty.csv", LINES_HEADER)
    outcome = deliver(scheduled, "ingest", "raw-objects", storage_event(scheduled, "lines/empty.csv"))
    assert outcome.status == "skipped"
    assert "no data rows" in outcome.detail
    assert outcome.published == ()


# -- events through the runtime ---------------------------------------------------------------------


def test_lines_loaded_published_per_date_with_counts_and_latest_snapshot(scheduled: Dependencies) -> None:
    land(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    outcome = deliver(
        scheduled, "ingest", "raw-objects", storage_event(scheduled, "lines/2025-01-14_open.csv")
    )
    assert outcome.status == "success"
    assert outcome.published == ("lines-loaded", "lines-loaded")
    events = [event for topic, event in scheduled.bus.published if topic == "lines-loaded"]  # type: ignore[attr-defined]
    by_date = {event.game_date: event for event in events if isinstance(event, LinesLoaded)}
    first, second = by_date[date(2025, 1, 14)], by_date[date(2025, 1, 15)]
    assert (first.rows_loaded, first.rows_rejected) == (2, 1)
    assert first.latest_snapshot_at == datetime(2025, 1, 15, 3, 30, tzinfo=UTC)
    assert (second.rows_loaded, second.rows_rejected) == (1, 0)
    assert second.latest_snapshot_at == datetime(2025, 1, 15, 14, 0, tzinfo=UTC)
    assert first.source_object == "lines/2025-01-14_open.csv"


def test_boxscores_loaded_published_and_schedule_injuries_publish_nothing(deps: Dependencies) -> None:
    for name, text in [("schedule/season.csv", SCHEDULE_CSV), ("injuries/2025-01-14.csv", INJURIES_CSV)]:
        land(deps, name, text)
        outcome = deliver(deps, "ingest", "raw-objects", storage_event(deps, name))
        assert (outcome.status, outcome.published) == ("success", ())
    land(deps, "boxscores/2025-01-14.csv", BOX_CSV)
    outcome = deliver(deps, "ingest", "raw-objects", storage_event(deps, "boxscores/2025-01-14.csv"))
    assert outcome.published == ("boxscores-loaded",)
    assert outcome.game_date == date(2025, 1, 14)
    (event,) = [e for t, e in deps.bus.published if t == "boxscores-loaded"]  # type: ignore[attr-defined]
    assert isinstance(event, BoxscoresLoaded)
    assert (event.game_date, event.rows_loaded, event.rows_rejected) == (date(2025, 1, 14), 2, 1)


def test_the_same_cloud_event_twice_leaves_every_table_unchanged(scheduled: Dependencies) -> None:
    land(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    event = storage_event(scheduled, "lines/2025-01-14_open.csv")
    cloud_event = cloud_event_for("ingest", "raw-objects", event, message_id="m-42")
    first = handle_cloud_event("ingest", cloud_event, scheduled)
    before = snapshot(scheduled)
    second = handle_cloud_event("ingest", cloud_event, scheduled)
    assert snapshot(scheduled) == before
    assert (first.status, second.status) == ("success", "success")
    assert first.rows_written == 3
    assert second.rows_written == 0
    # and a redelivery with a later publish time (a new CloudEvent for the same object) changes nothing either
    deliver(scheduled, "ingest", "raw-objects", event, message_id="m-43")
    assert snapshot(scheduled) == before


def test_non_finalize_notifications_are_skipped(scheduled: Dependencies) -> None:
    land(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    cloud_event = cloud_event_for(
        "ingest", "raw-objects", storage_event(scheduled, "lines/2025-01-14_open.csv")
    )
    cloud_event.data["message"]["attributes"].update(
        {"eventType": "OBJECT_DELETE", "bucketId": "courtside-raw"}
    )
    outcome = handle_cloud_event("ingest", cloud_event, scheduled)
    assert outcome.status == "skipped"
    assert "OBJECT_DELETE" in outcome.detail
    assert rows(scheduled, "prop_line_snapshots") == []


def test_finalize_notifications_are_ingested(scheduled: Dependencies) -> None:
    land(scheduled, "lines/2025-01-14_open.csv", LINES_CSV)
    cloud_event = cloud_event_for(
        "ingest", "raw-objects", storage_event(scheduled, "lines/2025-01-14_open.csv")
    )
    cloud_event.data["message"]["attributes"]["eventType"] = "OBJECT_FINALIZE"
    assert handle_cloud_event("ingest", cloud_event, scheduled).rows_written == 3


# -- rows held until their game is known ------------------------------------------------------------


def test_rows_refused_only_for_an_unknown_game_are_loaded_when_the_schedule_arrives(
    deps: Dependencies,
) -> None:
    land(deps, "lines/early.csv", LINES_CSV)
    land(deps, "boxscores/early.csv", BOX_CSV)
    for name in ("lines/early.csv", "boxscores/early.csv"):
        assert deliver(deps, "ingest", "raw-objects", storage_event(deps, name)).status == "rejected"
    assert {r[3] for r in rejects(deps)} >= {"unknown_game"}

    land(deps, "schedule/season.csv", SCHEDULE_CSV)
    outcome = deliver(deps, "ingest", "raw-objects", storage_event(deps, "schedule/season.csv"))

    assert outcome.status == "success"
    assert "re-drove held file(s): boxscores/early.csv, lines/early.csv" in outcome.detail
    assert len(rows(deps, "prop_line_snapshots")) == 3  # the averaged line stays refused on its own merits
    assert len(rows(deps, "boxscores")) == 2  # 71 minutes stays out_of_range
    assert sorted(r[3] for r in rejects(deps)) == ["line_not_half_point", "out_of_range"]
    published = [topic for topic, _ in deps.bus.published]  # type: ignore[attr-defined]
    assert published.count("lines-loaded") == 2 and published.count("boxscores-loaded") == 1
    # Landing the schedule again re-drives nothing: nothing is held any more.
    again = deliver(deps, "ingest", "raw-objects", storage_event(deps, "schedule/season.csv"), "msg-2")
    assert "re-drove" not in again.detail


def test_rows_of_a_game_still_unknown_stay_held_in_rejects(deps: Dependencies) -> None:
    stray = LINES_HEADER + "G9,2025-01-14,p9,Somebody,DraftKings,10.5,-110,-110,2025-01-14T15:00:00Z\n"
    land(deps, "lines/stray.csv", LINES_CSV + stray.split("\n", 1)[1])
    deliver(deps, "ingest", "raw-objects", storage_event(deps, "lines/stray.csv"))
    land(deps, "schedule/season.csv", SCHEDULE_CSV)
    deliver(deps, "ingest", "raw-objects", storage_event(deps, "schedule/season.csv"))

    held = [r for r in rejects(deps) if r[3] == "unknown_game"]
    assert held == [("lines/stray.csv", 5, "game_id", "unknown_game", "G9")]
    assert len(rows(deps, "prop_line_snapshots")) == 3


# -- plausible dates and Parquet date types ---------------------------------------------------------


@pytest.mark.parametrize("year", ["1900", "2999"])
def test_injury_and_schedule_rows_dated_1900_or_2999_are_rejected(deps: Dependencies, year: str) -> None:
    schedule = SCHEDULE_CSV.replace(
        "G3,2025-01-15,2025-01-16T00:00:00Z", f"G3,{year}-01-15,{year}-01-16T00:00:00Z"
    )
    injuries = INJURIES_CSV.replace(
        "2025-01-14,p1,OUT,2025-01-14T21:00:00Z", f"{year}-01-14,p1,OUT,{year}-01-14T21:00:00Z"
    )
    assert ingest(deps, "schedule/season.csv", schedule).reasons == {"implausible_date": 1}
    assert ingest(deps, "injuries/2025-01-14.csv", injuries).reasons == {"implausible_date": 1}
    assert len(rows(deps, "schedule")) == 2 and len(rows(deps, "injuries")) == 1
    assert ("injuries/2025-01-14.csv", 2, "game_date", "implausible_date", f"{year}-01-14") in rejects(deps)


def test_an_injury_report_published_far_from_its_game_is_rejected(deps: Dependencies) -> None:
    stale = INJURIES_CSV.replace(
        "2025-01-14,p1,OUT,2025-01-14T21:00:00Z", "2025-01-14,p1,OUT,2024-06-01T21:00:00Z"
    )
    assert ingest(deps, "injuries/2025-01-14.csv", stale).reasons == {"implausible_timestamp": 1}


def test_parquet_dates_stored_as_date_or_timestamp_are_both_accepted(deps: Dependencies) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    reported = [datetime(2025, 1, 14, 17, tzinfo=UTC), datetime(2025, 1, 14, 21, tzinfo=UTC)]
    day = datetime(2025, 1, 14)
    for name, dates in [
        ("injuries/as-date.parquet", pa.array([day.date()] * 2, pa.date32())),
        ("injuries/as-timestamp.parquet", pa.array([day] * 2, pa.timestamp("ns"))),
        (
            "injuries/as-utc-timestamp.parquet",
            pa.array([day.replace(tzinfo=UTC)] * 2, pa.timestamp("us", "UTC")),
        ),
    ]:
        table = pa.table(
            {
                "game_date": dates,
                "player_id": ["p1", "p1"],
                "status": ["QUESTIONABLE", "OUT"],
                "reported_at": pa.array(reported, pa.timestamp("us", tz="UTC")),
            }
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        report = ingest(deps, name, buffer.getvalue())
        assert (report.rows_valid, report.reasons) == (2, {}), name
    assert [r["game_date"] for r in rows(deps, "injuries")] == [date(2025, 1, 14)] * 2


def test_a_large_file_is_read_validated_and_written_a_chunk_at_a_time(
    scheduled: Dependencies, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bounded memory: never every record of a file at once (the peak itself is measured by make bench)."""
    from shared.domain import raw_validation
    from shared.services import ingest as service

    monkeypatch.setattr(readers, "CHUNK_RECORDS", 50)
    validated: list[int] = []
    written: list[int] = []
    validate, replace_rows = raw_validation.validate_records, scheduled.warehouse.replace_rows

    def counting_validate(kind: Any, records: Any, *args: Any) -> Any:
        validated.append(len(records))
        return validate(kind, records, *args)

    def counting_replace(table: str, rows: Any, key: Any) -> int:
        if table == "nba_raw.prop_line_snapshots":
            written.append(len(rows))
        return replace_rows(table, rows, key)

    monkeypatch.setattr(service, "validate_records", counting_validate)
    monkeypatch.setattr(scheduled.warehouse, "replace_rows", counting_replace)
    body = "".join(
        f"G1,2025-01-14,p{i},Player {i},DraftKings,{10 + i % 20}.5,-110,-110,2025-01-14T15:00:00Z\n"
        for i in range(230)
    )
    report = ingest(scheduled, "lines/large.csv", LINES_HEADER + body)

    assert report.rows_valid == 230
    assert validated == [50, 50, 50, 50, 30]
    assert written == [50, 50, 50, 50, 30]
