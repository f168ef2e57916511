"""Benchmark: tap-oktopost's peak memory reading BI exports of 100k and 1M rows.

For each size, builds an Oktopost stand-in whose extra BI export holds one CSV of that many rows
(written row by row into a ZIP in a temporary file and served from disk, never held in memory),
then runs ``tap-oktopost`` as a subprocess twice, for that export only:

* discovery (``--discover``): downloads the ZIP to a temporary file and reads every row once to
  infer the column types;
* sync (``--catalog``): downloads it again, checks the rows still fit the catalog's types, and
  emits every row (stdout is read line by line and counted, as a target would read it).

Peak RSS of each subprocess comes from ``os.wait4`` (the child's own ``ru_maxrss``). If memory
is flat, 1M rows need about what 100k rows need.

    .venv/bin/python bench/oktopost_memory.py [--rows 100000 1000000]

Results are also written to bench/results/oktopost_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from standins import oktopost as oktopost_standin
from standins.support import serve_in_background

ROOT = Path(__file__).resolve().parents[1]
BIG_EXPORT_ID = "032000000000090"
STREAM = "bi_big_posts"


def run_tap(args: list[str], config: Path) -> tuple[int, float, int, str]:
    """Run the tap; returns (records, seconds, peak RSS in KiB, stdout if not a sync)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tap_oktopost", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    records, kept = 0, []
    for line in proc.stdout or []:
        if line.startswith('{"type":"RECORD"'):
            records += 1
        elif "--discover" in args:
            kept.append(line)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"tap {' '.join(args)} failed with {proc.returncode}")
    return records, elapsed, usage.ru_maxrss, "".join(kept)


def measure(rows: int, workdir: Path) -> dict:
    """Discovery and sync of one export of ``rows`` rows."""
    started = time.perf_counter()
    standin = oktopost_standin.build(big_rows=rows)
    generated = time.perf_counter() - started
    export = standin.export(BIG_EXPORT_ID)
    if export.path_on_disk is None:
        raise SystemExit("the stand-in did not write the big export to disk")
    zip_bytes = export.path_on_disk.stat().st_size
    with zipfile.ZipFile(export.path_on_disk) as archive:
        csv_bytes = sum(i.file_size for i in archive.infolist())
    url = serve_in_background(standin)
    config = workdir / f"config-{rows}.json"
    config.write_text(json.dumps(oktopost_standin.tap_config(url, bi_export_ids=[BIG_EXPORT_ID])))

    _, discover_s, discover_kib, out = run_tap(["--discover"], config)
    catalog = json.loads(out)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] == STREAM
    catalog_path = workdir / f"catalog-{rows}.json"
    catalog_path.write_text(json.dumps(catalog))

    records, sync_s, sync_kib, _ = run_tap(["--catalog", str(catalog_path)], config)
    if records != rows:
        raise SystemExit(f"expected {rows} records, got {records}")
    standin.close()
    return {
        "rows": rows,
        "zip_mib": round(zip_bytes / 2**20, 2),
        "csv_mib": round(csv_bytes / 2**20, 1),
        "generate_seconds": round(generated, 1),
        "discover_seconds": round(discover_s, 1),
        "discover_peak_rss_mib": round(discover_kib / 1024, 1),
        "sync_seconds": round(sync_s, 1),
        "sync_peak_rss_mib": round(sync_kib / 1024, 1),
        "records_per_second": round(records / sync_s),
    }


def main() -> None:
    """Measure each size and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            result = measure(rows, Path(tmp))
            results.append(result)
            print(json.dumps(result))
    print()
    print("| rows | CSV MiB | discover s | discover peak RSS MiB | sync s | sync peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['csv_mib']} | {r['discover_seconds']} | "
            f"{r['discover_peak_rss_mib']} | {r['sync_seconds']} | {r['sync_peak_rss_mib']} |"
        )
    out = ROOT / "bench" / "results" / "oktopost_memory.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
