"""Drift mode and the break-one-stream switches of every stand-in (``standins.drift``)."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
import requests

from standins import __main__ as cli
from standins import drift, mtslink, oktopost, stepik, zoom
from standins.drift import MISSING, Drifter
from standins.expectations import zoom_expected_counts

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)
OKTO_AUTH = (oktopost.ACCOUNT_ID, oktopost.API_KEY)
MTS = {"x-auth-token": mtslink.API_TOKEN}
WINDOW = {"from": "2026-04-25", "to": "2026-05-20"}


# --- helpers ----------------------------------------------------------------------------------


def value_at(record, path):
    """The value at ``path`` (keys and list indexes), ``MISSING`` if it is not there."""
    node = record
    for step in path:
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if not (in_dict or in_list):
            return MISSING
        node = node[step]
    return node


def key_text(key):
    return json.dumps(key, sort_keys=True)


def assert_changes_match(changes, served, stored):
    """Every change's ``after`` is what was served and its ``before`` what is stored.

    ``served``/``stored``: key text -> record.
    """
    assert changes
    for change in changes:
        text = key_text(change["key"])
        assert value_at(served[text], change["path"]) == change["after"], change
        assert value_at(stored[text], change["path"]) == change["before"], change


def zoom_pages(session, url, path, key, **params):
    records, token = [], ""
    while True:
        body = session.get(
            f"{url}/v2{path}", params={**params, "next_page_token": token}, timeout=5
        ).json()
        records += body[key]
        token = body["next_page_token"]
        if not token:
            return records


def zoom_served(standin, zoom_session):
    """Users, and each licensed host's recordings, as served."""
    with standin.serve() as url:
        session = zoom_session(url)
        users = zoom_pages(session, url, "/users", "users", page_size=2)
        recordings = []
        for user in standin.licensed_users:
            recordings += zoom_pages(
                session, url, f"/users/{user['id']}/recordings", "meetings", **WINDOW
            )
    return users, recordings


def zoom_stored_recordings(standin):
    return [
        r
        for rows in standin.recordings.values()
        for r in rows
        if WINDOW["from"] <= r["start_time"][:10] <= WINDOW["to"]
    ]


def mts_participations(standin, url, per_page=50):
    sid = standin.big_session_id
    rows, page = [], 1
    while True:
        chunk = requests.get(
            f"{url}/v3/eventsessions/{sid}/participations",
            params={"perPage": per_page, "page": page},
            headers=MTS,
            timeout=5,
        ).json()
        rows += chunk
        if len(chunk) < per_page:
            return rows
        page += 1


def stepik_get(platform_session, standin, url, path, **params):
    return platform_session(standin, url).get(f"{url}/api/{path}", params=params, timeout=5)


def stepik_all(platform_session, standin, url, resource):
    rows, page = [], 1
    while True:
        body = stepik_get(platform_session, standin, url, resource, page=page).json()
        rows += body[resource]
        if not body["meta"]["has_next"]:
            return rows
        page += 1


def csv_rows(payload, member):
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        text = archive.read(member).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


# --- the drifter on its own -------------------------------------------------------------------


def flat_records(n):
    return [
        {
            "id": i,
            "name": f"row {i}",
            "count": i * 3,
            "ratio": i / 7,
            "flag": bool(i % 2),
            "tags": ["a", "b"],
            "settings": {"audio": {"type": "voip"}, "level": i},
            "note": None,
        }
        for i in range(n)
    ]


def test_drifter_is_off_by_default():
    drifter = Drifter()
    record = flat_records(1)[0]

    assert not drifter.active
    assert drifter.drift_record("/x", record, {"id": 0}) == record
    assert drifter.changes == []


