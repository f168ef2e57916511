"""Postlogs: bulk pages without postId, the per-post fallback when refused, and their costs."""

from __future__ import annotations

import json
import logging

import pytest
import requests
from singer_sdk.exceptions import FatalAPIError
from tap_oktopost.streams.postlogs import BulkRefused, PostlogsStream, refuses_bulk
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common.testing import run_sync

REFUSED = "Oktopost refused to list postlogs without postId"
BULK_COUNT = "100"


def _sorted(rows):
    return sorted(rows, key=lambda r: r["Id"])


def _schema(result, stream):
    return next(
        m["schema"] for m in result.messages if m["type"] == "SCHEMA" and m["stream"] == stream
    )


def _split(standin):
    """The postlog requests without postId (bulk) and the postId of each of the others."""
    calls = standin.requests_to(r"^/v2/postlog$")
    return [c for c in calls if c.arg("postId") is None], [
        c.arg("postId") for c in calls if c.arg("postId")
    ]


def test_bulk_and_per_post_give_the_same_records_schema_and_state(make_standin, caplog):
    bulk_standin, bulk_url = make_standin(campaigns=20)
    per_standin, per_url = make_standin(campaigns=20, postlog_bulk=0)

    bulk = run_sync(TapOktopost, oktopost_standin.tap_config(bulk_url), streams=["postlogs"])
    per_post = run_sync(TapOktopost, oktopost_standin.tap_config(per_url), streams=["postlogs"])

    # Bulk: pages of the largest _count, withStats=1 as the notes cite the call, no postId.
    bulk_calls, bulk_ids = _split(bulk_standin)
    assert not bulk_ids
    assert [c.arg("_page") for c in bulk_calls] == ["0"]  # 68 postlogs: one short page
    assert {(c.arg("withStats"), c.arg("_count")) for c in bulk_calls} == {("1", BULK_COUNT)}
    # Per post: the refused bulk page, then each post once.
    refused, per_ids = _split(per_standin)
    assert len(refused) == 1
    assert sorted(per_ids) == sorted(p["Id"] for p in per_standin.posts)

    assert bulk.count("postlogs") == len(bulk_standin.postlogs) > 0
    assert _sorted(bulk.records["postlogs"]) == _sorted(per_post.records["postlogs"])
    assert all(isinstance(r["Stats"], dict) for r in bulk.records["postlogs"])  # kept
    assert {r["Id"]: r["PostId"] for r in bulk.records["postlogs"]} == {
        x["Id"]: x["PostId"] for x in bulk_standin.postlogs
    }
    assert _schema(bulk, "postlogs") == _schema(per_post, "postlogs")
    assert bulk.state["bookmarks"]["postlogs"] == per_post.state["bookmarks"]["postlogs"]
    assert "partitions" not in bulk.state["bookmarks"]["postlogs"]
    assert caplog.text.count(REFUSED) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"Result": False, "Errors": ["Missing required field: postId"]}),
        (404, {"Result": False, "Errors": []}),
        (400, {"Result": False, "Errors": {"API": {"Error": "postId is required"}}}),
    ],
    ids=["result-false-200", "404", "400"],
)
def test_a_refused_bulk_listing_falls_back_to_one_request_per_post(
    standin, config, caplog, status, body
):
    standin.inject(r"^/v2/postlog$", status, body)

    result = run_sync(TapOktopost, config, streams=["postlogs"])

    bulk_calls, per_ids = _split(standin)
    assert len(bulk_calls) == 1
    assert sorted(per_ids) == sorted(p["Id"] for p in standin.posts)
    assert result.count("postlogs") == len(standin.postlogs)
    assert caplog.text.count(REFUSED) == 1
    assert result.tap.runtime.failures == {}


def test_no_permission_on_the_bulk_listing_skips_the_stream_without_per_post_requests(
    standin, config, caplog
):
    standin.inject(
        r"^/v2/postlog$", 403, {"Result": False, "Errors": {"API": {"Error": "No permission"}}}
    )

    result = run_sync(TapOktopost, config, streams=["postlogs", "users"])

    assert len(standin.requests_to(r"^/v2/postlog$")) == 1
    assert not standin.requests_to(r"^/v2/post$")
    assert result.count("postlogs") == 0
    assert result.count("users") == len(standin.users)
    assert REFUSED not in caplog.text
    assert "No permission" in caplog.text


def test_a_post_deleted_meanwhile_is_skipped_in_per_post_mode(make_standin, caplog):
    standin, url = make_standin(postlog_bulk=0)
    config = oktopost_standin.tap_config(url, max_concurrent_requests=1)
    gone = standin.posts[0]["Id"]
    # The second /postlog request is the first post's: it was deleted after being listed.
    standin.inject(r"^/v2/postlog$", 404, {"Result": False, "Errors": []}, times=2)

    result = run_sync(TapOktopost, config, streams=["postlogs"])

    _, per_ids = _split(standin)
    assert per_ids[0] == gone
    kept = [x for x in standin.postlogs if x["PostId"] != gone]
    assert len(kept) < len(standin.postlogs)
    assert gone not in {r["PostId"] for r in result.records["postlogs"]}
    assert result.count("postlogs") == len(kept)
    assert result.tap.runtime.ledger.total == 1
    assert result.tap.runtime.failures == {}


