"""Benchmark: the rate governor's wall time against the floor the API's limits allow.

Each run serves a stand-in in this process (50 ms latency per request by default), runs a tap as
a subprocess with its Singer output going to a file (as a target would read it) and its log to
another, and reports the requests the stand-in saw, the 429 answers it gave (its limit
counters), the wall time of the tap's process, the time from the first request to the last
answer (``span``: the wall time without interpreter start-up and exit) and the **floor**:

    floor = max(sum over phases of requests of a category / that category's allowed rate,
                requests x latency / requests in flight)

``requests`` are the ones the run needed (the stand-in's log less its 429 answers); a category's
requests are those the stand-in let through (Zoom: its categories; MTS Link and Hyperskill: the
hidden limit). Phases are the categories in the order the run first uses them (Zoom's users
are read before their meetings or reports). The allowed rate is the documented one the stand-in
enforces (Pro Medium 20/s, Heavy 10/s; Business 60/s and 40/s) or ``hidden_limit``; without
limits only the latency term remains. Ratios: wall / floor and span / floor.

Cases:

1. Zoom ``users`` + ``meetings`` (200 users, 1,204 meeting series: ``hosts=200,
   instances=2000``) on the Pro and the Business limits (stand-in ``rate_plan`` = tap
   ``rate_plan``).
   ``1d`` (diagnostic): the same with ``X-RateLimit-Remaining`` taken out of the stand-in's
   answers, to show what the governor's 1 s pause on ``Remaining: 0`` costs.
2. Zoom ``users`` + ``past_meetings`` + ``meeting_participants`` (Heavy reports; instances of
   4 hosts as in ``zoom_children.py``, 2,000 by default: about 3.5 minutes on Pro, the whole
   benchmark about 12) on Pro and Business. ``2d``
   (diagnostic): Business without ``X-RateLimit-Remaining``, as ``1d``.
3. Zoom without enforced limits, case 1's data: the tap sequential (``max_concurrent_requests=1``)
   against its default concurrency (8) with ``rate_plan`` business (what the stand-in's headers
   say), the tap's own default ``rate_plan`` (pro), business with every category's limit lifted
   (``rate_limits`` all 0; the stand-in still sends Business ``X-RateLimit-*`` headers, which
   the tap obeys), and lifted limits with those headers taken out of the answers (an API that
   neither enforces nor announces a limit); speed-up = sequential wall / wall.
4. MTS Link (``--mtslink-events`` events, every session child stream) and Hyperskill
   (``--topics`` topics, every stream) behind an undocumented limit (``hidden_limit=10``), tap
   default settings: ratio, 429 share and the rate the adaptive budget settled at (from the
   log's "Request budgets:" lines).
5. singer-io's ``tap-zoom`` 2.1.1 from PyPI as a peer, in its own virtualenv (made with ``uv``
   when missing), on case 1's Pro stand-in via ``peer_tap_zoom.py`` (see there why a shim),
   streams ``users`` + ``meetings``. It sends one request at a time, and its ``meetings`` are
   each series' details (``GET /meetings/{id}`` after ``GET /users/{id}/meetings``), which the
   stand-in does not serve: those answers are 404, which that tap skips silently, so it emits
   users only and its requests are more than the project tap's.

    .venv/bin/python bench/rate_governor.py [--cases 1,2,3,4,5] [--latency-ms 50]
        [--instances 2000] [--report-instances 2000] [--hidden-limit 10]
        [--mtslink-events 40] [--topics 100] [--peer-venv /tmp/singer-zoom]

Results: bench/results/rate_governor.json (a run of a subset of cases writes only those).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fanout import RESULTS, catalog_for

from standins import mtslink, stepik, zoom
from standins.server import StandIn
from standins.support import serve_in_background, zoom_config
from standins.zoom_limits import PLANS, category_of

ROOT = Path(__file__).resolve().parent.parent
MTSLINK_STREAMS = ["event_sessions", "participations", "chat_messages", "questions", "transcripts"]
ZOOM_SERIES = ["users", "meetings"]
ZOOM_REPORTS = ["users", "past_meetings", "meeting_participants"]
LIFTED = {"Light": 0, "Medium": 0, "Heavy": 0, "Resource-intensive": 0}
PEER_PACKAGE = "tap-zoom==2.1.1"
BUDGET_LINE = re.compile(
    r"(?P<name>[A-Za-z][\w -]*): (?P<requests>\d+) requests, (?P<throttled>\d+) throttled, "
    r"(?P<kind>adaptive, settled at|limit) (?P<rate>[\d.]+/s|none), "
    r"(?P<waited>[\d.]+)s waited"
)
# The targets of the issue (part 7).
ZOOM_RATIO, ZOOM_429 = 1.15, 0.01
SPEEDUP = 5.0
HIDDEN_RATIO, HIDDEN_429 = 1.3, 0.03


def default_in_flight(module: str) -> int:
    """The tap's default ``max_concurrent_requests``."""
    if module == "tap_zoom":
        from tap_zoom.tap import TapZoom as Tap  # noqa: PLC0415
    elif module == "tap_mtslink":
        from tap_mtslink.tap import TapMtsLink as Tap  # noqa: PLC0415
    else:
        from tap_stepik.tap import TapStepik as Tap  # noqa: PLC0415
    return int(Tap.config_jsonschema["properties"]["max_concurrent_requests"]["default"])