def test_the_share_of_changed_fields_is_about_p():
    drifter = Drifter(0.3, seed=11)
    records = flat_records(3000)
    for record in records:
        drifter.drift_record("/x", record, {"id": record["id"]}, protected={"id"})

    top = [c for c in drifter.changes if len(c["path"]) == 1 and c["kind"] != "extra"]
    eligible = len(records) * (len(records[0]) - 1)
    assert abs(len(top) / eligible - 0.3) < 0.02
    extras = [c for c in drifter.changes if c["kind"] == "extra" and len(c["path"]) == 1]
    assert abs(len(extras) / len(records) - 0.3) < 0.04


def test_drift_kinds_follow_the_json_type():
    drifter = Drifter(0.5, seed=3)
    for record in flat_records(400):
        drifter.drift_record("/x", record, {"id": record["id"]}, protected={"id"})
    by_field = {}
    for change in drifter.changes:
        if change["kind"] != "extra":
            by_field.setdefault(tuple(change["path"]), set()).add(change["kind"])

    assert by_field[("name",)] == {"null", "missing"}
    assert by_field[("count",)] == {"string", "object", "null", "missing"}
    assert by_field[("flag",)] == {"int", "null", "missing"}
    assert by_field[("tags",)] == {"object", "null", "missing"}
    assert by_field[("settings",)] == {"array", "empty_string", "json_text", "null", "missing"}
    assert by_field[("note",)] == {"missing"}
    assert ("settings", "audio", "type") in by_field  # nested fields drift too
    assert ("settings", "level") in by_field


def test_drifted_values_have_the_documented_forms():
    drifter = Drifter(1.0, seed=2)
    records = flat_records(300)
    for record in records:
        drifter.drift_record("/x", record, {"id": record["id"]}, protected={"id"})
    expected = {
        "string": str,
        "object": lambda before: (
            {str(i): v for i, v in enumerate(before)}
            if isinstance(before, list)
            else {"value": before}
        ),
        "int": int,
        "array": lambda _: [],
        "empty_string": lambda _: "",
        "json_text": json.dumps,
        "null": lambda _: None,
        "missing": lambda _: MISSING,
    }
    for change in drifter.changes:
        if change["kind"] == "extra":
            assert change["before"] == MISSING
            assert change["path"][-1].startswith("x_drift_")
        else:
            assert change["after"] == expected[change["kind"]](change["before"]), change


def test_decisions_depend_on_seed_resource_identity_and_path_only():
    first, again, other = Drifter(0.4, seed=5), Drifter(0.4, seed=5), Drifter(0.4, seed=6)
    records = flat_records(50)
    served = [first.drift_record("/x", r, {"id": r["id"]}) for r in records]

    assert [again.drift_record("/x", r, {"id": r["id"]}) for r in records] == served
    assert [other.drift_record("/x", r, {"id": r["id"]}) for r in records] != served
    # The same record under another resource drifts differently.
    assert [first.drift_record("/y", r, {"id": r["id"]}) for r in records] != served


def test_changes_are_recorded_once_however_often_served():
    drifter = Drifter(0.4, seed=5)
    record = flat_records(20)[7]
    drifter.drift_record("/x", record, {"id": 7})
    once = drifter.changes
    drifter.drift_record("/x", record, {"id": 7})

    assert drifter.changes == once


def test_the_original_record_is_left_alone():
    drifter = Drifter(1.0, seed=1)
    record = flat_records(3)[2]
    before = copy.deepcopy(record)
    drifter.drift_record("/x", record, {"id": 2})

    assert record == before


def test_the_log_file_gets_each_new_change_once(tmp_path):
    log = tmp_path / "changes.jsonl"
    drifter = Drifter("0.5", seed="4", log_path=log)
    for _ in range(2):
        for record in flat_records(10):
            drifter.drift_record("/x", record, {"id": record["id"]})

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines == drifter.changes


@pytest.mark.parametrize("bad", [-0.1, 1.5, "lots"])
def test_a_share_outside_0_1_is_refused(bad):
    with pytest.raises(ValueError):  # noqa: PT011 - float() and our own check both raise it
        Drifter(bad)


# --- zoom ---------------------------------------------------------------------------------------


