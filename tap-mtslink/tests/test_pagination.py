"""The three pagination styles, each with the largest page the endpoint allows."""

from __future__ import annotations

import base64
import json


def test_page_per_page_stops_on_a_short_page(standin, config, sync):
    result = sync(config, streams=["participations"])

    big = standin.big_session_id
    pages = standin.requests_to(rf"/eventsessions/{big}/participations$")
    assert [(r.query["page"], r.query["perPage"]) for r in pages] == [
        (["1"], ["500"]),
        (["2"], ["500"]),
    ]
    assert len(standin.participations[big]) > 500  # two pages, the second one short
    got = [p["id"] for p in result.records["participations"] if p["eventSessionId"] == big]
    assert got == [p["id"] for p in standin.participations[big]]
    # Small sessions take a single request each.
    small = [sid for sid, rows in standin.participations.items() if 0 < len(rows) < 500]
    assert all(len(standin.requests_to(rf"/eventsessions/{s}/participations$")) == 1 for s in small)


def test_page_size_on_a_page_boundary_asks_once_more(make_standin, config_for, sync):
    built, url = make_standin(big_session=1000)
    result = sync(config_for(url), streams=["participations"])

    pages = built.requests_to(rf"/eventsessions/{built.big_session_id}/participations$")
    assert [r.query["page"][0] for r in pages] == ["1", "2", "3"]  # the third comes back empty
    big = [
        p for p in result.records["participations"] if p["eventSessionId"] == built.big_session_id
    ]
    assert len(big) == 1000


def test_records_page_by_offset_and_limit(make_standin, config_for, sync):
    built, url = make_standin(records=1100)
    result = sync(config_for(url), streams=["records"])

    pages = built.requests_to(r"/v3/records$")
    assert [(r.query["offset"][0], r.query["limit"][0]) for r in pages] == [
        ("0", "500"),
        ("500", "500"),
        ("1000", "500"),
    ]
    assert [r["id"] for r in result.records["records"]] == [r["id"] for r in built.records]


def test_transcripts_follow_the_cursor(make_standin, config_for, sync):
    built, url = make_standin(transcript_page_cap=1)
    result = sync(config_for(url), streams=["transcripts"])

    sid = max(built.transcripts, key=lambda s: len(built.transcripts[s]))
    assert len(built.transcripts[sid]) > 1
    pages = built.requests_to(rf"/eventsessions/{sid}/transcript/list$")
    assert len(pages) == len(built.transcripts[sid])
    assert "cursor" not in pages[0].query
    assert all(r.query["perPage"] == ["1000"] for r in pages)
    offsets = [json.loads(base64.urlsafe_b64decode(r.query["cursor"][0]))["o"] for r in pages[1:]]
    assert offsets == list(range(1, len(pages)))
    got = [t["id"] for t in result.records["transcripts"] if t["eventSessionId"] == sid]
    assert got == [t["id"] for t in built.transcripts[sid]]


def test_wrapped_pages_are_unwrapped(standin, config, sync):
    result = sync(config, streams=["attention_interactions", "converted_records", "courses"])

    assert result.count("attention_interactions") == sum(
        len(v) for k, v in standin.interactions.items() if k not in standin.deleted_sessions
    )
    assert {c["id"] for c in result.records["courses"]} == {c["id"] for c in standin.courses}
    requests = standin.requests_to(r"/converted-records$")
    assert all(r.query["perPage"] == ["500"] for r in requests)


def test_every_page_of_a_window_asks_the_same_dates(make_standin, config_for, sync):
    # Pages 0.6 s apart: a "to" of "now" per page would change from one page to the next.
    built, url = make_standin(records=1100, latency=0.6)
    sync(config_for(url), streams=["records"])

    pages = built.requests_to(r"/v3/records$")
    assert len(pages) == 3
    assert len({(r.query["from"][0], r.query["to"][0]) for r in pages}) == 1
