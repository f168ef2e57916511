"""Benchmark: how many Oktopost API requests a full sync and a rerun of tap-oktopost send.

Oktopost allows 60 calls a minute (and 120 per 5 s; a 15-minute block above), so the number of
requests is what decides how long a sync takes. For each account size this builds an Oktopost
stand-in, discovers the catalog (every stream selected), then counts the requests each run
sends, per endpoint, from the stand-in's request log:

* **full sync**: no state;
* **rerun**: with the state the full sync wrote, nothing changed in between.

Each pair runs twice: postlogs read in bulk pages (``/postlog?withStats=1&_page&_count``, the
default) and with the bulk listing refused (stand-in option ``postlog_bulk=0``: the tap falls
back to one request per post, as it always did before the bulk listing).

The stand-in has no option for the number of posts: ``campaigns`` decides it (each campaign has
0-4 messages, each message 0-2 posts, each post 0-3 postlogs). The sizes measured are 300
campaigns (the brief's campaign count, 770 posts) and 1,209 campaigns (the brief's 3,000 posts).

The stand-in dates its posts ten days further for each campaign, so with more than about 70
campaigns most posts would be created in the future (up to 2058 for 1,209 campaigns), which no
real account has and which the tap's ``before`` bound (when the run began) leaves out. The
benchmark first moves every post's dates back (scaled, so they stay distinct and in the same
order) to end a day before now.

No client-side rate cap is set (``requests_per_minute: 0``): nothing waits; the time each run
needs under Oktopost's limit is computed at the governor's pace: 60 requests per 60.6 seconds
(the documented minute plus its jitter margin, ``tap_common.governor.Window``). Downloads of
BI-export files (pre-signed links, not the API) are counted apart and are not part of that time.

    .venv/bin/python bench/oktopost_requests.py [--campaigns 300 1209] [--clicks 10000]

Results: bench/results/oktopost_requests.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common.governor import Window
from tap_common.testing import catalog_selecting, parse_singer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "oktopost_requests.json"
PER_MINUTE = 60 * 60 / Window(60, 60).span  # the governor's pace, about 59.4 a minute
MODES = {"bulk": 1, "per_post": 0}  # the stand-in's postlog_bulk option


def endpoint(raw_path: str) -> str:
    """The endpoint of a request path, ids replaced (``/v2/bi-export/{id}``)."""
    if raw_path.startswith("/files/"):
        return "files (pre-signed, not the API)"
    return re.sub(r"^(/v2/bi-export)/[^/]+$", r"\1/{id}", raw_path)


def settle_in_the_past(standin: Any) -> None:
    """Scale the posts' dates (and their postlogs') to end a day ago, order and gaps kept."""
    fmt = "%Y-%m-%d %H:%M:%S"
    end = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=1)
    created = [datetime.strptime(p["Created"], fmt) for p in standin.posts]
    first, last = min(created), max(created)
    if last <= end:
        return
    scale = (end - first) / (last - first)

    def moved(text: str) -> str:
        if text.startswith("0000"):
            return text
        return (first + (datetime.strptime(text, fmt) - first) * scale).strftime(fmt)

    for row in [*standin.posts, *standin.postlogs]:
        for field in ("Created", "Modified", "StartDateTime"):
            if field in row:
                row[field] = moved(row[field])


def sync(config: dict, catalog: dict, state: dict | None) -> Any:
    """One in-process run of the tap with ``catalog``; its parsed output."""
    tap = TapOktopost(config=config, catalog=catalog, state=state)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    return parse_singer(buffer.getvalue())


def counted(standin: Any, result: Any) -> dict[str, Any]:
    """Requests per endpoint of the run just made, totals and records per stream."""
    per_endpoint = Counter(endpoint(r.raw_path) for r in standin.log)
    api = sum(n for name, n in per_endpoint.items() if name.startswith("/v2/"))
    return {
        "api_requests": api,
        "minutes_at_the_governors_pace": round(api / PER_MINUTE, 1),
        "requests_per_endpoint": dict(sorted(per_endpoint.items())),
        "records": dict(sorted(result.counts().items())),
    }


def measure(campaigns: int, clicks: int, mode: str) -> dict[str, Any]:
    """A full sync and a rerun of every stream on one stand-in."""
    standin = oktopost_standin.build(campaigns=campaigns, clicks=clicks, postlog_bulk=MODES[mode])
    settle_in_the_past(standin)
    with standin.serve() as url:
        config = oktopost_standin.tap_config(url)
        names = list(TapOktopost(config=config, validate_config=False).streams)
        catalog = catalog_selecting(TapOktopost, config, names)  # downloads: not counted
        standin.clear()
        first = sync(config, catalog, None)
        full = counted(standin, first)
        standin.clear()
        second = sync(config, catalog, first.state)
        rerun = counted(standin, second)
    standin.close()
    return {
        "mode": mode,
        "account": {
            "campaigns": len(standin.campaigns),
            "messages": len(standin.messages),
            "posts": len(standin.posts),
            "postlogs": len(standin.postlogs),
            "clicks": len(standin.clicks),
        },
        "full_sync": full,
        "rerun": rerun,
    }


def main() -> None:
    """Parse the options, measure every size in both modes, print and save the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, nargs="+", default=[300, 1209])
    parser.add_argument("--clicks", type=int, default=10000)
    args = parser.parse_args()
    results = [
        measure(campaigns, args.clicks, mode) for campaigns in args.campaigns for mode in MODES
    ]
    print(f"{'campaigns':>9} {'posts':>6} {'mode':>8} | {'full sync':>20} | {'rerun':>20}")
    for item in results:
        runs = [item["full_sync"], item["rerun"]]
        cells = [
            f"{r['api_requests']:>6} req {r['minutes_at_the_governors_pace']:>7} min" for r in runs
        ]
        account = item["account"]
        print(
            f"{account['campaigns']:>9} {account['posts']:>6} {item['mode']:>8} | "
            + " | ".join(f"{c:>20}" for c in cells)
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