def test_zoom_drift_is_the_same_for_the_same_seed_and_differs_for_another(zoom_session):
    first = zoom_served(zoom.build(now=NOW, drift=0.3, drift_seed=5), zoom_session)
    again = zoom_served(zoom.build(now=NOW, drift=0.3, drift_seed=5), zoom_session)
    other = zoom_served(zoom.build(now=NOW, drift=0.3, drift_seed=6), zoom_session)

    assert first == again
    assert first != other


def test_zoom_a_record_served_twice_drifts_the_same_and_logs_nothing_new(zoom_session):
    standin = zoom.build(now=NOW, drift=0.3, drift_seed=5)
    with standin.serve() as url:
        session = zoom_session(url)
        # Pages of two, then everything at once: each user is served twice.
        paged = zoom_pages(session, url, "/users", "users", page_size=2)
        changes = standin.drift.changes
        whole = zoom_pages(session, url, "/users", "users", page_size=300)

    assert paged == whole
    assert standin.drift.changes == changes


def test_zoom_changes_match_what_was_served_nested_fields_included(zoom_session):
    standin = zoom.build(now=NOW, drift=0.3, drift_seed=5)
    users, recordings = zoom_served(standin, zoom_session)

    served = {key_text({"id": u["id"]}): u for u in users}
    stored = {key_text({"id": u["id"]}): u for u in standin.users}
    assert_changes_match(standin.drift.changes_for("/v2/users"), served, stored)
    served = {key_text({"uuid": r["uuid"]}): r for r in recordings}
    stored = {key_text({"uuid": r["uuid"]}): r for r in zoom_stored_recordings(standin)}
    changes = standin.drift.changes_for("/v2/users/{userId}/recordings")
    assert_changes_match(changes, served, stored)
    assert any(c["path"][0] == "recording_files" and len(c["path"]) == 3 for c in changes)


def test_zoom_protected_fields_never_change_even_with_share_1(zoom_session):
    standin = zoom.build(now=NOW, drift=1.0, drift_seed=2)
    users, recordings = zoom_served(standin, zoom_session)

    assert [u["id"] for u in users] == [u["id"] for u in standin.users]
    stored = zoom_stored_recordings(standin)
    assert sorted((r["uuid"], r["id"], r["start_time"]) for r in recordings) == sorted(
        (r["uuid"], r["id"], r["start_time"]) for r in stored
    )
    for change in standin.drift.changes:
        assert not set(change["path"]) & zoom.PROTECTED, change
    # Every other field did change.
    assert not any(u.get("email") == s["email"] for u, s in zip(users, standin.users, strict=True))


def test_zoom_participants_are_keyed_by_their_meeting_instance(zoom_session):
    standin = zoom.build(now=NOW, drift=0.3, drift_seed=5)
    meeting = next(m for m in standin.report_instances if m["uuid"] not in standin.deleted_uuids)
    with standin.serve() as url:
        session = zoom_session(url)
        raw = requests.utils.quote(requests.utils.quote(meeting["uuid"], safe=""), safe="")
        rows = zoom_pages(session, url, f"/report/meetings/{raw}/participants", "participants")

    changes = standin.drift.changes_for("/v2/report/meetings/{meetingUUID}/participants")
    assert len(rows) == len(standin.participants[meeting["uuid"]])
    assert changes
    assert all(c["key"]["meeting_uuid"] == meeting["uuid"] for c in changes)
    assert all({"user_id", "join_time"} <= set(c["key"]) for c in changes)


def test_zoom_stored_data_and_expected_counts_do_not_change(zoom_session):
    plain = zoom.build(now=NOW)
    standin = zoom.build(now=NOW, drift=1.0, drift_seed=3)
    users_before = copy.deepcopy(standin.users)
    recordings_before = copy.deepcopy(standin.recordings)
    users, recordings = zoom_served(standin, zoom_session)

    assert standin.users == users_before
    assert standin.recordings == recordings_before
    assert len(users) == len(plain.users)
    assert len(recordings) == len(zoom_stored_recordings(plain))
    start = "2026-02-20T00:00:00Z"
    assert zoom_expected_counts(standin, start) == zoom_expected_counts(plain, start)


