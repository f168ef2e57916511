"""One broken stream does not stop the others; the schema guard on a real tap's output."""

from __future__ import annotations

import jsonschema
import pytest
from tap_zoom.tap import TapZoom

from standins.expectations import zoom_expected_counts
from tap_common.errors import AuthFailure
from tap_common.schema_guard import SchemaDriftError
from tap_common.tap import StreamsFailed
from tap_common.testing import run_sync

UNKNOWN_404 = {"code": 404, "message": "No such endpoint"}


def test_a_top_level_stream_failing_alone_lets_the_others_complete(standin, config):
    standin.inject(r"^/v2/report/daily$", 404, UNKNOWN_404, times=100)

    result = run_sync(TapZoom, config, allow_failure=True)

    assert isinstance(result.error, StreamsFailed)
    assert "'daily_usage': FatalAPIError: HTTP 404" in str(result.error)
    expected = {k: n for k, n in zoom_expected_counts(standin).items() if n}
    expected.pop("daily_usage")
    assert result.counts() == expected
    assert result.state["bookmarks"]["past_meetings"]["replication_key_value"]
    assert result.tap.runtime.failures.keys() == {"daily_usage"}


def test_a_failing_child_stops_alone_and_its_parent_goes_on(standin, config):
    user = standin.users[0]["id"]
    standin.inject(rf"^/v2/users/{user}/webinars$", 400, {"code": 999, "message": "?"})
    config["max_concurrent_requests"] = 1  # no child fetched ahead: request counts are exact

    result = run_sync(
        TapZoom, config, streams=["users", "meetings", "webinars"], allow_failure=True
    )

    assert "'webinars'" in str(result.error)
    counts = zoom_expected_counts(standin)
    assert result.count("users") == counts["users"]
    assert result.count("meetings") == counts["meetings"]
    # the child sent no further request once it had failed
    assert len(standin.requests_to(r"/webinars$")) == 1


def test_fail_fast_stops_at_the_first_failure(standin, config):
    standin.inject(r"^/v2/report/daily$", 404, UNKNOWN_404, times=100)
    config["fail_fast"] = True

    result = run_sync(TapZoom, config, allow_failure=True)

    assert not isinstance(result.error, StreamsFailed)
    assert "HTTP 404" in str(result.error)
    # streams run in catalog order: active_hosts, then daily_usage failed and nothing after it
    assert set(result.records) == {"active_hosts"}


def test_credential_errors_still_stop_the_whole_run(standin, config):
    standin.inject(r"^/v2/users$", 403, {"code": 4711, "message": "no scope"}, times=100)

    result = run_sync(TapZoom, config, allow_failure=True)

    assert isinstance(result.error, AuthFailure)


def drifted_users(standin) -> dict:
    users = [dict(u) for u in standin.users[:3]]
    users[0]["type"] = {"plan": "pro"}  # integer column gets an object
    users[1]["pmi"] = "5551234567"  # numeric string where an integer is declared
    users[2]["brand_new"] = [1, 2]  # a field the schema does not know
    return {"page_size": 300, "next_page_token": "", "total_records": 3, "users": users}


def test_drifted_values_load_through_a_new_schema_sent_before_the_record(standin, config):
    config["user_statuses"] = ["active"]
    standin.inject(r"^/v2/users$", 200, drifted_users(standin))

    result = run_sync(TapZoom, config, streams=["users"])

    schema = None
    for message in result.messages:
        if message["type"] == "SCHEMA":
            schema = message["schema"]
        elif message["type"] == "RECORD":
            jsonschema.validate(message["record"], schema)
            assert set(message["record"]) <= set(schema["properties"])
    rows = result.records["users"]
    assert rows[0]["type"] is None
    assert rows[0]["type__v_json"] == {"plan": "pro"}
    assert rows[1]["pmi"] == 5551234567
    assert rows[2]["brand_new"] == [1, 2]
    assert result.tap.runtime.drift.fields == 3


def test_schema_drift_fail_names_the_stream_and_field(standin, config):
    config.update(user_statuses=["active"], schema_drift="fail")
    standin.inject(r"^/v2/users$", 200, drifted_users(standin))

    with pytest.raises(SchemaDriftError, match=r"stream 'users', field 'type'"):
        run_sync(TapZoom, config, streams=["users"])


def test_a_record_without_its_key_fails_its_stream_naming_the_endpoint(standin, config):
    config["user_statuses"] = ["active"]
    body = drifted_users(standin)
    del body["users"][1]["id"]
    standin.inject(r"^/v2/users$", 200, body)

    result = run_sync(TapZoom, config, streams=["users"], allow_failure=True)

    assert "'users'" in str(result.error)
    assert "/users" in str(result.error)
    assert "primary key 'id'" in str(result.error)
    assert result.count("users") == 1
