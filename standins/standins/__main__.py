"""Run a stand-in API: ``standin zoom --port 8765`` (or ``python -m standins zoom``)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

import standins

_NOT_APIS = {"server", "support", "expectations", "__main__"}


def available() -> list[str]:
    """The stand-in modules in this package (those that are not plumbing)."""
    return sorted(
        m.name for m in pkgutil.iter_modules(standins.__path__) if m.name not in _NOT_APIS
    )


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

    options: dict[str, object] = {}
    for item in args.option:
        key, _, value = item.partition("=")
        options[key] = int(value) if value.lstrip("-").isdigit() else value
    module = importlib.import_module(f"standins.{args.api}")
    standin = module.build(latency=args.latency_ms / 1000, **options)
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
