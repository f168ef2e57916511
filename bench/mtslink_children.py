"""Benchmark: tap-mtslink's per-session fan-out, sequential against concurrent.

Serves the MTS Link stand-in in this process with a fixed latency per request and a schedule of
about 300-500 sessions, runs ``tap-mtslink`` as a subprocess with its standard output going to a
file (as a target would read it) for event_sessions -> participations, chat_messages, questions
and transcripts, and prints wall time, requests and records per second for each setting. The
last runs, with no latency, measure the tap's own throughput.

    .venv/bin/python bench/mtslink_children.py [--events 160] [--latency-ms 50]

Results are also written to bench/results/mtslink_children.json.
"""

from __future__ import annotations

import argparse

from fanout import compare

from standins import mtslink as mtslink_standin

STREAMS = ["event_sessions", "participations", "chat_messages", "questions", "transcripts"]


def config_for(base_url: str, **overrides: object) -> dict:
    """A tap config for a stand-in at ``base_url``."""
    return {
        "api_token": mtslink_standin.API_TOKEN,
        "api_url": f"{base_url}/v3",
        "start_date": "2015-01-01T00:00:00Z",
        **overrides,
    }


def main() -> None:
    """Parse the options and run the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=160, help="events; 1-3 sessions each")
    parser.add_argument("--latency-ms", type=float, default=50)
    args = parser.parse_args()
    compare(
        module="tap_mtslink",
        streams=STREAMS,
        build=lambda latency: mtslink_standin.build(events=args.events, latency=latency),
        config_for=config_for,
        latency_ms=args.latency_ms,
        default_label="default (8 concurrent, adaptive rate up to 50/s)",
        title=f"{args.events} events",
        results_name="mtslink_children",
    )


if __name__ == "__main__":
    main()
