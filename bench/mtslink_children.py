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
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from standins import mtslink as mtslink_standin
from standins.support import serve_in_background

ROOT = Path(__file__).resolve().parents[1]
STREAMS = ["event_sessions", "participations", "chat_messages", "questions", "transcripts"]


def config_for(base_url: str, **overrides: object) -> dict:
    """A tap config for a stand-in at ``base_url``."""
    return {
        "api_token": mtslink_standin.API_TOKEN,
        "api_url": f"{base_url}/v3",
        "start_date": "2015-01-01T00:00:00Z",
        **overrides,
    }


def catalog_for(config: dict, workdir: Path) -> Path:
    """A catalog selecting only the fan-out streams."""
    cfg = workdir / "discover.json"
    cfg.write_text(json.dumps(config))
    out = subprocess.run(
        [sys.executable, "-m", "tap_mtslink", "--config", str(cfg), "--discover"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    catalog = json.loads(out)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] in STREAMS
    path = workdir / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def run(
    standin: mtslink_standin.MtsLinkStandIn, config: dict, catalog: Path, workdir: Path
) -> dict:
    """One tap run with stdout to a file; returns wall time, requests and records."""
    cfg = workdir / "config.json"
    cfg.write_text(json.dumps(config))
    output = workdir / "output.jsonl"
    standin.clear()
    started = time.perf_counter()
    with output.open("w") as sink:
        proc = subprocess.run(
            [sys.executable, "-m", "tap_mtslink", "--config", str(cfg), "--catalog", str(catalog)],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"tap failed with {proc.returncode}")
    with output.open() as lines:
        records = sum(1 for line in lines if line.startswith('{"type":"RECORD"'))
    return {
        "seconds": round(elapsed, 2),
        "requests": len(standin.log),
        "records": records,
        "records_per_second": round(records / elapsed),
        "requests_per_second": round(len(standin.log) / elapsed, 1),
    }


def main() -> None:
    """The settings with latency, then the throughput runs without."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=160, help="events; 1-3 sessions each")
    parser.add_argument("--latency-ms", type=float, default=50)
    args = parser.parse_args()

    slow = mtslink_standin.build(events=args.events, latency=args.latency_ms / 1000)
    fast = mtslink_standin.build(events=args.events)
    slow_url, fast_url = serve_in_background(slow), serve_in_background(fast)
    sessions = len(slow.sessions)
    lat = f"{args.latency_ms:g} ms latency"
    runs = [
        (
            f"sequential (max_concurrent_requests=1, no rate cap), {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 1, "requests_per_second": 0},
        ),
        (f"default (8 concurrent, 20 requests/s cap), {lat}", slow, slow_url, {}),
        (
            f"8 concurrent, no rate cap, {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 8, "requests_per_second": 0},
        ),
        (
            f"16 concurrent, no rate cap, {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 16, "requests_per_second": 0},
        ),
        (
            "sequential, no rate cap, no latency",
            fast,
            fast_url,
            {"max_concurrent_requests": 1, "requests_per_second": 0},
        ),
        (
            "8 concurrent, no rate cap, no latency",
            fast,
            fast_url,
            {"max_concurrent_requests": 8, "requests_per_second": 0},
        ),
    ]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        catalog = catalog_for(config_for(slow_url), workdir)
        for label, standin, url, overrides in runs:
            results[label] = run(standin, config_for(url, **overrides), catalog, workdir)
            print(f"{label}: {results[label]}", file=sys.stderr)

    print(
        f"| run ({sessions} sessions, {len(STREAMS) - 1} children each) "
        "| wall s | requests | records | records/s |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, r in results.items():
        print(
            f"| {label} | {r['seconds']} | {r['requests']} | {r['records']} "
            f"| {r['records_per_second']} |"
        )
    out = ROOT / "bench" / "results" / "mtslink_children.json"
    out.write_text(
        json.dumps({"sessions": sessions, "streams": STREAMS, "runs": results}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
