"""The stand-ins' optional rate limits (``standins.limits``, ``standins.zoom_limits``).

Every test runs the limiters on a fake clock it advances itself: nothing sleeps and nothing
depends on how fast the machine is. Requests go over HTTP, so headers are checked as sent.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

import pytest
import requests

from standins import __main__ as cli
from standins import mtslink, oktopost, stepik, zoom, zoom_limits
from standins.limits import HiddenLimit, Limits, SlidingWindow, retry_after_seconds

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)
OKTO_AUTH = (oktopost.ACCOUNT_ID, oktopost.API_KEY)
MTS = {"x-auth-token": mtslink.API_TOKEN}
QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, start: float = NOW.timestamp()) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- the building blocks ----------------------------------------------------------------------


def test_sliding_window_frees_each_slot_one_period_after_it_was_used():
    window = SlidingWindow(3, 1.0)
    for moment in (0.0, 0.25, 0.5):
        assert window.wait(moment) == 0
        window.add(moment)
    assert window.remaining(0.5) == 0
    assert window.wait(0.75) == 0.25  # the slot used at 0.0 frees at 1.0
    assert window.wait(1.0) == 0
    assert window.remaining(1.0) == 1
    assert window.remaining(1.5) == 3


def test_retry_after_is_whole_seconds_and_at_least_one():
    assert retry_after_seconds(0.01) == "1"
    assert retry_after_seconds(1.0) == "1"
    assert retry_after_seconds(1.2) == "2"
    assert retry_after_seconds(59.5) == "60"


def test_hidden_limit_burst_sets_the_window_length():
    clock = FakeClock(0.0)
    limit = HiddenLimit(Limits(clock), rate=5, burst=10)
    assert limit.window.period == 2.0
    assert [limit.check() for _ in range(10)] == [None] * 10
    assert limit.check() == 2.0
    # A client knocking every 1/8 s for 8 s gets about rate x time through, never more.
    clock.advance(2.0)
    let_through = 0
    for _ in range(64):
        let_through += limit.check() is None
        clock.advance(0.125)
    assert 40 <= let_through <= 50


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hidden_limit": -1}, "positive"),
        ({"hidden_limit": 2, "hidden_burst": 0}, "at least 1"),
        ({"hidden_limit": 2, "hidden_limit_status": 500}, "429 or 503"),
    ],
)
def test_hidden_limit_refuses_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        HiddenLimit.from_options(Limits(), dict(options))


def test_limit_modules_are_not_offered_as_apis():
    assert cli.available() == ["mtslink", "oktopost", "stepik", "zoom"]


# --- Zoom -------------------------------------------------------------------------------------


def zoom_calls(standin: zoom.ZoomStandIn) -> dict[str, tuple[str, dict[str, str]]]:
    """A path and query per category, each a route of that category."""
    uuid = quote(quote(standin.instances[0]["uuid"], safe=""), safe="")
    window = {"from": "2026-05-01", "to": "2026-05-20", "type": "past"}
    return {
        "Light": (f"/past_meetings/{uuid}", {}),
        "Medium": ("/users", {}),
        "Heavy": ("/report/daily", {}),
        "Resource-intensive": ("/metrics/meetings", window),
    }


@pytest.mark.parametrize(
    ("plan", "limits"),
    [
        ("pro", {"Light": 30, "Medium": 20, "Heavy": 10, "Resource-intensive": 10}),
        ("business", {"Light": 80, "Medium": 60, "Heavy": 40, "Resource-intensive": 20}),
    ],
)
def test_zoom_plan_limits_each_category_with_zooms_429(plan, limits, zoom_session):
    clock = FakeClock()
    standin = zoom.build(now=NOW, rate_plan=plan, clock=clock)
    with standin.serve() as url:
        session = zoom_session(url)
        calls = zoom_calls(standin)
        for category, limit in limits.items():
            path, params = calls[category]
            for n in range(limit):
                answer = session.get(f"{url}/v2{path}", params=params, timeout=5)
                assert answer.status_code == 200, answer.text
                assert answer.headers["X-RateLimit-Category"] == category
                assert answer.headers["X-RateLimit-Type"] == "QPS"
                assert answer.headers["X-RateLimit-Limit"] == str(limit)
                assert answer.headers["X-RateLimit-Remaining"] == str(limit - n - 1)
            refused = session.get(f"{url}/v2{path}", params=params, timeout=5)
            assert refused.status_code == 429
            per = "minute" if category == "Resource-intensive" else "second"
            assert refused.json() == {
                "code": 429,
                "message": f"You have reached the maximum per-{per} rate limit for this API. "
                "Try again later.",
            }
            assert refused.headers["X-RateLimit-Category"] == category
            assert refused.headers["X-RateLimit-Type"] == "QPS"
            assert refused.headers["X-RateLimit-Limit"] == str(limit)
            assert refused.headers["X-RateLimit-Remaining"] == "0"
            assert refused.headers["Retry-After"] == ("60" if per == "minute" else "1")
        # Every category was refused once; the next second (minute) lets them through again.
        assert dict(standin.limits.rejected) == dict.fromkeys(limits, 1)
        assert dict(standin.limits.rejected_types) == {"QPS": 4}
        clock.advance(1.0)
        for category in ("Light", "Medium", "Heavy"):
            path, params = calls[category]
            assert session.get(f"{url}/v2{path}", params=params, timeout=5).status_code == 200
        path, params = calls["Resource-intensive"]
        late = session.get(f"{url}/v2{path}", params=params, timeout=5)
        assert late.status_code == 429
        assert late.headers["Retry-After"] == "59"
        clock.advance(59.0)
        assert session.get(f"{url}/v2{path}", params=params, timeout=5).status_code == 200


def test_zoom_window_slides_rather_than_resetting_each_second(zoom_session):
    clock = FakeClock()
    standin = zoom.build(now=NOW, rate_plan="pro", clock=clock)  # Medium: 20 a second
    with standin.serve() as url:
        session = zoom_session(url)

        def users() -> int:
            return session.get(f"{url}/v2/users", timeout=5).status_code

        assert [users() for _ in range(10)] == [200] * 10
        clock.advance(0.5)
        assert [users() for _ in range(10)] == [200] * 10
        clock.advance(0.25)  # 0.75 s after the first ten: all twenty still in the window
        refused = session.get(f"{url}/v2/users", timeout=5)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        clock.advance(0.25)  # the first ten leave the window, the second ten stay
        assert [users() for _ in range(11)] == [200] * 10 + [429]
    assert standin.limits.rejected["Medium"] == 2


def test_zoom_daily_limit_is_shared_by_heavy_and_resource_intensive_until_utc_midnight(
    zoom_session,
):
    clock = FakeClock()
    standin = zoom.build(now=NOW, rate_plan="pro", daily_limit=3, clock=clock)
    with standin.serve() as url:
        session = zoom_session(url)
        calls = zoom_calls(standin)

        def call(category: str) -> requests.Response:
            path, params = calls[category]
            return session.get(f"{url}/v2{path}", params=params, timeout=5)

        assert [call(c).status_code for c in ("Heavy", "Resource-intensive", "Heavy")] == [200] * 3
        assert standin.rate_limiter.daily_used("Heavy") == 3
        for category in ("Heavy", "Resource-intensive"):
            refused = call(category)
            assert refused.status_code == 429
            assert refused.json() == {
                "code": 429,
                "message": "You have exceeded the daily rate limit (3) of Heavy and "
                "Resource-intensive API requests permitted for this account. You may resume "
                "these requests at GMT 00:00:00.",
            }
            assert refused.headers["X-RateLimit-Category"] == category
            assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
            assert refused.headers["X-RateLimit-Limit"] == "3"
            assert refused.headers["X-RateLimit-Remaining"] == "0"
            assert refused.headers["Retry-After"] == "2026-05-21T00:00:00Z"
        # Light and Medium have no daily limit on Pro.
        assert call("Light").status_code == 200
        assert call("Medium").status_code == 200
        clock.advance(12 * 3600 - 1)  # 23:59:59 UTC: still refused
        assert call("Heavy").status_code == 429
        clock.advance(1)  # midnight: a new day
        assert call("Heavy").status_code == 200
        assert call("Resource-intensive").status_code == 200
    assert dict(standin.limits.rejected_types) == {"Daily-limit": 3}
    assert dict(standin.limits.rejected) == {"Heavy": 2, "Resource-intensive": 1}


def test_zoom_free_plan_has_a_daily_limit_per_category(zoom_session):
    clock = FakeClock()
    standin = zoom.build(now=NOW, rate_plan="free", daily_limit=2, clock=clock)
    with standin.serve() as url:
        session = zoom_session(url)
        codes = []
        for _ in range(3):
            codes.append(session.get(f"{url}/v2/users", timeout=5).status_code)
            clock.advance(1.0)  # Medium is 2 a second on Free: stay under it
        assert codes == [200, 200, 429]
        assert session.get(f"{url}/v2/report/daily", timeout=5).status_code == 200


def test_zoom_requests_with_a_bad_token_are_not_counted(zoom_session):
    clock = FakeClock()
    standin = zoom.build(now=NOW, rate_plan="pro", clock=clock)
    with standin.serve() as url:
        bad = requests.Session()
        bad.headers["Authorization"] = "Bearer nonsense"
        assert {bad.get(f"{url}/v2/users", timeout=5).status_code for _ in range(25)} == {401}
        session = zoom_session(url)
        answer = session.get(f"{url}/v2/users", timeout=5)
        assert answer.status_code == 200
        assert answer.headers["X-RateLimit-Remaining"] == "19"


def test_zoom_every_served_endpoint_has_its_documented_category(zoom_session):
    standin = zoom.build(now=NOW, rate_plan="business", clock=FakeClock())
    user = standin.licensed_users[0]["id"]
    alive = [m for m in standin.report_instances if m["uuid"] not in standin.deleted_uuids]
    uuid = quote(quote(alive[0]["uuid"], safe=""), safe="")
    metric = next(m for m in standin.metrics_meetings if m["uuid"] not in standin.deleted_uuids)
    metrics_uuid = quote(quote(metric["uuid"], safe=""), safe="")
    webinar_uuid = quote(quote(standin.past_webinars[0]["uuid"], safe=""), safe="")
    meeting_id = standin.instances[0]["id"]
    window = {"from": "2026-05-01", "to": "2026-05-20", "type": "past"}
    paths = [
        ("/users", {}),
        (f"/users/{user}/meetings", {}),
        (f"/users/{user}/webinars", {}),
        (f"/users/{user}/recordings", window),
        ("/report/users", window),
        (f"/report/users/{user}/meetings", window),
        (f"/report/meetings/{uuid}", {}),
        (f"/report/meetings/{uuid}/participants", {}),
        (f"/report/webinars/{webinar_uuid}/participants", {}),
        ("/report/daily", {}),
        ("/metrics/meetings", window),
        ("/metrics/webinars", window),
        (f"/metrics/meetings/{metrics_uuid}", {"type": "past"}),
        (f"/metrics/meetings/{metrics_uuid}/participants", {"type": "past"}),
        (f"/past_meetings/{meeting_id}/instances", {}),
        (f"/past_meetings/{uuid}/participants", {}),
        (f"/past_meetings/{uuid}", {}),
    ]
    expected = {
        "/users": "Medium",
        "/report/": "Heavy",
        "/metrics/meetings/": "Heavy",
        "/metrics/": "Resource-intensive",
        "/past_meetings/": "Medium",
    }
    with standin.serve() as url:
        session = zoom_session(url)
        for path, params in paths:
            answer = session.get(f"{url}/v2{path}", params=params, timeout=5)
            assert answer.status_code == 200, (path, answer.text)
            category = answer.headers["X-RateLimit-Category"]
            assert category == zoom_limits.category_of(f"/v2{path}"), path
            if path.startswith("/past_meetings/") and path.count("/") == 2:
                assert category == "Light"
            else:
                prefix = next(p for p in expected if path.startswith(p))
                assert category == expected[prefix], path
    # No template of the table hides another one.
    for template, category in zoom_limits.ENDPOINT_CATEGORIES.items():
        assert zoom_limits.category_of(f"/v2{template}") == category, template


def test_zoom_plans_match_the_notes():
    pro, business = zoom_limits.plan_named("Pro"), zoom_limits.plan_named("enterprise")
    assert {c: (r.limit, r.period) for c, r in pro.rates.items()} == {
        "Light": (30, 1.0),
        "Medium": (20, 1.0),
        "Heavy": (10, 1.0),
        "Resource-intensive": (10, 60.0),
    }
    assert {c: (r.limit, r.period) for c, r in business.rates.items()} == {
        "Light": (80, 1.0),
        "Medium": (60, 1.0),
        "Heavy": (40, 1.0),
        "Resource-intensive": (20, 60.0),
    }
    shared = frozenset({"Heavy", "Resource-intensive"})
    assert [(p.categories, p.limit) for p in pro.daily] == [(shared, 30000)]
    assert [(p.categories, p.limit) for p in business.daily] == [(shared, 60000)]
    with pytest.raises(ValueError, match="unknown Zoom rate_plan"):
        zoom_limits.plan_named("platinum")


def test_zoom_default_is_unlimited_with_business_headers(zoom_session):
    clock = FakeClock()  # frozen: a limit, if there were one, would refuse within this instant
    standin = zoom.build(now=NOW, clock=clock)
    assert standin.rate_limiter is None
    with standin.serve() as url:
        session = zoom_session(url)
        answers = [session.get(f"{url}/v2/report/daily", timeout=5) for _ in range(60)]
    assert {a.status_code for a in answers} == {200}
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"40"}
    assert standin.limits.total_rejected == 0


def test_zoom_limit_options_from_the_cli():
    standin = cli.make_standin(
        "zoom", 0.0, cli.parse_options(["rate_plan=business+", "daily_limit=7"])
    )
    assert standin.rate_limiter.plan.name == "business"
    assert [p.limit for p in standin.rate_limiter.pools] == [7]
    with pytest.raises(ValueError, match="needs a rate_plan"):
        zoom.build(now=NOW, daily_limit=3)


# --- MTS Link ---------------------------------------------------------------------------------


def test_mtslink_hidden_limit_answers_429_in_its_envelope():
    clock = FakeClock()
    standin = mtslink.build(hidden_limit=5, clock=clock)
    with standin.serve() as url:
        session = requests.Session()
        session.headers.update(MTS)

        def timezones() -> requests.Response:
            return session.get(f"{url}/v3/timezones", timeout=5)

        assert [timezones().status_code for _ in range(5)] == [200] * 5
        refused = timezones()
        assert refused.status_code == 429
        assert refused.json() == {"error": {"code": 429, "message": "Too Many Requests"}}
        assert refused.headers["Retry-After"] == "1"
        # Requests without a token are answered 401 and not counted.
        assert requests.get(f"{url}/v3/timezones", timeout=5).status_code == 401
        clock.advance(1.0)
        assert [timezones().status_code for _ in range(6)] == [200] * 5 + [429]
    assert standin.limits.rejected["hidden"] == 2
    assert standin.limits.accepted["hidden"] == 10


def test_mtslink_hidden_limit_can_play_an_overloaded_server_with_a_burst():
    clock = FakeClock()
    standin = mtslink.build(
        hidden_limit="2.5", hidden_burst=5, hidden_limit_status=503, clock=clock
    )
    with standin.serve() as url:
        session = requests.Session()
        session.headers.update(MTS)
        codes = [session.get(f"{url}/v3/timezones", timeout=5) for _ in range(6)]
        assert [a.status_code for a in codes] == [200] * 5 + [503]
        assert codes[-1].json() == {"error": {"code": 503, "message": "Service Unavailable"}}
        assert codes[-1].headers["Retry-After"] == "2"  # five per two seconds
        clock.advance(1.0)
        assert session.get(f"{url}/v3/timezones", timeout=5).headers["Retry-After"] == "1"
        clock.advance(1.0)
        assert session.get(f"{url}/v3/timezones", timeout=5).status_code == 200


def test_mtslink_default_has_no_limit():
    standin = mtslink.build(clock=FakeClock())
    assert standin.hidden_limit is None
    with standin.serve() as url:
        session = requests.Session()
        session.headers.update(MTS)
        codes = {session.get(f"{url}/v3/timezones", timeout=5).status_code for _ in range(60)}
    assert codes == {200}
    assert standin.limits.total_rejected == 0


# --- Stepik and Hyperskill ----------------------------------------------------------------------


RESOURCE = {"stepik": "courses", "hyperskill": "topics"}


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_platform_hidden_limit_answers_drf_throttling(platform, platform_session):
    clock = FakeClock()
    standin = stepik.build(platform=platform, hidden_limit=3, clock=clock)
    resource = RESOURCE[platform]
    with standin.serve() as url:
        session = platform_session(standin, url)
        listing = f"{url}/api/{resource}"
        assert [session.get(listing, timeout=5).status_code for _ in range(3)] == [200] * 3
        refused = session.get(listing, timeout=5)
        assert refused.status_code == 429
        assert refused.json() == {
            "detail": "Request was throttled. Expected available in 1 second."
        }
        assert refused.headers["Retry-After"] == "1"
        # Single objects count too; the token endpoint does not.
        one = standin.data[resource][0]["id"]
        assert session.get(f"{listing}/{one}", timeout=5).status_code == 429
        token = requests.post(
            f"{url}/oauth2/token/",
            data={"grant_type": "client_credentials"},
            auth=(standin.client_id, standin.client_secret),
            timeout=5,
        )
        assert token.status_code == 200
        clock.advance(1.0)
        assert session.get(f"{listing}/{one}", timeout=5).status_code == 200
    assert standin.limits.rejected["hidden"] == 2


def test_platform_hidden_limit_503_and_seconds_in_the_message(platform_session):
    clock = FakeClock()
    standin = stepik.build(platform="stepik", hidden_limit="0.5", clock=clock)
    with standin.serve() as url:
        session = platform_session(standin, url)
        assert session.get(f"{url}/api/courses", timeout=5).status_code == 200
        refused = session.get(f"{url}/api/courses", timeout=5)
        assert refused.status_code == 429
        assert refused.json()["detail"].endswith("Expected available in 2 seconds.")
        assert refused.headers["Retry-After"] == "2"
    busy = stepik.build(platform="hyperskill", hidden_limit=1, hidden_limit_status=503, clock=clock)
    with busy.serve() as url:
        session = platform_session(busy, url)
        answers = [session.get(f"{url}/api/topics", timeout=5) for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 503]
        assert "detail" in answers[1].json()
        assert answers[1].headers["Retry-After"] == "1"


@pytest.mark.parametrize("platform", ["stepik", "hyperskill"])
def test_platform_default_has_no_limit(platform, platform_session):
    standin = stepik.build(platform=platform, clock=FakeClock())
    assert standin.hidden_limit is None
    with standin.serve() as url:
        session = platform_session(standin, url)
        listing = f"{url}/api/{RESOURCE[platform]}"
        codes = {session.get(listing, timeout=5).status_code for _ in range(60)}
    assert codes == {200}
    assert standin.limits.total_rejected == 0


# --- Oktopost ---------------------------------------------------------------------------------


def okto_session() -> requests.Session:
    session = requests.Session()
    session.auth = OKTO_AUTH
    return session


def test_oktopost_over_60_a_minute_blocks_everything_for_15_minutes():
    clock = FakeClock()
    standin = oktopost.build(enforce_limits=1, clock=clock)
    with standin.serve() as url:
        session = okto_session()
        for _ in range(30):
            assert session.get(f"{url}/v2/me", timeout=5).status_code == 200
        clock.advance(30.0)
        for _ in range(30):
            assert session.get(f"{url}/v2/campaign", timeout=5).status_code == 200
        clock.advance(29.5)  # 59.5 s after the first call: 60 in the last minute
        refused = session.get(f"{url}/v2/me", timeout=5)
        assert refused.status_code == 429
        assert refused.json()["Result"] is False
        assert "rate limit" in refused.json()["Errors"]["API"]["Error"]
        assert "Retry-After" not in refused.headers  # none documented
        # The block: every request refused for 900 s, however quiet the client is.
        for step in (1.0, 60.0, 300.0, 538.5):
            clock.advance(step)
            blocked = session.get(f"{url}/v2/user", timeout=5)
            assert blocked.status_code == 429
            assert blocked.json()["Errors"]["API"]["Error"].startswith("Access blocked")
        # Files behind pre-signed links are S3's, not the API's: never blocked.
        link = standin.file_url_path(standin.active_exports[0])
        assert requests.get(f"{url}{link}", timeout=5).status_code == 200
        clock.advance(0.5)  # exactly 900 s after the refusal
        assert session.get(f"{url}/v2/me", timeout=5).status_code == 200
    assert standin.burst_limit.blocks == 1
    assert dict(standin.limits.rejected) == {"per_minute": 1, "blocked": 4}


def test_oktopost_minute_window_slides():
    clock = FakeClock()
    standin = oktopost.build(enforce_limits=1, clock=clock)
    with standin.serve() as url:
        session = okto_session()
        for _ in range(59):
            assert session.get(f"{url}/v2/me", timeout=5).status_code == 200
        clock.advance(59.0)
        assert session.get(f"{url}/v2/me", timeout=5).status_code == 200
        clock.advance(1.0)  # the 59 early calls leave the window, the one at 59 s stays
        codes = [session.get(f"{url}/v2/me", timeout=5).status_code for _ in range(60)]
    assert codes == [200] * 59 + [429]


def test_oktopost_5_second_window_and_a_short_block_with_retry_after():
    clock = FakeClock()
    standin = oktopost.build(
        enforce_limits="1",
        limit_per_minute=1000,
        block_seconds=30,
        block_retry_after=1,
        clock=clock,
    )
    with standin.serve() as url:
        session = okto_session()
        assert [session.get(f"{url}/v2/me", timeout=5).status_code for _ in range(120)] == [
            200
        ] * 120
        refused = session.get(f"{url}/v2/me", timeout=5)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "30"
        clock.advance(10.0)
        assert session.get(f"{url}/v2/me", timeout=5).headers["Retry-After"] == "20"
        clock.advance(20.0)
        assert session.get(f"{url}/v2/me", timeout=5).status_code == 200
    assert dict(standin.limits.rejected) == {"per_5s": 1, "blocked": 1}


def test_oktopost_default_has_no_limit():
    standin = oktopost.build(clock=FakeClock())
    assert standin.burst_limit is None
    with standin.serve() as url:
        session = okto_session()
        codes = {session.get(f"{url}/v2/me", timeout=5).status_code for _ in range(130)}
    assert codes == {200}
    assert standin.limits.total_rejected == 0


def test_oktopost_bulk_postlog_lists_every_post_with_stats_by_page():
    standin = oktopost.build(campaigns=20)
    assert len(standin.postlogs) > 50
    with standin.serve() as url:
        session = okto_session()
        rows, page = [], 0
        while True:
            body = session.get(
                f"{url}/v2/postlog",
                params={"withStats": 1, "_page": page, "_count": 25},
                timeout=5,
            ).json()
            assert body["Result"] is True
            assert "Total" not in body
            rows += body["Postlogs"]
            if len(body["Postlogs"]) < 25:
                break
            page += 1
        one_post = standin.postlogs[0]["PostId"]
        plain = session.get(
            f"{url}/v2/postlog", params={"postId": one_post, "_count": 100}, timeout=5
        ).json()
    assert [r["Id"] for r in rows] == [x["Id"] for x in standin.postlogs]
    assert len({r["PostId"] for r in rows}) > 1
    assert all(set(r["Stats"]) == set(oktopost.POSTLOG_STATS) for r in rows)
    assert all(set(r["Stats"].values()) == {0} for r in rows if r["Status"] == "failed")
    assert any(sum(r["Stats"].values()) for r in rows if r["Status"] == "success")
    assert all("Stats" not in x for x in standin.postlogs)  # stored data unchanged
    assert plain["Postlogs"] == [x for x in standin.postlogs if x["PostId"] == one_post]


def test_oktopost_bulk_postlog_can_be_refused():
    standin = oktopost.build(postlog_bulk=0)
    with standin.serve() as url:
        session = okto_session()
        refused = session.get(f"{url}/v2/postlog", params={"withStats": 1}, timeout=5)
        one_post = standin.postlogs[0]["PostId"]
        by_post = session.get(f"{url}/v2/postlog", params={"postId": one_post}, timeout=5)
    assert refused.status_code == 200
    assert refused.json() == {"Result": False, "Errors": ["Missing required field: postId"]}
    assert by_post.json()["Result"] is True
    assert by_post.json()["Postlogs"]


def test_oktopost_posts_take_after_and_before_on_created():
    standin = oktopost.build()
    created = sorted(p["Created"] for p in standin.posts)
    after, before = created[len(created) // 4], created[3 * len(created) // 4]
    with standin.serve() as url:
        session = okto_session()

        def posts(**params: str) -> list[str]:
            body = session.get(f"{url}/v2/post", params={"_count": 100, **params}, timeout=5).json()
            assert body["Total"] == len(body["Items"])
            return sorted(p["Created"] for p in body["Items"])

        everything = posts()
        bounded = posts(after=after.replace(" ", "T"), before=before.replace(" ", "T"))
        from_after = posts(after=after)
    assert everything == created
    assert bounded == [c for c in created if after <= c < before]
    assert 0 < len(bounded) < len(created)
    assert from_after == [c for c in created if c >= after]
