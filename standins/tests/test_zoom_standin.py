"""Sanity checks of the Zoom stand-in: the rules the tap's tests rely on."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
import requests

from standins import zoom

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
BASIC = base64.b64encode(f"{zoom.CLIENT_ID}:{zoom.CLIENT_SECRET}".encode()).decode()


def once(uuid: str) -> str:
    return quote(uuid, safe="")


def twice(uuid: str) -> str:
    return quote(quote(uuid, safe=""), safe="")


@pytest.fixture(scope="module")
def standin():
    return zoom.build(now=NOW)


@pytest.fixture(scope="module")
def base(standin):
    with standin.serve() as url:
        yield url


def get_token(base: str, **params: str) -> requests.Response:
    query = {"grant_type": "account_credentials", "account_id": zoom.ACCOUNT_ID, **params}
    return requests.post(
        f"{base}/oauth/token", params=query, headers={"Authorization": f"Basic {BASIC}"}, timeout=5
    )


@pytest.fixture(scope="module")
def api(base):
    token = get_token(base).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def call(path: str, **params) -> requests.Response:
        return session.get(f"{base}/v2{path}", params=params, timeout=5)

    return call


def every_page(api, path: str, key: str, **params) -> list[dict]:
    records, token, pages = [], "", 0
    while True:
        body = api(path, next_page_token=token, **params).json()
        records += body[key]
        pages += 1
        token = body["next_page_token"]
        if not token:
            return records
        assert pages < 1000


def windows(days: int) -> list[dict[str, str]]:
    """Consecutive windows of at most 28 days covering the last ``days`` days."""
    result, start = [], TODAY - timedelta(days=days)
    while start <= TODAY:
        end = min(start + timedelta(days=27), TODAY)
        result.append({"from": start.isoformat(), "to": end.isoformat()})
        start = end + timedelta(days=1)
    return result


def recent_window() -> dict[str, str]:
    return {"from": (TODAY - timedelta(days=27)).isoformat(), "to": TODAY.isoformat()}


def test_data_shape(standin):
    assert len(standin.users) == 4
    assert len(standin.instances) == 40
    unlicensed = standin.users[1]["id"]
    assert unlicensed not in standin.series
    assert all(m["host_id"] != unlicensed for m in standin.instances)
    ids = [m["id"] for m in standin.instances]
    assert len(set(ids)) < len(ids), "recurring series share an id"
    assert any(i > 2**31 for i in ids)
    assert any(len(str(i)) == 11 for i in ids)
    uuids = [m["uuid"] for m in standin.instances]
    assert len(set(uuids)) == len(uuids)
    assert any(u.startswith("/") for u in uuids)
    assert any("//" in u for u in uuids)
    assert any("+" in u for u in uuids)
    low = [m for m in standin.instances if m["participants_count"] < 2]
    assert low
    assert len(standin.report_instances) == len(standin.instances) - len(low)
    assert len(standin.metrics_meetings) == len(standin.instances)
    assert 1 <= len(standin.deleted_uuids) <= 2
    assert standin.deleted_uuids <= {m["uuid"] for m in standin.report_instances}
    oldest = min(m["start_time"] for m in standin.instances)
    assert oldest >= (NOW - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_deterministic():
    first, second = zoom.build(now=NOW), zoom.build(now=NOW)
    assert first.instances == second.instances
    assert first.participants == second.participants
    assert first.metrics_participants == second.metrics_participants
    assert zoom.build(now=NOW, seed=8).instances != first.instances


def test_rejoin_sessions(standin):
    rejoined = 0
    for uuid, sessions in standin.participants.items():
        triples = {(uuid, s["user_id"], s["join_time"]) for s in sessions}
        assert len(triples) == len(sessions)
        per_user: dict[str, int] = {}
        for s in sessions:
            per_user[s["user_id"]] = per_user.get(s["user_id"], 0) + 1
        rejoined += sum(1 for n in per_user.values() if n > 1)
        assert [s["user_id"] for s in standin.metrics_participants[uuid]] == [
            s["user_id"] for s in sessions
        ]
    assert rejoined > 0
    guests = [s for v in standin.participants.values() for s in v if s["id"] == ""]
    assert guests
    assert all(g["user_email"] == "" for g in guests)


def test_token_flow(base, standin):
    before = standin.token_requests
    assert get_token(base).status_code == 200
    form = requests.post(
        f"{base}/oauth/token",
        data={"grant_type": "account_credentials", "account_id": zoom.ACCOUNT_ID},
        headers={"Authorization": f"Basic {BASIC}"},
        timeout=5,
    )
    body = form.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["access_token"] in standin.issued_tokens
    bad = base64.b64encode(f"{zoom.CLIENT_ID}:nope".encode()).decode()
    wrong = requests.post(
        f"{base}/oauth/token",
        params={"grant_type": "account_credentials", "account_id": zoom.ACCOUNT_ID},
        headers={"Authorization": f"Basic {bad}"},
        timeout=5,
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    account = get_token(base, account_id="other")
    assert (account.status_code, account.json()["error"]) == (400, "invalid_request")
    grant = get_token(base, grant_type="client_credentials")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    assert standin.token_requests == before + 5


def test_bearer_required_and_revocation(base):
    standin = zoom.build(now=NOW)
    with standin.serve() as url:
        missing = requests.get(f"{url}/v2/users", timeout=5)
        assert missing.status_code == 401
        assert missing.json() == {"code": 124, "message": "Invalid access token."}
        token = get_token(url).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert requests.get(f"{url}/v2/users", headers=headers, timeout=5).status_code == 200
        standin.revoke_tokens()
        assert requests.get(f"{url}/v2/users", headers=headers, timeout=5).status_code == 401
        fresh = get_token(url).json()["access_token"]
        headers = {"Authorization": f"Bearer {fresh}"}
        assert requests.get(f"{url}/v2/users", headers=headers, timeout=5).status_code == 200


def test_token_expiry():
    standin = zoom.build(now=NOW, token_ttl=0)
    with standin.serve() as url:
        token = get_token(url).json()["access_token"]
        answer = requests.get(
            f"{url}/v2/users", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert answer.status_code == 401


def test_headers_and_unknown_path(api):
    answer = api("/users")
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["X-RateLimit-Category"] == "Medium"
    assert answer.headers["X-RateLimit-Type"] == "QPS"
    assert int(answer.headers["X-RateLimit-Remaining"]) < int(answer.headers["X-RateLimit-Limit"])
    missing = api("/nothing/here")
    assert missing.status_code == 404
    assert missing.json() == {"code": 404, "message": "Not found"}


def test_pagination_covers_the_data(api, standin):
    users = every_page(api, "/users", "users", page_size=1)
    assert users == standin.users
    window = recent_window()
    expected = [
        m
        for m in standin.metrics_meetings
        if window["from"] <= m["start_time"][:10] <= TODAY.isoformat()
    ]
    assert expected
    got = every_page(api, "/metrics/meetings", "meetings", type="past", page_size=3, **window)
    assert got == expected
    host = standin.licensed_users[0]["id"]
    for page_size in (2, 300):
        assert (
            every_page(api, f"/users/{host}/meetings", "meetings", page_size=page_size)
            == (standin.series[host])
        )
    uuid = max(
        (u for u in standin.participants if u not in standin.deleted_uuids),
        key=lambda u: len(standin.participants[u]),
    )
    sessions = every_page(
        api, f"/report/meetings/{twice(uuid)}/participants", "participants", page_size=2
    )
    assert sessions == standin.participants[uuid]


def test_page_size_clamped_and_foreign_token(api):
    body = api("/users", page_size=1000).json()
    assert body["page_size"] == 300
    assert body["page_number"] == 1
    assert body["next_page_token"] == ""
    first = api("/users", page_size=1).json()
    assert first["page_size"] == 1
    token = first["next_page_token"]
    assert token
    foreign = api("/metrics/meetings", type="past", next_page_token=token, **recent_window())
    assert foreign.status_code == 400
    assert foreign.json() == {"code": 300, "message": "Invalid next_page_token"}


def test_reports(api, standin):
    window = recent_window()
    in_window = [
        m
        for m in standin.report_instances
        if window["from"] <= m["start_time"][:10] <= window["to"]
    ]
    body = api("/report/users", type="active", page_size=300, **window).json()
    assert {u["id"] for u in body["users"]} == {m["host_id"] for m in in_window}
    assert body["total_meetings"] == len(in_window)
    got = []
    for user in standin.users:
        got += every_page(
            api, f"/report/users/{user['id']}/meetings", "meetings", type="past", **window
        )
    assert sorted(m["uuid"] for m in got) == sorted(m["uuid"] for m in in_window)
    assert all(m["participants_count"] >= 2 for m in got)


def test_window_validation(api, standin):
    def message(path: str, **params) -> tuple[int, dict]:
        answer = api(path, **params)
        return answer.status_code, answer.json()

    host = standin.licensed_users[0]["id"]
    for path in ("/report/users", f"/report/users/{host}/meetings", "/metrics/meetings"):
        assert message(path, type="past", **{"from": "2026/05/01", "to": "2026-05-10"}) == (
            400,
            {"code": 300, "message": "Invalid date format: from"},
        )
        assert message(path, type="past", **{"from": "2026-04-01", "to": "2026-05-01"}) == (
            400,
            {"code": 300, "message": "The date range is greater than 1 month."},
        )
        assert message(path, type="past", **{"from": "2026-04-01", "to": "2026-04-30"})[0] == 200
        assert message(path, type="past", **{"from": "2025-11-01", "to": "2025-11-20"}) == (
            400,
            {"code": 300, "message": "From date cannot be more than 6 months ago."},
        )
        assert message(path, type="past", **{"from": "2026-05-10", "to": "2026-05-01"})[0] == 400
    old = {"from": "2025-11-01", "to": "2025-11-20"}
    assert message(f"/users/{host}/recordings", **old)[0] == 200
    default = api(f"/users/{host}/recordings").json()
    assert default["from"] == default["to"] == TODAY.isoformat()


def test_recordings(api, standin):
    for user in standin.licensed_users:
        got = []
        for window in windows(90):
            got += every_page(api, f"/users/{user['id']}/recordings", "meetings", **window)
        assert got == standin.recordings[user["id"]]
    assert any(standin.recordings.values())


def test_metrics_default_type_is_live(api):
    assert api("/metrics/meetings", **recent_window()).json()["meetings"] == []


def test_double_encoding_rule(api, standin):
    reportable = [u for u in standin.participants if u not in standin.deleted_uuids]
    slash = next(u for u in reportable if u.startswith("/"))
    double = next(u for u in reportable if "//" in u and not u.startswith("/"))
    plus = next(u for u in reportable if "+" in u and "/" not in u)
    for uuid in (slash, double):
        for family in ("report", "metrics"):
            answer = api(f"/{family}/meetings/{once(uuid)}/participants", type="past")
            assert answer.status_code == 404
            assert answer.json() == {
                "code": 3001,
                "message": f"Meeting does not exist: {uuid.removeprefix('/')}.",
            }
            ok = api(f"/{family}/meetings/{twice(uuid)}/participants", type="past", page_size=300)
            assert ok.status_code == 200
    for encode in (once, twice):
        answer = api(f"/report/meetings/{encode(plus)}/participants", page_size=300)
        assert answer.json()["participants"] == standin.participants[plus]
    detail = api(f"/past_meetings/{twice(slash)}").json()
    assert detail["uuid"] == slash


def test_deleted_and_unreported_meetings(api, standin):
    for uuid in standin.deleted_uuids:
        for family in ("report", "metrics"):
            answer = api(f"/{family}/meetings/{twice(uuid)}/participants", type="past")
            assert answer.status_code == 404
            assert answer.json() == {"code": 3001, "message": f"Meeting does not exist: {uuid}."}
    low = next(m for m in standin.instances if m["participants_count"] < 2)
    assert api(f"/report/meetings/{twice(low['uuid'])}/participants").status_code == 404
    metrics = api(f"/metrics/meetings/{twice(low['uuid'])}/participants", type="past").json()
    assert metrics["participants"] == standin.metrics_participants[low["uuid"]]


def test_unlicensed_user(api, standin):
    user = standin.users[1]["id"]
    for kind in ("meetings", "webinars", "recordings"):
        answer = api(f"/users/{user}/{kind}")
        assert answer.status_code == 400
        assert answer.json() == {
            "code": 3161,
            "message": "User does not have the permission to host meetings.",
        }


def test_past_meeting_instances(api, standin):
    recurring = next(s for v in standin.series.values() for s in v if s["type"] == 8)
    body = api(f"/past_meetings/{recurring['id']}/instances").json()
    expected = [m["uuid"] for m in standin.instances if m["id"] == recurring["id"]]
    assert [m["uuid"] for m in body["meetings"]] == expected
    assert len(expected) >= 2


def test_webinars_and_daily(api, standin):
    host = standin.licensed_users[0]["id"]
    assert api(f"/users/{host}/webinars").json()["webinars"] == standin.webinars[host]
    window = {"from": (TODAY - timedelta(days=59)).isoformat(), "to": TODAY.isoformat()}
    assert api("/metrics/webinars", type="past", **window).status_code == 400
    got = []
    for window in windows(61):
        got += every_page(api, "/metrics/webinars", "webinars", type="past", **window)
    assert got == standin.past_webinars
    for webinar in standin.past_webinars:
        answer = api(f"/report/webinars/{twice(webinar['uuid'])}/participants", page_size=300)
        assert answer.json()["participants"] == standin.webinar_participants[webinar["uuid"]]
    daily = api("/report/daily", year=TODAY.year, month=TODAY.month).json()
    assert daily["dates"][-1]["date"] == TODAY.isoformat()
    assert daily["dates"] == [d for d in standin.daily if d["date"].startswith("2026-05")]
    assert sum(d["meetings"] for d in standin.daily) == len(standin.instances)


@pytest.mark.parametrize(("mode", "status", "code"), [("plan", 400, 200), ("scope", 403, 4711)])
def test_dashboard_modes(mode, status, code):
    standin = zoom.build(now=NOW, dashboard=mode)
    with standin.serve() as url:
        token = get_token(url).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        answer = requests.get(
            f"{url}/v2/metrics/meetings",
            params={"type": "past", **recent_window()},
            headers=headers,
            timeout=5,
        )
        assert (answer.status_code, answer.json()["code"]) == (status, code)
        assert requests.get(f"{url}/v2/users", headers=headers, timeout=5).status_code == 200


def test_large_build_and_window_arithmetic():
    big = zoom.build(now=NOW, instances=2000, hosts=12)
    assert len(big.instances) == 2000
    assert len(big.metrics_participants) == 2000
    assert zoom.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_detail_endpoints(api, standin):
    meeting = next(m for m in standin.report_instances if m["uuid"] not in standin.deleted_uuids)
    report = api(f"/report/meetings/{twice(meeting['uuid'])}").json()
    assert (report["uuid"], report["participants_count"]) == (
        meeting["uuid"],
        meeting["participants_count"],
    )
    people = api(f"/past_meetings/{twice(meeting['uuid'])}/participants", page_size=300).json()
    assert len(people["participants"]) == len(
        {p["user_id"] for p in standin.participants[meeting["uuid"]]}
    )
    metrics = api(f"/metrics/meetings/{twice(meeting['uuid'])}", type="past").json()
    assert metrics["duration"].count(":") in (1, 2)


def test_cli_options_reach_build():
    standin = zoom.build(now="2026-05-20T12:00:00Z", instances=5, hosts=2, dashboard="plan")
    assert standin.now == NOW
    assert len(standin.instances) == 5
    assert len(standin.licensed_users) == 1