class Span:
    """First request in and last answer out, as the stand-in saw them."""

    def __init__(self, standin: StandIn, *, strip_headers: str = "") -> None:
        self.lock = threading.Lock()
        self.first: float | None = None
        self.last: float | None = None
        #: When each 429 or 503 answer left (perf_counter seconds).
        self.throttles: list[float] = []
        inner = standin.dispatch

        def dispatch(request: Any) -> Any:
            now = time.perf_counter()
            with self.lock:
                if self.first is None:
                    self.first = now
            response = None
            try:
                response = inner(request)
                if strip_headers:
                    for name in [
                        k for k in response.headers if k.lower().startswith(strip_headers)
                    ]:
                        del response.headers[name]
                return response
            finally:
                done = time.perf_counter()
                with self.lock:
                    self.last = done if self.last is None else max(self.last, done)
                    if response is not None and response.status in (429, 503):
                        self.throttles.append(done)

        standin.dispatch = dispatch  # type: ignore[method-assign]

    def reset(self) -> None:
        with self.lock:
            self.first = self.last = None
            self.throttles.clear()

    def throttle_offsets(self) -> list[float]:
        """Seconds from the first request to each throttle answer."""
        start = self.first or 0.0
        return [round(t - start, 2) for t in sorted(self.throttles)]

    @property
    def seconds(self) -> float:
        return 0.0 if self.first is None or self.last is None else self.last - self.first


@dataclass
class Served:
    """A stand-in served in this process, with its span tracker."""

    standin: StandIn
    url: str
    span: Span
    limit: Callable[[Counter[str]], float]  # seconds the limits need for these counts
    latency: float

    @classmethod
    def start(
        cls,
        standin: StandIn,
        limit: Callable[[Counter[str]], float],
        *,
        strip_headers: str = "",
    ) -> Served:
        span = Span(standin, strip_headers=strip_headers)
        return cls(standin, serve_in_background(standin), span, limit, standin.latency)


def zoom_limit(plan: str | None) -> Callable[[Counter[str]], float]:
    """Seconds a plan's per-category rates need for ``counts`` (dict order = phase order)."""
    if plan is None:
        return lambda _counts: 0.0
    rates = {c: r.limit / r.period for c, r in PLANS[plan].rates.items()}
    return lambda counts: sum(n / rates[c] for c, n in counts.items() if c in rates)


def hidden_limit(rate: float) -> Callable[[Counter[str]], float]:
    return lambda counts: counts.get("hidden", 0) / rate


@dataclass
class Run:
    label: str
    case: str
    served: Served
    config: dict
    catalog: Path
    module: str = "tap_zoom"
    command: list[str] | None = None  # a peer's command (config/catalog appended)
    env: dict[str, str] = field(default_factory=dict)
    in_flight: int | None = None