def test_per_post_fills_the_post_id_the_answer_leaves_out(make_standin):
    standin, url = make_standin(postlog_bulk=0)
    config = oktopost_standin.tap_config(url, max_concurrent_requests=1)
    orphan = {k: v for k, v in standin.postlogs[-1].items() if k != "PostId"}
    orphan["Id"] = "007999999999999"
    standin.inject(r"^/v2/postlog$", 200, {"Result": False, "Errors": ["postId"]})
    standin.inject(r"^/v2/postlog$", 200, {"Result": True, "Postlogs": [orphan]})

    result = run_sync(TapOktopost, config, streams=["postlogs"])

    _, per_ids = _split(standin)
    filled = next(r for r in result.records["postlogs"] if r["Id"] == orphan["Id"])
    assert filled["PostId"] == per_ids[0] == standin.posts[0]["Id"]


@pytest.mark.parametrize("bulk", [1, 0], ids=["bulk", "per-post"])
def test_a_new_postlog_of_an_old_post_is_read_on_the_rerun(make_standin, bulk):
    standin, url = make_standin(postlog_bulk=bulk)
    config = oktopost_standin.tap_config(url)
    first = run_sync(TapOktopost, config, streams=["posts", "postlogs"])
    old_post = standin.posts[0]
    new = dict(standin.postlogs[0], Id="007999999999999", PostId=old_post["Id"])
    standin.postlogs.append(new)
    standin.clear()

    second = run_sync(TapOktopost, config, streams=["posts", "postlogs"], state=first.state)

    # Posts are incremental: the rerun asks only for the newest; postlogs are read in full.
    assert second.count("posts") < first.count("posts")
    assert old_post["Id"] not in {r["Id"] for r in second.records["posts"]}
    assert second.count("postlogs") == first.count("postlogs") + 1
    assert new["Id"] in {r["Id"] for r in second.records["postlogs"]}


def test_bulk_sends_far_fewer_requests_than_per_post_on_a_mid_size_account(make_standin):
    counts = {}
    for bulk in (1, 0):
        standin, url = make_standin(campaigns=40, postlog_bulk=bulk)
        result = run_sync(TapOktopost, oktopost_standin.tap_config(url), streams=["postlogs"])
        assert result.count("postlogs") == len(standin.postlogs)
        counts[bulk] = len(standin.requests_to(r"^/v2/(postlog|post)$"))
    posts, postlogs = len(standin.posts), len(standin.postlogs)

    assert posts > 100
    assert counts[1] == -(-postlogs // 100)  # 170 postlogs: 2 pages
    # The refused page, the posts listed by pages of 100, then one request per post.
    assert counts[0] == 1 + -(-posts // 100) + posts
    assert counts[1] * 20 < counts[0]


# --- units ----------------------------------------------------------------------------------


def _response(status, body, query="withStats=1&_page=0&_count=100"):
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.url = f"https://api.oktopost.com/v2/postlog?{query}"
    return response


@pytest.mark.parametrize(
    ("status", "body", "refused"),
    [
        (200, {"Result": False, "Errors": ["Missing required field: postId"]}, True),
        (200, {"Errors": {"api": {"message": "postId"}}, "Result": False}, True),
        (404, {"Result": False, "Errors": []}, True),
        (400, {}, True),
        (200, {"Result": True, "Postlogs": []}, False),
        (401, {"Result": False}, False),
        (403, {"Result": False}, False),
        (429, {"Result": False}, False),
        (500, {"Result": False}, False),
    ],
)
def test_what_counts_as_a_refusal_of_the_bulk_listing(status, body, refused):
    assert refuses_bulk(_response(status, body)) is refused


def test_a_refusal_of_a_per_post_request_is_not_taken_for_a_bulk_refusal(config):
    tap = TapOktopost(config=config, setup_mapper=False, validate_config=False)
    stream = PostlogsStream(tap=tap)
    body = {"Result": False, "Errors": ["Something else"]}

    with pytest.raises(FatalAPIError) as raised:
        stream.classify_error(_response(200, body, query="postId=004000000000001&_page=0"))

    assert not isinstance(raised.value, BulkRefused)
    with pytest.raises(BulkRefused):
        stream.classify_error(_response(200, body))


def test_a_refusal_after_the_first_bulk_page_fails_instead_of_falling_back(
    config, monkeypatch, caplog
):
    tap = TapOktopost(config=config, setup_mapper=False, validate_config=False)
    stream = PostlogsStream(tap=tap)
    asked = []

    def pages(context):
        asked.append(context)
        yield {"Id": "007000000000001", "PostId": "004000000000001", "Stats": {"Likes": 1}}
        raise BulkRefused("HTTP 200: Missing required field: postId")

    monkeypatch.setattr(stream, "request_records", pages)

    with caplog.at_level(logging.WARNING), pytest.raises(BulkRefused):
        list(stream.fetch_records(None))

    assert asked == [None]  # no per-post request followed
    assert stream.bulk is True
    assert REFUSED not in caplog.text