def test_zoom_envelopes_never_drift(zoom_session):
    standin = zoom.build(now=NOW, drift=1.0, drift_seed=3)
    with standin.serve() as url:
        body = zoom_session(url).get(f"{url}/v2/users", params={"page_size": 2}, timeout=5).json()

    assert set(body) == {
        "page_count",
        "page_number",
        "page_size",
        "total_records",
        "next_page_token",
        "users",
    }
    assert body["total_records"] == len(standin.users)
    assert body["next_page_token"]


def test_zoom_fail_path_answers_zooms_404(zoom_session):
    standin = zoom.build(now=NOW, fail_path=r"/recordings$")
    with standin.serve() as url:
        session = zoom_session(url)
        user = standin.licensed_users[0]["id"]
        broken = session.get(f"{url}/v2/users/{user}/recordings", params=WINDOW, timeout=5)
        fine = session.get(f"{url}/v2/users", timeout=5)

    assert broken.status_code == 404
    assert broken.json() == {"code": 404, "message": "Not found"}
    assert fine.status_code == 200


def test_zoom_keyless_strips_keys_on_matching_paths_only(zoom_session):
    standin = zoom.build(now=NOW, keyless=r"/recordings$")
    users, recordings = zoom_served(standin, zoom_session)

    assert recordings
    assert all("uuid" not in r for r in recordings)
    assert all("id" in r for r in recordings)  # only the key (uuid) goes
    assert all("id" in u for u in users)


# --- mts link -----------------------------------------------------------------------------------


def test_mtslink_changes_match_and_share_is_about_p():
    standin = mtslink.build(drift=0.3, drift_seed=8)
    with standin.serve() as url:
        rows = mts_participations(standin, url)
    sid = standin.big_session_id
    stored_rows = standin.participations[sid]

    changes = standin.drift.changes_for("/v3/eventsessions/{eventSessionId}/participations")
    served = {key_text({"eventSessionId": sid, "id": r["id"]}): r for r in rows}
    stored = {key_text({"eventSessionId": sid, "id": r["id"]}): r for r in stored_rows}
    assert len(rows) == len(stored_rows)
    assert_changes_match(changes, served, stored)
    top = [c for c in changes if len(c["path"]) == 1 and c["kind"] != "extra"]
    eligible = sum(len(set(r) - mtslink.PROTECTED) for r in stored_rows)
    assert abs(len(top) / eligible - 0.3) < 0.03


def test_mtslink_protected_fields_and_counts_survive_share_1():
    plain = mtslink.build()
    standin = mtslink.build(drift=1.0)
    before = copy.deepcopy(standin.events)
    headers = MTS
    with standin.serve() as url:
        start = (standin.now - timedelta(days=300)).strftime("%Y-%m-%d")
        end = (standin.now + timedelta(days=60)).strftime("%Y-%m-%d")
        params = {"from": start, "to": end, "perPage": 250}
        params.update({f"status[{i}]": s for i, s in enumerate(mtslink.STATUSES)})
        events = requests.get(
            f"{url}/v3/organization/events/schedule", params=params, headers=headers, timeout=5
        ).json()
        files = requests.get(f"{url}/v3/fileSystem/files", headers=headers, timeout=5).json()
        transcripts = requests.get(
            f"{url}/v3/eventsessions/{standin.big_session_id}/transcript/list",
            headers=headers,
            timeout=5,
        )

    assert standin.events == before
    assert mtslink.expected_counts(standin) == mtslink.expected_counts(plain)
    stored = {e["id"]: e for e in standin.events}
    assert len(events) == len(stored)
    for event in events:
        original = stored[event["id"]]
        assert event["startsAt"] == original["startsAt"]
        assert event.get("name") != original["name"]  # with share 1 every other field drifts
        # The sessions list keeps its shape and its keys: the tap explodes it.
        assert [(s["id"], s["eventId"], s["startsAt"]) for s in event["eventSessions"]] == [
            (s["id"], s["eventId"], s["startsAt"]) for s in original["eventSessions"]
        ]
    assert [f["id"] for f in files] == [f["id"] for f in standin.fs_files]
    if transcripts.status_code == 200:  # the cursor envelope never drifts
        assert set(transcripts.json()["data"]) == {"items", "nextPageCursor"}
    for change in standin.drift.changes:
        assert change["path"][-1] not in mtslink.PROTECTED, change