def categories_in_order(standin: StandIn) -> Counter[str]:
    """Requests let through per limit, in the order of first use (the run's phases)."""
    summary = standin.limits.summary()
    accepted = summary["accepted"]
    if accepted:
        order: dict[str, int] = {}
        for request in standin.log:
            name = category_of(request.raw_path) if "/v2/" in request.raw_path else "hidden"
            if name in accepted and name not in order:
                order[name] = 0
        for name in accepted:
            order.setdefault(name, 0)
        return Counter({name: accepted[name] for name in order})
    counts: Counter[str] = Counter()
    for request in standin.log:
        name = category_of(request.raw_path)
        if name:
            counts[name] += 1
    return counts


def budgets_from_log(text: str) -> list[dict[str, Any]]:
    """The "Request budgets:" lines at the end of a run's log."""
    _, _, tail = text.rpartition("Request budgets:")
    rows = []
    for line in tail.splitlines():
        match = BUDGET_LINE.search(line)
        if match:
            row = match.groupdict()
            rows.append(
                {
                    "budget": row["name"].strip(),
                    "requests": int(row["requests"]),
                    "throttled": int(row["throttled"]),
                    "adaptive": row["kind"].startswith("adaptive"),
                    "rate": row["rate"],
                    "waited_seconds": float(row["waited"]),
                }
            )
    return rows


def execute(run: Run, workdir: Path) -> dict[str, Any]:
    """One run of the tap; what the stand-in saw, the floor and the ratios."""
    served, standin = run.served, run.served.standin
    cfg = workdir / f"{run.case}-config.json"
    cfg.write_text(json.dumps(run.config))
    output, log = workdir / "output.jsonl", workdir / "log.txt"
    if run.command:
        command = [*run.command, "--config", str(cfg), "--catalog", str(run.catalog), "--dev"]
    else:
        command = [sys.executable, "-m", run.module, "--config", str(cfg), "--catalog"]
        command.append(str(run.catalog))
    standin.clear()
    standin.limits.reset_counts()
    served.span.reset()
    time.sleep(1.1)  # let the limit windows of the previous run empty
    started = time.perf_counter()
    with output.open("w") as sink, log.open("w") as errors:
        proc = subprocess.run(
            command, stdout=sink, stderr=errors, check=False, env={**_env(), **run.env}
        )
    wall = time.perf_counter() - started
    log_text = log.read_text(errors="replace")
    if proc.returncode:
        sys.stderr.write(log_text[-3000:])
        raise SystemExit(f"{run.label}: exit code {proc.returncode}")
    records: Counter[str] = Counter()
    with output.open() as lines:
        for line in lines:
            if line.startswith(('{"type":"RECORD"', '{"type": "RECORD"')):
                records[json.loads(line)["stream"]] += 1
    limits = standin.limits.summary()
    total = len(standin.log)
    rejected = limits["total_rejected"]
    needed = total - rejected
    counts = categories_in_order(standin)
    in_flight = run.in_flight or int(
        run.config.get("max_concurrent_requests") or default_in_flight(run.module)
    )
    rate_floor = served.limit(counts)
    latency_floor = needed * served.latency / in_flight
    floor = max(rate_floor, latency_floor)
    budgets = budgets_from_log(log_text)
    return {
        "case": run.case,
        "requests": total,
        "requests_needed": needed,
        "requests_by_limit": dict(counts),
        "rejected_429": rejected,
        "rejected_share": round(rejected / total, 4) if total else 0.0,
        "rejected_by": limits["rejected"],
        "records": sum(records.values()),
        "records_by_stream": dict(records),
        "wall_seconds": round(wall, 2),
        "span_seconds": round(served.span.seconds, 2),
        "in_flight": in_flight,
        "rate_floor_seconds": round(rate_floor, 2),
        "latency_floor_seconds": round(latency_floor, 2),
        "floor_seconds": round(floor, 2),
        "wall_over_floor": round(wall / floor, 3) if floor else None,
        "span_over_floor": round(served.span.seconds / floor, 3) if floor else None,
        "budgets": budgets,
        "throttle_answers_at_seconds": served.span.throttle_offsets(),
        "config": {k: v for k, v in run.config.items() if "secret" not in k and "token" not in k},
    }


def _env() -> dict[str, str]:
    import os  # noqa: PLC0415

    return dict(os.environ)


# --- cases ------------------------------------------------------------------------------------


