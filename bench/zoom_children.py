"""Benchmark: tap-zoom's participant fan-out, sequential against concurrent.

``users -> past_meetings -> meeting_participants`` on the Zoom stand-in (2,000 past meeting
instances by default) with a fixed latency per request, then without latency for the tap's own
throughput. See ``fanout.py`` for what each run measures.

    .venv/bin/python bench/zoom_children.py [--instances 2000] [--latency-ms 50]

Results: bench/results/zoom_children.json.
"""

from __future__ import annotations

import argparse

from fanout import compare

from standins import zoom
from standins.support import zoom_config


def config_for(url: str, **overrides: object) -> dict:
    """The default run on the tap's default plan (Pro) budgets; "no rate cap" runs lift them."""
    if overrides.pop("requests_per_second", None) == 0:
        return zoom_config(url, **overrides)  # every category's budget lifted
    return zoom_config(url, rate_plan="pro", **overrides)


def main() -> None:
    """Parse the options and run the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50)
    args = parser.parse_args()
    compare(
        module="tap_zoom",
        streams=["users", "past_meetings", "meeting_participants"],
        build=lambda latency: zoom.build(instances=args.instances, latency=latency),
        config_for=config_for,
        latency_ms=args.latency_ms,
        default_label="default (8 concurrent, Pro plan budgets)",
        title=f"{args.instances} instances",
        results_name="zoom_children",
    )


if __name__ == "__main__":
    main()
