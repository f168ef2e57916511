"""The harness the fan-out benchmarks share: a tap run as a subprocess against a stand-in.

Each run gets a catalog selecting the benchmark's streams, writes its Singer output to a file
(as a target would read it), and reports wall time, the requests the stand-in saw, and records.
``compare`` runs the usual settings (sequential, the tap's default, 8 and 16 workers without a
rate cap, then both without latency), prints a Markdown table and writes the JSON results.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from standins.server import StandIn
from standins.support import serve_in_background

RESULTS = Path(__file__).resolve().parent / "results"
UNCAPPED = {"requests_per_second": 0}


def catalog_for(module: str, config: dict, streams: Iterable[str], workdir: Path) -> Path:
    """The tap's catalog with only ``streams`` selected, written to ``workdir``."""
    wanted = set(streams)
    cfg = workdir / "discover.json"
    cfg.write_text(json.dumps(config))
    out = subprocess.run(
        [sys.executable, "-m", module, "--config", str(cfg), "--discover"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    catalog = json.loads(out)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] in wanted
    path = workdir / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def timed_run(module: str, standin: StandIn, config: dict, catalog: Path, workdir: Path) -> dict:
    """One run of ``python -m module``; wall time, requests, records and rates."""
    cfg = workdir / "config.json"
    cfg.write_text(json.dumps(config))
    output = workdir / "output.jsonl"
    standin.clear()
    started = time.perf_counter()
    with output.open("w") as sink:
        proc = subprocess.run(
            [sys.executable, "-m", module, "--config", str(cfg), "--catalog", str(catalog)],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{module} failed with exit code {proc.returncode}")
    with output.open() as lines:
        records = sum(1 for line in lines if line.startswith('{"type":"RECORD"'))
    return {
        "seconds": round(elapsed, 2),
        "requests": len(standin.log),
        "records": records,
        "records_per_second": round(records / elapsed),
        "requests_per_second": round(len(standin.log) / elapsed, 1),
    }


def compare(
    *,
    module: str,
    streams: Iterable[str],
    build: Callable[[float], StandIn],
    config_for: Callable[..., dict],
    latency_ms: float,
    default_label: str,
    title: str,
    results_name: str,
) -> dict[str, dict]:
    """Run the usual settings with and without latency; print and save the results.

    ``build(latency_seconds)`` makes a stand-in; ``config_for(base_url, **overrides)`` the tap
    config for it.
    """
    slow, fast = build(latency_ms / 1000), build(0.0)
    slow_url, fast_url = serve_in_background(slow), serve_in_background(fast)
    lat = f"{latency_ms:g} ms latency"
    runs = [
        (
            f"sequential (max_concurrent_requests=1, no rate cap), {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 1, **UNCAPPED},
        ),
        (f"{default_label}, {lat}", slow, slow_url, {}),
        (
            f"8 concurrent, no rate cap, {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 8, **UNCAPPED},
        ),
        (
            f"16 concurrent, no rate cap, {lat}",
            slow,
            slow_url,
            {"max_concurrent_requests": 16, **UNCAPPED},
        ),
        (
            "sequential, no rate cap, no latency",
            fast,
            fast_url,
            {"max_concurrent_requests": 1, **UNCAPPED},
        ),
        (
            "8 concurrent, no rate cap, no latency",
            fast,
            fast_url,
            {"max_concurrent_requests": 8, **UNCAPPED},
        ),
    ]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        catalog = catalog_for(module, config_for(slow_url), streams, workdir)
        for label, standin, url, overrides in runs:
            results[label] = timed_run(
                module, standin, config_for(url, **overrides), catalog, workdir
            )
    print(f"| run ({title}) | wall s | requests | records | records/s |")
    print("|---|---:|---:|---:|---:|")
    for label, r in results.items():
        cells = [label, r["seconds"], r["requests"], r["records"], r["records_per_second"]]
        print("| " + " | ".join(map(str, cells)) + " |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{results_name}.json").write_text(json.dumps(results, indent=2) + "\n")
    return results
