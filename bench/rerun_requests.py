"""Benchmark: requests of a rerun against those of the first run (Zoom and MTS Link).

For each tap, one stand-in, every stream selected, no rate limit (only requests are counted):
a full sync with no state, then a rerun with the state the first run wrote, nothing changed in
between. The requests come from the stand-in's own log, grouped by endpoint, so the table shows
which endpoints a rerun still reads in full (those the API cannot filter by time).
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

from tap_mtslink.tap import TapMtsLink
from tap_zoom.tap import TapZoom

from standins import mtslink, zoom
from standins.support import serve_in_background, zoom_config
from tap_common.testing import run_sync

RESULTS = Path(__file__).resolve().parent / "results" / "rerun_requests.json"
_ID = re.compile(r"/(?:[0-9]{3,}|[A-Za-z0-9_\-]{16,}(?:%3D|=)*)(?=/|$)")


def endpoint(path: str) -> str:
    """A request path with its ids replaced by ``{id}``."""
    return _ID.sub("/{id}", path)


def measure(name: str, tap: type, standin: Any, config: dict) -> dict[str, Any]:
    """Requests per endpoint of a full sync and of a rerun from its state."""
    first = run_sync(tap, config)
    full = Counter(endpoint(r.raw_path) for r in standin.log)
    standin.clear()
    run_sync(tap, config, state=first.state)
    rerun = Counter(endpoint(r.raw_path) for r in standin.log)
    total_full, total_rerun = sum(full.values()), sum(rerun.values())
    return {
        "tap": name,
        "full_sync_requests": total_full,
        "rerun_requests": total_rerun,
        "rerun_share": round(total_rerun / total_full, 3),
        "per_endpoint": {e: {"full": full[e], "rerun": rerun[e]} for e in sorted(full)},
    }


def main() -> None:
    """Measure both taps and write the results."""
    cases: list[tuple[str, type, Callable[[], Any], Callable[[str], dict]]] = [
        ("tap-zoom", TapZoom, zoom.build, zoom_config),
        (
            "tap-mtslink",
            TapMtsLink,
            mtslink.build,
            lambda url: {
                "api_token": mtslink.API_TOKEN,
                "api_url": f"{url}/v3",
                "start_date": "2015-01-01T00:00:00Z",
                "requests_per_second": 0,
            },
        ),
    ]
    results = []
    for name, tap, build, config_for in cases:
        standin = build()
        results.append(measure(name, tap, standin, config_for(serve_in_background(standin))))
    print("| tap | full sync requests | rerun requests | rerun / full |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['tap']} | {r['full_sync_requests']} | {r['rerun_requests']} | "
            f"{r['rerun_share']:.0%} |"
        )
    for r in results:
        print(f"\n{r['tap']}: endpoints a rerun still reads (full -> rerun)")
        for e, n in r["per_endpoint"].items():
            if n["rerun"]:
                print(f"  {e}: {n['full']} -> {n['rerun']}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
