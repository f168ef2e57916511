"""Full runs against the stand-in: counts, pagination, parents and children, typing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tap_oktopost.client import api_datetime
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common.testing import run_sync


def test_every_stream_emits_exactly_the_expected_counts(standin, config):
    result = run_sync(TapOktopost, config)

    assert result.counts() == oktopost_standin.expected_counts(standin)


def test_primary_keys_are_unique_in_every_stream(standin, config):
    tap = TapOktopost(config=config)
    keys = {name: stream.primary_keys for name, stream in tap.streams.items()}
    result = run_sync(TapOktopost, config)

    for name, rows in result.records.items():
        seen = {tuple(row[k] for k in keys[name]) for row in rows}
        assert len(seen) == len(rows), name
        assert all(None not in key for key in seen), name


def test_pages_count_from_zero_and_stop_on_total(standin, config):
    config["page_size"] = 25
    result = run_sync(TapOktopost, config, streams=["clicks", "users"])

    assert result.count("clicks") == len(standin.clicks)
    calls = standin.requests_to(r"^/v2/click$")
    # clicks allow 200 but the setting asks 25: ceil(57 / 25) pages, none after the total.
    assert [c.arg("_page") for c in calls] == [str(i) for i in range(-(-len(standin.clicks) // 25))]
    assert {c.arg("_count") for c in calls} == {"25"}
    assert len(standin.requests_to(r"^/v2/user$")) == 1  # 7 users < 25: Total ends it


def test_largest_page_sizes_by_default(standin, config):
    run_sync(TapOktopost, config, streams=["clicks", "campaigns", "postlogs"])

    assert {c.arg("_count") for c in standin.requests_to(r"^/v2/click$")} == {"200"}
    assert {c.arg("_count") for c in standin.requests_to(r"^/v2/campaign$")} == {"100"}
    assert {c.arg("_count") for c in standin.requests_to(r"^/v2/postlog$")} == {"100"}


def test_bi_export_list_pages_without_count(standin, config, sync):
    result = sync(config, streams=["bi_exports"])

    calls = standin.requests_to(r"^/v2/bi-export$")
    assert result.count("bi_exports") == len(standin.exports)
    assert [c.arg("_page") for c in calls] == ["0", "1"]
    assert all(c.arg("_count") is None for c in calls)


def test_postlogs_without_total_stop_on_a_short_page(make_standin):
    standin, url = make_standin(campaigns=20)
    config = oktopost_standin.tap_config(url, page_size=25)
    result = run_sync(TapOktopost, config, streams=["postlogs"])

    assert result.count("postlogs") == len(standin.postlogs)
    # Bulk pages of 25 without postId: a page shorter than _count ends it (there is no Total).
    pages = -(-len(standin.postlogs) // 25)
    assert pages > 1
    assert len(standin.postlogs) % 25  # the last page is short (else one empty page follows)
    calls = standin.requests_to(r"^/v2/postlog$")
    assert [c.arg("_page") for c in calls] == [str(i) for i in range(pages)]
    assert all(c.arg("postId") is None and c.arg("_count") == "25" for c in calls)
    for row in result.records["postlogs"]:
        assert row["PostId"]


def test_messages_are_read_per_campaign_with_campaign_id(standin, config):
    result = run_sync(TapOktopost, config, streams=["campaigns", "messages"])

    calls = standin.requests_to(r"^/v2/message$")
    assert sorted(c.arg("campaignId") for c in calls) == sorted(c["Id"] for c in standin.campaigns)
    assert result.count("messages") == len(standin.messages)


def test_loose_values_follow_the_schema(standin, config):
    result = run_sync(
        TapOktopost, config, streams=["campaigns", "social_profiles", "tags", "clicks", "users"]
    )

    campaigns = {c["Id"]: c for c in result.records["campaigns"]}
    for raw in standin.campaigns:
        row = campaigns[raw["Id"]]
        assert row["EndDate"] is None  # "0000-00-00 00:00:00"
        assert isinstance(row["TotalDraftPosts"], int)  # a numeric string
        assert row["Tags"] == raw["Tags"]  # an object of id -> name, or [] when empty
        if raw["StartDate"].startswith("0000"):
            assert row["StartDate"] is None
        else:
            assert row["StartDate"].endswith("Z")
    assert {type(p["NativePostsEnabled"]) for p in result.records["social_profiles"]} == {bool}
    # Tag "Used" is not in the API notes: any JSON, kept as the API sent it.
    used = {t["Id"]: t["Used"] for t in standin.tags}
    assert {t["Id"]: t["Used"] for t in result.records["tags"]} == used
    # Picture is "1" or 1 (notes §1.3): integer or string, numeric strings read as integers.
    assert {c["Picture"] for c in result.records["clicks"]} == {0, 1}
    zero = [c for c in standin.clicks if c["ConvertedDate"].startswith("0000")]
    assert sum(c["ConvertedDate"] is None for c in result.records["clicks"]) == len(zero)
    assert [u for u in result.records["users"] if u["LastLogin"] is None]


WINDOWED = [("clicks", r"^/v2/click$"), ("posts", r"^/v2/post$")]


def _rows(standin, stream):
    return standin.clicks if stream == "clicks" else standin.posts


@pytest.mark.parametrize(("stream", "path"), WINDOWED, ids=[s for s, _ in WINDOWED])
def test_a_rerun_asks_the_api_only_for_what_was_created_since(standin, config, stream, path):
    first = run_sync(TapOktopost, config, streams=[stream])
    bookmark = first.state["bookmarks"][stream]["replication_key_value"]
    assert bookmark == max(r["Created"] for r in first.records[stream])
    assert first.count(stream) == len(_rows(standin, stream))
    standin.clear()

    second = run_sync(TapOktopost, config, streams=[stream], state=first.state)

    (call,) = standin.requests_to(path)
    assert call.arg("after") == bookmark.removesuffix("Z")
    # The window closes when the run began: records created meanwhile wait for the next run.
    assert call.arg("before") == api_datetime(second.tap.run_started)
    assert call.arg("_order") == "created"
    assert second.count(stream) == sum(
        r["Created"] >= bookmark.replace("T", " ").removesuffix("Z") for r in _rows(standin, stream)
    )
    assert second.count(stream) < first.count(stream)
    assert second.state["bookmarks"][stream]["replication_key_value"] == bookmark


@pytest.mark.parametrize(("stream", "path"), WINDOWED, ids=[s for s, _ in WINDOWED])
def test_start_date_goes_to_the_api(standin, config, stream, path):
    config["start_date"] = "2025-02-20T00:00:00Z"
    result = run_sync(TapOktopost, config, streams=[stream])

    (call,) = standin.requests_to(path)
    assert call.arg("after") == "2025-02-20T00:00:00"
    assert call.arg("before") == api_datetime(result.tap.run_started)
    expected = sum(r["Created"] >= "2025-02-20" for r in _rows(standin, stream))
    assert 0 < expected < len(_rows(standin, stream))
    assert result.count(stream) == expected


def test_records_created_after_the_run_began_wait_for_the_next_run(make_standin):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)
    late = dict(standin.clicks[-1], Id="009999999999999", Created="2999-01-01 00:00:00")
    standin.clicks.append(late)

    result = run_sync(TapOktopost, config, streams=["clicks"])

    assert result.count("clicks") == len(standin.clicks) - 1
    assert late["Id"] not in {r["Id"] for r in result.records["clicks"]}


def test_api_datetime_is_utc_without_fractions():
    aware = datetime(2025, 6, 1, 2, 30, 15, 999999, tzinfo=timezone(timedelta(hours=2)))
    assert api_datetime(aware) == "2025-06-01T00:30:15"
    assert api_datetime(datetime(2025, 6, 1, 0, 30, 15)) == "2025-06-01T00:30:15"


def test_region_picks_the_host(config):
    del config["api_url"]
    assert TapOktopost(config=config, setup_mapper=False).api_url == "https://api.oktopost.com/v2"
    config["region"] = "eu"
    assert TapOktopost(config=config, setup_mapper=False).api_url == (
        "https://eu-api.oktopost.com/v2"
    )


def test_stories_are_read_per_board_and_keyed_by_capital_id(standin, config):
    result = run_sync(TapOktopost, config, streams=["boards", "stories", "advocates"])

    calls = standin.requests_to(r"^/v2/story$")
    assert sorted(c.arg("boardId") for c in calls) == sorted(b["Id"] for b in standin.boards)
    assert sorted(r["ID"] for r in result.records["stories"]) == sorted(
        s["ID"] for s in standin.stories
    )
    # The notes list no board field: any JSON, kept as the API sent it.
    assert sorted(b["TotalAdvocates"] for b in result.records["boards"]) == sorted(
        b["TotalAdvocates"] for b in standin.boards
    )
    assert all(r["ExpirationDate"] is None for r in result.records["stories"])
    assert result.count("advocates") == len(standin.advocates)
