"""Benchmark: tap-zoom's participant fan-out, sequential against concurrent.

Serves the Zoom stand-in in this process with a fixed latency per request and 2,000 past
meeting instances, runs ``tap-zoom`` as a subprocess (stdout counted, as a target would read it)
for users -> past_meetings -> meeting_participants, and prints wall time, requests and records
per second for each setting. A last run with no latency measures the tap's own throughput.

    .venv/bin/python bench/zoom_children.py [--instances 2000] [--latency-ms 50]

Results are also written to bench/results/zoom_children.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from standins import zoom as zoom_standin
from standins.support import serve_in_background, zoom_config
from standins.zoom import ZoomStandIn

ROOT = Path(__file__).resolve().parents[1]
STREAMS = ["users", "past_meetings", "meeting_participants"]


def catalog_for(config: dict, workdir: Path) -> Path:
    """A catalog selecting only the fan-out streams."""
    cfg = workdir / "discover.json"
    cfg.write_text(json.dumps(config))
    out = subprocess.run(
        [sys.executable, "-m", "tap_zoom", "--config", str(cfg), "--discover"],
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


def run(standin: ZoomStandIn, config: dict, catalog: Path, workdir: Path) -> dict:
    """One tap run; returns wall time, requests and records."""
    cfg = workdir / "config.json"
    cfg.write_text(json.dumps(config))
    standin.clear()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tap_zoom", "--config", str(cfg), "--catalog", str(catalog)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    records = sum(1 for line in proc.stdout if line.startswith('{"type":"RECORD"'))
    proc.wait()
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"tap failed with {proc.returncode}")
    return {
        "seconds": round(elapsed, 2),
        "requests": len(standin.log),
        "records": records,
        "records_per_second": round(records / elapsed),
        "requests_per_second": round(len(standin.log) / elapsed, 1),
    }


def main() -> None:
    """Run the three settings with latency, then the throughput run without."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50)
    args = parser.parse_args()

    slow = zoom_standin.build(instances=args.instances, latency=args.latency_ms / 1000)
    fast = zoom_standin.build(instances=args.instances)
    slow_url, fast_url = serve_in_background(slow), serve_in_background(fast)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        catalog = catalog_for(zoom_config(slow_url), workdir)
        settings = {
            "sequential (max_concurrent_requests=1, no rate cap)": {
                "max_concurrent_requests": 1,
                "requests_per_second": 0,
            },
            "default (8 concurrent, 30 requests/s cap)": {},
            "8 concurrent, no rate cap": {"max_concurrent_requests": 8, "requests_per_second": 0},
            "16 concurrent, no rate cap": {"max_concurrent_requests": 16, "requests_per_second": 0},
        }
        for label, overrides in settings.items():
            results[f"{label}, {args.latency_ms:g} ms latency"] = run(
                slow, zoom_config(slow_url, **overrides), catalog, workdir
            )
        results["8 concurrent, no rate cap, no latency"] = run(
            fast,
            zoom_config(fast_url, max_concurrent_requests=8, requests_per_second=0),
            catalog,
            workdir,
        )
        results["sequential, no rate cap, no latency"] = run(
            fast,
            zoom_config(fast_url, max_concurrent_requests=1, requests_per_second=0),
            catalog,
            workdir,
        )

    print(f"| run ({args.instances} instances) | wall s | requests | records | records/s |")
    print("|---|---:|---:|---:|---:|")
    for label, r in results.items():
        cells = [label, r["seconds"], r["requests"], r["records"], r["records_per_second"]]
        print("| " + " | ".join(map(str, cells)) + " |")
    (ROOT / "bench" / "results" / "zoom_children.json").write_text(
        json.dumps(results, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
