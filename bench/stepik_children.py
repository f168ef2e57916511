"""Benchmark: tap-stepik on Hyperskill, sequential against concurrent child requests.

Every Hyperskill stream (steps per topic and submissions per step are the fan-out) on the
stand-in with a fixed latency per request, then without latency. See ``fanout.py`` for what
each run measures.

    .venv/bin/python bench/stepik_children.py [--platform hyperskill] [--latency-ms 50]

Results: bench/results/stepik_children.json.
"""

from __future__ import annotations

import argparse

from fanout import compare

from standins import stepik


def main() -> None:
    """Parse the options and run the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", choices=["stepik", "hyperskill"], default="hyperskill")
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--topics", type=int, default=200, help="Hyperskill topics (steps fan out)")
    parser.add_argument("--steps", type=int, default=600, help="Stepik steps (submissions fan out)")
    args = parser.parse_args()
    sizes = {"topics": args.topics} if args.platform == "hyperskill" else {"steps": args.steps}
    reference = stepik.build(platform=args.platform, **sizes)
    compare(
        module="tap_stepik",
        streams=stepik.STREAMS[args.platform],
        build=lambda latency: stepik.build(platform=args.platform, latency=latency, **sizes),
        config_for=lambda url, **overrides: stepik.tap_config(reference, url, **overrides),
        latency_ms=args.latency_ms,
        default_label="default (4 concurrent, adaptive rate up to 50/s)",
        title=f"{args.platform}, {sizes}",
        results_name="stepik_children",
    )


if __name__ == "__main__":
    main()