def test_mtslink_file_wrappers_are_keyed_by_the_files_id():
    standin = mtslink.build(drift=0.5, drift_seed=4)
    event = next(e for e in standin.events if standin.event_files[e["id"]])
    with standin.serve() as url:
        rows = requests.get(f"{url}/v3/events/{event['id']}/files", headers=MTS, timeout=5).json()

    assert [r["file"]["id"] for r in rows] == [
        r["file"]["id"] for r in standin.event_files[event["id"]]
    ]
    changes = standin.drift.changes_for("/v3/events/{eventId}/files")
    assert changes
    assert {c["key"]["eventId"] for c in changes} == {event["id"]}
    assert {c["key"]["id"] for c in changes} <= {r["file"]["id"] for r in rows}


def test_mtslink_fail_path_and_keyless():
    standin = mtslink.build(fail_path=r"/questions$", keyless=r"/fileSystem/files$")
    sid = standin.big_session_id
    with standin.serve() as url:
        broken = requests.get(f"{url}/v3/eventsessions/{sid}/questions", headers=MTS, timeout=5)
        fine = requests.get(f"{url}/v3/eventsessions/{sid}/chat", headers=MTS, timeout=5)
        files = requests.get(f"{url}/v3/fileSystem/files", headers=MTS, timeout=5).json()
        members = requests.get(f"{url}/v3/organization/members", headers=MTS, timeout=5).json()

    assert broken.status_code == 404
    assert broken.json()["error"]["code"] == 404
    assert broken.json()["error"]["message"].startswith("No route found")
    assert fine.status_code == 200
    assert len(files) == len(standin.fs_files)
    assert all("id" not in f for f in files)
    assert all("id" in m for m in members)


# --- oktopost -----------------------------------------------------------------------------------


def test_oktopost_rest_changes_match_and_envelopes_stay():
    standin = oktopost.build(drift=0.4, drift_seed=9)
    with standin.serve() as url:
        body = requests.get(
            f"{url}/v2/campaign", params={"_count": 100}, auth=OKTO_AUTH, timeout=5
        ).json()
        stories = requests.get(
            f"{url}/v2/story",
            params={"boardId": standin.boards[0]["Id"], "_count": 100},
            auth=OKTO_AUTH,
            timeout=5,
        ).json()

    assert body["Result"] is True
    assert body["Total"] == len(standin.campaigns) == len(body["Items"])
    served = {key_text({"Id": c["Id"]}): c for c in body["Items"]}
    stored = {key_text({"Id": c["Id"]}): c for c in standin.campaigns}
    assert_changes_match(standin.drift.changes_for("/v2/campaign"), served, stored)
    assert all("ID" in s and "BoardId" in s for s in stories["Items"])
    assert all("ID" in c["key"] for c in standin.drift.changes_for("/v2/story"))


def test_oktopost_export_status_and_file_link_never_drift():
    standin = oktopost.build(drift=1.0)
    with standin.serve() as url:
        exports = requests.get(f"{url}/v2/bi-export", auth=OKTO_AUTH, timeout=5).json()
        detail = requests.get(
            f"{url}/v2/bi-export/{standin.exports[0].id}", auth=OKTO_AUTH, timeout=5
        ).json()

    assert [(e["Id"], e["Status"]) for e in exports["Exports"]] == [
        (e.item["Id"], e.item["Status"]) for e in standin.exports[: oktopost.EXPORTS_PAGE_SIZE]
    ]
    assert detail["Export"]["LastRunDate"] == standin.exports[0].last_run_date
    assert detail["Export"]["LastRunFile"].endswith(standin.file_url_path(standin.exports[0]))


