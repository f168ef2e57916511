"""Benchmark: requests of a rerun against those of the first run (Zoom and MTS Link).

For each tap and account, one stand-in, every stream selected, no rate limit (only requests
are counted): a full sync with no state, then a rerun with the state the first run wrote,
nothing changed in between. The requests come from the stand-in's own log, grouped by endpoint,
and split in two:

* **time-bounded**: the request carries a time bound taken from the state (``from``, a month),
  or belongs to a parent that does (a session's children under the schedule);
* **no time filter**: the API cannot bound it by time (Zoom's users and meeting series, MTS
  Link's contacts, chats, courses, tests...), so every run reads it again.

Accounts: each tap's default stand-in, and a larger one with six months (Zoom, the most its
reports keep) or a year (MTS Link) of history, where the share a rerun reads is what a daily
run of a real account would read. The time-bounded share cannot reach zero: a rerun still asks
once per parent that has no time filter (one recordings and one past-meetings window per Zoom
user, one schedule per MTS Link member), reads the current month again, and re-reads MTS Link
sessions of the ``lookback_days`` window and planned sessions, which change until they happen.
Oktopost has its own count (``bench/oktopost_requests.py``); Stepik and Hyperskill cannot
filter by time at all.

    .venv/bin/python bench/rerun_requests.py

Results: bench/results/rerun_requests.json.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tap_mtslink.streams import SPECS
from tap_mtslink.tap import TapMtsLink
from tap_zoom.tap import TapZoom

from standins import mtslink, zoom
from standins.support import days_ago, serve_in_background, zoom_config
from tap_common.testing import run_sync

RESULTS = Path(__file__).resolve().parent / "results" / "rerun_requests.json"
#: A path segment that is an id: digits, percent-encoded, or a long token with a digit (UUIDs).
_ID = re.compile(r"/(?:[0-9]{3,}|[^/]*%[^/]*|(?=[^/]*[0-9])[A-Za-z0-9_\-+=]{16,})(?=/|$)")

#: Zoom endpoints a run bounds by time: reports and dashboards (windows, months, and the
#: participants of the instances they list) and each user's recordings windows.
ZOOM_BOUNDED = [re.compile(r"^/v2/(report|metrics)/"), re.compile(r"^/v2/users/[^/]+/recordings$")]


def mtslink_bounded() -> Callable[[str], bool]:
    """Whether an MTS Link path belongs to a stream with a ``from`` window, or to a descendant."""
    bounded: set[str] = set()
    for spec in SPECS:  # parents come before their children
        if spec.window != "none" or spec.parent in bounded:
            bounded.add(spec.name)
    # Literal paths before templates, so /eventsessions/endless is not taken for a session id.
    routes = [
        (re.compile("^/v3" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(spec.path)) + "$"), spec)
        for spec in sorted(SPECS, key=lambda spec: spec.path.count("{"))
    ]

    def is_bounded(path: str) -> bool:
        spec = next((spec for pattern, spec in routes if pattern.match(path)), None)
        return spec is not None and spec.name in bounded

    return is_bounded


def zoom_bounded(path: str) -> bool:
    """Whether a Zoom path is bounded by time (see ``ZOOM_BOUNDED``)."""
    return any(pattern.search(path) for pattern in ZOOM_BOUNDED)


def endpoint(path: str) -> str:
    """A request path with its ids replaced by ``{id}``."""
    return _ID.sub("/{id}", path)


def measure(
    name: str, tap: type, standin: Any, config: dict, bounded: Callable[[str], bool]
) -> dict[str, Any]:
    """Requests per endpoint of a full sync and of a rerun from its state."""
    first = run_sync(tap, config)
    full = Counter(r.raw_path for r in standin.log)
    standin.clear()
    run_sync(tap, config, state=first.state)
    rerun = Counter(r.raw_path for r in standin.log)
    standin.clear()
    result: dict[str, Any] = {"account": name}
    for group, keep in (("all", lambda _: True), ("time_bounded", bounded)):
        full_n = sum(n for path, n in full.items() if keep(path))
        rerun_n = sum(n for path, n in rerun.items() if keep(path))
        result[group] = {
            "full_sync_requests": full_n,
            "rerun_requests": rerun_n,
            "rerun_share": round(rerun_n / full_n, 3) if full_n else None,
        }
    per_endpoint: dict[str, dict[str, Any]] = {}
    for counts, run in ((full, "full"), (rerun, "rerun")):
        for path, n in counts.items():
            row = per_endpoint.setdefault(
                endpoint(path), {"full": 0, "rerun": 0, "time_bounded": bounded(path)}
            )
            row[run] += n
    result["per_endpoint"] = dict(sorted(per_endpoint.items()))
    return result


def mtslink_config(url: str) -> dict[str, Any]:
    return {
        "api_token": mtslink.API_TOKEN,
        "api_url": f"{url}/v3",
        "start_date": "2015-01-01T00:00:00Z",
        "requests_per_second": 0,
    }


def main() -> None:
    """Measure each account and write the results."""
    is_mtslink_bounded = mtslink_bounded()
    cases: list[tuple[str, type, Callable[[], Any], Callable[[str], dict], Callable]] = [
        ("tap-zoom, default stand-in", TapZoom, zoom.build, zoom_config, zoom_bounded),
        (
            "tap-zoom, 50 hosts, 1,500 instances over 6 months",
            TapZoom,
            lambda: zoom.build(hosts=50, instances=1500, days=180),
            lambda url: zoom_config(url, start_date=days_ago(182)),
            zoom_bounded,
        ),
        (
            "tap-mtslink, default stand-in",
            TapMtsLink,
            mtslink.build,
            mtslink_config,
            is_mtslink_bounded,
        ),
        (
            "tap-mtslink, 150 events (sessions from 200 days ago to 40 ahead)",
            TapMtsLink,
            lambda: mtslink.build(events=150, big_session=100),
            mtslink_config,
            is_mtslink_bounded,
        ),
    ]
    results = []
    for name, tap, build, config_for, bounded in cases:
        standin = build()
        config = config_for(serve_in_background(standin))
        results.append(measure(name, tap, standin, config, bounded))
    print(
        "| account | full sync | rerun | rerun / full | time-bounded: full | rerun | rerun / full |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        a, b = r["all"], r["time_bounded"]
        print(
            f"| {r['account']} | {a['full_sync_requests']} | {a['rerun_requests']} | "
            f"{a['rerun_share']:.1%} | {b['full_sync_requests']} | {b['rerun_requests']} | "
            f"{b['rerun_share']:.1%} |"
        )
    for r in results:
        print(f"\n{r['account']}: endpoints a rerun still reads (full -> rerun)")
        for e, n in r["per_endpoint"].items():
            if n["rerun"]:
                kind = "time-bounded" if n["time_bounded"] else "no time filter"
                print(f"  {e}: {n['full']} -> {n['rerun']} ({kind})")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
