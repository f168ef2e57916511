"""Run a stand-in API: ``standin zoom --port 8765`` (or ``python -m standins zoom``).

Drift and breakage: ``--option drift=0.3 --option drift_seed=5 --option
drift_log=/tmp/changes.jsonl``, ``--option fail_path=/participants`` or ``--option
keyless=/users$`` (see ``standins.drift``).

Rate limits, all off by default (see ``standins.limits``): ``--option rate_plan=pro`` (Zoom's
per-category and daily limits; ``--option daily_limit=N`` to reach the daily one quickly, see
``standins.zoom_limits``), ``--option hidden_limit=5`` (MTS Link, Stepik, Hyperskill; also
``hidden_burst``, ``hidden_limit_status=503``), ``--option enforce_limits=1`` (Oktopost's 60 a
minute and 120 per 5 s with a ``block_seconds`` block).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

import standins
from standins.server import StandIn

_NOT_APIS = {
    "server",
    "support",
    "expectations",
    "drift",
    "limits",
    "zoom_limits",
    "__main__",
}


def available() -> list[str]:
    """The stand-in modules in this package (those that are not plumbing)."""
    return sorted(
        m.name for m in pkgutil.iter_modules(standins.__path__) if m.name not in _NOT_APIS
    )


def parse_options(items: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` items as keyword arguments; integers are converted, the rest stay text."""
    options: dict[str, object] = {}
    for item in items:
        key, _, value = item.partition("=")
        options[key] = int(value) if value.lstrip("-").isdigit() else value
    return options


def make_standin(api: str, latency: float, options: dict[str, object]) -> StandIn:
    """The stand-in module ``api`` built with ``options``."""
    module = importlib.import_module(f"standins.{api}")
    return module.build(latency=latency, **options)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="standin", description=__doc__)
    parser.add_argument("api", choices=available())
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay per request")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="stand-in option (integers are converted), e.g. instances=2000",
    )
    parser.add_argument("--port-file", type=Path, help="write the chosen port here")
    args = parser.parse_args(argv)

    standin = make_standin(args.api, args.latency_ms / 1000, parse_options(args.option))
    server = standin.make_server(args.host, args.port)
    port = server.server_address[1]
    if args.port_file:
        args.port_file.write_text(str(port))
    sys.stdout.write(f"{args.api} stand-in on http://{args.host}:{port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