def test_oktopost_csv_cells_drift_in_typed_columns_and_match_the_changes():
    standin = oktopost.build(drift=0.3, drift_seed=2)
    export = standin.exports[0]
    with standin.serve() as url:
        payload = requests.get(f"{url}{standin.file_url_path(export)}", timeout=5).content
        again = requests.get(f"{url}{standin.file_url_path(export)}", timeout=5).content

    for item in export.files:
        header, rows = csv_rows(payload, item.name)
        assert csv_rows(again, item.name) == (header, rows)
        assert header == item.header
        assert len(rows) == len(item.rows)  # counts never change
        changes = standin.drift.changes_for(item.name)
        assert changes
        typed = {item.header[i] for i in oktopost.typed_columns(item)}
        for change in changes:
            column = header.index(change["path"][0])
            number = change["key"]["_row_number"]
            assert change["path"][0] in typed
            assert change["kind"] in {"text", "empty"}
            assert change["key"]["_export_id"] == export.id
            assert item.rows[number - 1][column] == change["before"]
            assert rows[number - 1][column] == change["after"]
        changed = {(c["key"]["_row_number"], c["path"][0]) for c in changes}
        for number, (served, stored) in enumerate(zip(rows, item.rows, strict=True), start=1):
            for name, a, b in zip(header, served, stored, strict=True):
                assert a == b or (number, name) in changed
    posts = standin.drift.changes_for("2025-10-14-Posts.csv")
    assert all("Post ID" in c["key"] for c in posts)
    assert not {c["path"][0] for c in posts} & {"Post ID", "Network", "Campaign Name"}


def test_oktopost_plain_csv_drifts_and_stored_rows_stay():
    standin = oktopost.build(drift=1.0)
    export = next(e for e in standin.exports if e.file_name and e.file_name.endswith(".csv"))
    before = copy.deepcopy(export.files[0].rows)
    with standin.serve() as url:
        text = requests.get(f"{url}{standin.file_url_path(export)}", timeout=5).text
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))

    assert export.files[0].rows == before
    assert len(rows) == len(before)
    score = header.index("Score")
    assert all(r[score] != b[score] for r, b in zip(rows, before, strict=True))
    assert [r[0] for r in rows] == [b[0] for b in before]  # Lead ID is a key


def test_oktopost_fail_path_and_keyless():
    standin = oktopost.build(fail_path=r"^/v2/tag$|^/files/032000000000007/", keyless=r"^/files/")
    with standin.serve() as url:
        broken = requests.get(f"{url}/v2/tag", auth=OKTO_AUTH, timeout=5)
        fine = requests.get(f"{url}/v2/user", auth=OKTO_AUTH, timeout=5)
        link = standin.file_url_path(standin.export("032000000000007"))
        missing_file = requests.get(f"{url}{link}", timeout=5)
        export = standin.exports[0]
        payload = requests.get(f"{url}{standin.file_url_path(export)}", timeout=5).content

    assert broken.status_code == 404
    assert broken.json() == {"Result": False, "Errors": []}
    assert fine.status_code == 200
    assert missing_file.status_code == 404
    assert b"<Code>NoSuchKey</Code>" in missing_file.content
    header, rows = csv_rows(payload, export.files[0].name)
    assert len(rows) == len(export.files[0].rows)
    assert all(row[header.index("Post ID")] == "" for row in rows)