def zoom_runs(args: argparse.Namespace, cases: set[str], workdir: Path) -> list[Run]:
    latency = args.latency_ms / 1000
    runs: list[Run] = []
    series: dict[str, Served] = {}
    for plan in ("pro", "business"):
        if "1" in cases or (plan == "pro" and "5" in cases):
            standin = zoom.build(
                hosts=200, instances=args.instances, latency=latency, rate_plan=plan
            )
            series[plan] = Served.start(standin, zoom_limit(plan))
    # Discovery sends no request: any address will do.
    catalog_series = catalog_for(
        "tap_zoom", zoom_config("http://127.0.0.1:9"), ZOOM_SERIES, workdir
    ).rename(workdir / "catalog-series.json")
    if "1" in cases:
        for plan, served in series.items():
            runs.append(
                Run(
                    f"1. users+meetings, {plan} limits",
                    f"zoom-series-{plan}",
                    served,
                    zoom_config(served.url, rate_plan=plan),
                    catalog_series,
                )
            )
        # Diagnostic: the same limits enforced, answers without X-RateLimit-Remaining (the
        # governor pauses a budget 1 s on "Remaining: 0"); what that pause costs.
        for plan in ("pro", "business"):
            standin = zoom.build(
                hosts=200, instances=args.instances, latency=latency, rate_plan=plan
            )
            served = Served.start(standin, zoom_limit(plan), strip_headers="x-ratelimit-remaining")
            runs.append(
                Run(
                    f"1d. diagnostic: users+meetings, {plan} limits, no X-RateLimit-Remaining",
                    f"zoom-series-{plan}-noremaining",
                    served,
                    zoom_config(served.url, rate_plan=plan),
                    catalog_series,
                )
            )
    if "2" in cases:
        catalog_reports = catalog_for(
            "tap_zoom", zoom_config("http://127.0.0.1:9"), ZOOM_REPORTS, workdir
        ).rename(workdir / "catalog-reports.json")
        # 2d (diagnostic, Business only: Pro would add minutes): without X-RateLimit-Remaining.
        for plan, strip in (("pro", ""), ("business", ""), ("business", "x-ratelimit-remaining")):
            standin = zoom.build(instances=args.report_instances, latency=latency, rate_plan=plan)
            served = Served.start(standin, zoom_limit(plan), strip_headers=strip)
            label = "users+past_meetings+meeting_participants"
            runs.append(
                Run(
                    f"2d. diagnostic: {label}, {plan} limits, no X-RateLimit-Remaining"
                    if strip
                    else f"2. {label}, {plan} limits",
                    f"zoom-reports-{plan}" + ("-noremaining" if strip else ""),
                    served,
                    zoom_config(served.url, rate_plan=plan),
                    catalog_reports,
                )
            )
    if "3" in cases:
        free = Served.start(
            zoom.build(hosts=200, instances=args.instances, latency=latency), zoom_limit(None)
        )
        # The same data and latency, answers without Zoom's X-RateLimit-* headers: an API that
        # neither enforces nor announces a limit.
        bare = Served.start(
            zoom.build(hosts=200, instances=args.instances, latency=latency),
            zoom_limit(None),
            strip_headers="x-ratelimit",
        )
        # rate_plan business, as the stand-in's headers say. Naming the plan matters:
        # ``zoom_config`` without one also lifts every budget (``rate_limits`` all 0).
        base = zoom_config(free.url, rate_plan="business")
        tap_default = {k: v for k, v in base.items() if k != "rate_plan"}
        for label, case, served, config in (
            (
                "sequential (max_concurrent_requests=1), rate_plan business",
                "zoom-free-sequential",
                free,
                {**base, "max_concurrent_requests": 1},
            ),
            ("default (8 in flight), rate_plan business", "zoom-free-default", free, base),
            (
                "default (8 in flight), tap default rate_plan (pro)",
                "zoom-free-pro",
                free,
                tap_default,
            ),
            (
                "8 in flight, rate_limits all 0",
                "zoom-free-lifted",
                free,
                {**base, "rate_limits": LIFTED},
            ),
            (
                "8 in flight, rate_limits all 0, no X-RateLimit headers",
                "zoom-free-bare",
                bare,
                zoom_config(bare.url, rate_plan="business", rate_limits=LIFTED),
            ),
        ):
            runs.append(
                Run(f"3. no limits enforced: {label}", case, served, config, catalog_series)
            )
    if "5" in cases:
        runs.extend(peer_runs(args, series["pro"], workdir))
    return runs


