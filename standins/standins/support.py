"""Helpers for tests and scripts: serve a stand-in for the whole process, tap configs for it."""

from __future__ import annotations

import atexit
import re
import threading
from datetime import datetime, timedelta, timezone

from standins.server import StandIn


def serve_in_background(standin: StandIn) -> str:
    """Serve ``standin`` on a free port until the process exits; returns its base URL."""
    server = standin.serve()
    base_url = server.__enter__()
    atexit.register(server.__exit__, None, None, None)
    return base_url


def days_ago(days: int) -> str:
    """Midnight UTC ``days`` days ago, as RFC 3339."""
    moment = datetime.now(timezone.utc) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT00:00:00Z")


def zoom_config(base_url: str, **overrides: object) -> dict:
    """A complete tap-zoom config for a Zoom stand-in at ``base_url``."""
    from standins import zoom  # noqa: PLC0415 - keeps this module importable on its own

    config: dict[str, object] = {
        "account_id": zoom.ACCOUNT_ID,
        "client_id": zoom.CLIENT_ID,
        "client_secret": zoom.CLIENT_SECRET,
        "start_date": days_ago(90),
        "api_url": f"{base_url}/v2",
        "oauth_url": f"{base_url}/oauth/token",
        "rate_plan": "business",
    }
    if "rate_plan" not in overrides:
        # The stand-in enforces no limit unless built with ``rate_plan``: lift the tap's budgets
        # too (0 = no limit), so tests are not paced at Zoom's real rates. Callers that name a
        # plan (the budget tests, the benchmarks) get that plan's limits.
        config["rate_limits"] = {"Light": 0, "Medium": 0, "Heavy": 0, "Resource-intensive": 0}
    config.update(overrides)
    return config


def peak_concurrency(standin: StandIn, pattern: str = ".") -> dict[str, int]:
    """Count from now on the most requests matching ``pattern`` the stand-in serves at once.

    Wraps ``standin.dispatch``; the returned dict's ``"peak"`` grows as the run goes.
    """
    lock, seen = threading.Lock(), {"now": 0, "peak": 0}
    regex = re.compile(pattern)
    dispatch = standin.dispatch

    def counted(request):  # noqa: ANN001, ANN202 - the stand-in's own request type
        if not regex.search(request.raw_path):
            return dispatch(request)
        with lock:
            seen["now"] += 1
            seen["peak"] = max(seen["peak"], seen["now"])
        try:
            return dispatch(request)
        finally:
            with lock:
                seen["now"] -= 1

    standin.dispatch = counted  # type: ignore[method-assign]
    return seen