# --- stepik -------------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_stepik_changes_match_counts_stay_and_meta_is_kept(platform, platform_session):
    standin = stepik.build(platform=platform, drift=0.3, drift_seed=4)
    before = copy.deepcopy(standin.data)
    with standin.serve() as url:
        steps = stepik_all(
            platform_session, standin, url, "steps" if platform == "stepik" else "topics"
        )
        first = stepik_get(platform_session, standin, url, "users").json()

    resource = "steps" if platform == "stepik" else "topics"
    assert standin.data == before
    assert len(steps) == len(standin.data[resource])
    assert set(first["meta"]) == {"page", "has_next", "has_previous"}
    served = {key_text({"id": r["id"]}): r for r in steps}
    stored = {key_text({"id": r["id"]}): r for r in standin.data[resource]}
    assert_changes_match(standin.drift.changes_for(f"/api/{resource}"), served, stored)
    for change in standin.drift.changes:
        assert change["path"][-1] not in stepik.PROTECTED, change


def test_stepik_fail_path_and_keyless(platform_session):
    standin = stepik.build(platform="stepik", fail_path=r"^/api/lessons", keyless=r"^/api/users")
    with standin.serve() as url:
        broken = stepik_get(platform_session, standin, url, "lessons")
        users = stepik_get(platform_session, standin, url, "users").json()["users"]
        courses = stepik_get(platform_session, standin, url, "courses").json()["courses"]

    assert broken.status_code == 404
    assert broken.json() == {"detail": "Not found."}
    assert users
    assert all("id" not in u for u in users)
    assert all("id" in c for c in courses)


# --- options and the CLI ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "options"),
    [
        ("zoom", {"now": "2026-05-20T12:00:00Z"}),
        ("mtslink", {}),
        ("oktopost", {}),
        ("stepik", {"platform": "hyperskill"}),
    ],
)
def test_cli_options_reach_every_standin(api, options, tmp_path):
    log = tmp_path / "changes.jsonl"
    items = [
        "drift=0.3",
        "drift_seed=5",
        f"drift_log={log}",
        "fail_path=/nothing-here$",
        "keyless=/never$",
        *(f"{k}={v}" for k, v in options.items()),
    ]
    parsed = cli.parse_options(items)
    standin = cli.make_standin(api, 0.0, parsed)

    assert parsed["drift"] == "0.3"  # __main__ converts integers only: build parses the share
    assert standin.drift.share == pytest.approx(0.3)
    assert standin.drift.seed == 5
    assert standin.drift.log_path == log
    assert standin.fail_path.pattern == "/nothing-here$"
    assert standin.keyless.pattern == "/never$"


def test_cli_drift_log_collects_what_was_served(tmp_path, zoom_session):
    log = tmp_path / "changes.jsonl"
    standin = cli.make_standin(
        "zoom", 0.0, cli.parse_options(["drift=1", f"drift_log={log}", "now=2026-05-20T12:00:00Z"])
    )
    zoom_served(standin, zoom_session)

    assert standin.drift.share == 1.0
    assert [json.loads(line) for line in log.read_text().splitlines()] == standin.drift.changes


def test_drift_is_not_an_api_of_the_cli():
    assert "drift" not in cli.available()
    assert set(cli.available()) == {"mtslink", "oktopost", "stepik", "zoom"}


def test_switches_are_off_unless_asked_for():
    for standin in (
        zoom.build(now=NOW),
        mtslink.build(),
        oktopost.build(),
        stepik.build(platform="stepik"),
    ):
        assert not standin.drift.active
        assert standin.fail_path is None
        assert standin.keyless is None


def test_unknown_zoom_options_are_still_refused():
    with pytest.raises(TypeError):
        zoom.build(now=NOW, driftt=0.3)


def test_every_api_declares_its_protected_fields():
    assert {"id", "uuid", "start_time"} <= zoom.PROTECTED
    assert {"id", "eventSessionId", "startsAt", "eventSessions", "file"} <= mtslink.PROTECTED
    assert {"Id", "ID", "Created", "LastRunFile"} <= oktopost.PROTECTED
    assert {"id", "update_date", "updated_at", "time"} <= stepik.PROTECTED
    assert drift.SWITCHES == ("drift", "drift_seed", "drift_log", "fail_path", "keyless")