def hidden_runs(args: argparse.Namespace, workdir: Path) -> list[Run]:
    latency = args.latency_ms / 1000
    limit = {"hidden_limit": args.hidden_limit}
    runs = []
    served = Served.start(
        mtslink.build(events=args.mtslink_events, latency=latency, **limit),
        hidden_limit(args.hidden_limit),
    )

    def mts_config(url: str) -> dict:
        return {
            "api_token": mtslink.API_TOKEN,
            "api_url": f"{url}/v3",
            "start_date": "2015-01-01T00:00:00Z",
        }

    catalog = catalog_for("tap_mtslink", mts_config(served.url), MTSLINK_STREAMS, workdir)
    runs.append(
        Run(
            f"4. MTS Link, {args.mtslink_events} events, hidden_limit={args.hidden_limit}",
            "mtslink-hidden",
            served,
            mts_config(served.url),
            catalog.rename(workdir / "catalog-mtslink.json"),
            module="tap_mtslink",
        )
    )
    standin = stepik.build(platform="hyperskill", topics=args.topics, latency=latency, **limit)
    served = Served.start(standin, hidden_limit(args.hidden_limit))
    config = stepik.tap_config(standin, served.url)
    catalog = catalog_for("tap_stepik", config, stepik.STREAMS["hyperskill"], workdir)
    runs.append(
        Run(
            f"4. Hyperskill, {args.topics} topics, hidden_limit={args.hidden_limit}",
            "hyperskill-hidden",
            served,
            config,
            catalog.rename(workdir / "catalog-hyperskill.json"),
            module="tap_stepik",
        )
    )
    return runs


# --- the peer: singer-io's tap-zoom --------------------------------------------------------------


def peer_python(venv: Path) -> Path | None:
    """The peer virtualenv's interpreter, made with uv if missing; None if it cannot be made."""
    python = venv / "bin" / "python"
    if python.exists():
        return python
    uv = ROOT / ".venv" / "bin" / "uv"
    try:
        subprocess.run([str(uv), "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(uv), "pip", "install", PEER_PACKAGE],
            check=True,
            capture_output=True,
            env={**_env(), "VIRTUAL_ENV": str(venv)},
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.stderr.write(f"peer virtualenv not made: {exc}\n")
        return None
    return python


def stand_in_token(url: str) -> str:
    """A Server-to-Server token from the Zoom stand-in (the peer only knows refresh tokens)."""
    basic = base64.b64encode(f"{zoom.CLIENT_ID}:{zoom.CLIENT_SECRET}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the stand-in on 127.0.0.1
        f"{url}/oauth/token?grant_type=account_credentials&account_id={zoom.ACCOUNT_ID}",
        method="POST",
        headers={"Authorization": f"Basic {basic}"},
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return json.load(answer)["access_token"]


def peer_runs(args: argparse.Namespace, served: Served, workdir: Path) -> list[Run]:
    python = peer_python(Path(args.peer_venv))
    if python is None:
        return []
    shim = [str(python), str(Path(__file__).with_name("peer_tap_zoom.py"))]
    env = {"PEER_ZOOM_BASE_URL": f"{served.url}/v2/"}
    config = {
        "client_id": zoom.CLIENT_ID,
        "client_secret": zoom.CLIENT_SECRET,
        "refresh_token": "unused-in-dev-mode",
        "access_token": stand_in_token(served.url),
    }
    cfg = workdir / "peer-discover.json"
    cfg.write_text(json.dumps(config))
    out = subprocess.run(
        [*shim, "--config", str(cfg), "--discover", "--dev"],
        capture_output=True,
        text=True,
        check=True,
        env={**_env(), **env},
    ).stdout
    catalog = json.loads(out)
    for entry in catalog["streams"]:
        chosen = entry["tap_stream_id"] in ZOOM_SERIES
        for meta in entry["metadata"]:
            meta["metadata"]["selected"] = chosen
    path = workdir / "catalog-peer.json"
    path.write_text(json.dumps(catalog))
    return [
        Run(
            "5. peer: singer-io tap-zoom 2.1.1, users+meetings, pro limits",
            "peer-singer-io-pro",
            served,
            config,
            path,
            command=shim,
            env=env,
            in_flight=1,  # the peer sends one request at a time
        )
    ]


# --- report ------------------------------------------------------------------------------------


def verdicts(results: dict[str, dict]) -> dict[str, Any]:
    """Each target of the issue, met or not, from the measured numbers."""
    out: dict[str, Any] = {}
    for label, r in results.items():
        if r["case"].startswith("zoom-series-") or r["case"].startswith("zoom-reports-"):
            out[label] = {
                "target": f"wall <= {ZOOM_RATIO}x floor, 429s < {ZOOM_429:.0%}",
                "wall_met": r["wall_over_floor"] <= ZOOM_RATIO,
                "span_met": r["span_over_floor"] <= ZOOM_RATIO,
                "429_met": r["rejected_share"] < ZOOM_429,
            }
        elif r["case"].endswith("-hidden"):
            out[label] = {
                "target": f"wall <= {HIDDEN_RATIO}x floor, 429s < {HIDDEN_429:.0%}",
                "wall_met": r["wall_over_floor"] <= HIDDEN_RATIO,
                "span_met": r["span_over_floor"] <= HIDDEN_RATIO,
                "429_met": r["rejected_share"] < HIDDEN_429,
            }
        elif r.get("speedup") is not None and r["case"] != "zoom-free-sequential":
            out[label] = {
                "target": f">= {SPEEDUP:g}x faster than sequential",
                "met": r["speedup"] >= SPEEDUP,
            }
    return out


def table(results: dict[str, dict]) -> str:
    head = (
        "| run | requests | 429s (share) | wall s | span s | floor s | wall/floor | span/floor "
        "| settled at |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    rows = []
    for label, r in results.items():
        settled = ", ".join(
            f"{b['budget']} {b['rate']}" for b in r["budgets"] if b["adaptive"]
        ) or ("-" if r["case"].startswith("peer") else "fixed")
        extra = f" (speed-up {r['speedup']}x)" if r.get("speedup") else ""
        cells = [
            label + extra,
            r["requests"],
            f"{r['rejected_429']} ({r['rejected_share']:.2%})",
            r["wall_seconds"],
            r["span_seconds"],
            r["floor_seconds"],
            r["wall_over_floor"],
            r["span_over_floor"],
            settled,
        ]
        rows.append("| " + " | ".join(map(str, cells)) + " |")
    return head + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default="1,2,3,4,5")
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--instances", type=int, default=2000, help="cases 1, 3, 5 (200 hosts)")
    parser.add_argument("--report-instances", type=int, default=2000, help="case 2 (4 hosts)")
    parser.add_argument("--hidden-limit", type=float, default=10)
    parser.add_argument("--mtslink-events", type=int, default=40)
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--peer-venv", default=str(Path(tempfile.gettempdir()) / "singer-zoom"))
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    results: dict[str, dict] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        runs = zoom_runs(args, cases, workdir) if cases & {"1", "2", "3", "5"} else []
        if "4" in cases:
            runs += hidden_runs(args, workdir)
        for run in runs:
            results[run.label] = execute(run, workdir)
            r = results[run.label]
            print(
                f"{run.label}: {r['wall_seconds']} s, floor {r['floor_seconds']} s, "
                f"{r['requests']} requests, {r['rejected_429']} 429s",
                file=sys.stderr,
                flush=True,
            )
    sequential = next((r for r in results.values() if r["case"] == "zoom-free-sequential"), None)
    if sequential:
        for r in results.values():
            if r["case"].startswith("zoom-free-"):
                r["speedup"] = round(sequential["wall_seconds"] / r["wall_seconds"], 2)
                r["speedup_span"] = round(sequential["span_seconds"] / r["span_seconds"], 2)
    print(table(results))
    report = {
        "settings": {
            "latency_ms": args.latency_ms,
            "instances": args.instances,
            "report_instances": args.report_instances,
            "hidden_limit": args.hidden_limit,
            "mtslink_events": args.mtslink_events,
            "hyperskill_topics": args.topics,
            "cases": sorted(cases),
            "benchmark_seconds": round(time.perf_counter() - started, 1),
        },
        "runs": results,
        "targets": verdicts(results),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rate_governor.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
