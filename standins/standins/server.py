"""A small threaded HTTP server with routes, injected faults, latency and a request log.

Every stand-in also takes the drift and breakage switches of ``standins.drift`` (``configure``):
records found by its ``declare_records(...)`` declarations are served drifted or without their keys,
and paths matching ``fail_path`` answer the API's 404.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from standins.drift import Context, Drifter, Locator, RecordRoute, drop
from standins.limits import Limits


@dataclass
class Request:
    """One request as the handler sees it. ``raw_path`` is exactly what the client sent."""

    method: str
    raw_path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The path decoded once."""
        return unquote(self.raw_path)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """Every value of query parameter ``name``."""
        return self.query.get(name, [])

    def form(self) -> dict[str, list[str]]:
        """The body parsed as a form."""
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body or b"null")


@dataclass
class Response:
    """What a handler answers: a status, a JSON-able body (or bytes) and headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (a slow server, to provoke client timeouts).
    delay: float = 0.0
    #: Close the connection without answering (a dropped connection).
    drop: bool = False

    def encoded(self) -> tuple[bytes, str]:
        """The body as bytes, with its content type."""
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if isinstance(self.body, str):
            return self.body.encode(), self.headers.get("Content-Type", "text/plain")
        return json.dumps(self.body).encode(), "application/json"


@dataclass
class Fault:
    """An injected answer for requests whose method and raw path match, ``times`` times."""

    pattern: re.Pattern[str]
    response: Response
    times: int
    method: str = "GET"
    hits: int = 0


Handler = Callable[[Request], Response]


class StandIn:
    """Routes plus the switches tests use: latency, faults and a log of requests."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.log: list[Request] = []
        #: Endpoints whose answers hold records (what drift and ``keyless`` act on).
        self.record_routes: list[RecordRoute] = []
        #: Field names that never drift in this API (keys, replication keys, parent links).
        self.protected_fields: frozenset[str] = frozenset()
        #: The drift of this stand-in (inactive unless ``configure(drift=...)``).
        self.drift = Drifter()
        #: Requests whose raw path matches answer the API's 404.
        self.fail_path: re.Pattern[str] | None = None
        #: Records served from matching raw paths lose their key fields.
        self.keyless: re.Pattern[str] | None = None
        #: The clock of the optional rate limits and what they refused (see ``standins.limits``).
        self.limits = Limits()

    # --- building ------------------------------------------------------------------------

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``method`` and a regex over the raw path (named groups)."""

        def register(handler: Handler) -> Handler:
            self._routes.append((method.upper(), re.compile(f"^{pattern}$"), handler))
            return handler

        return register

    def inject(
        self,
        pattern: str,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        method: str = "GET",
        delay: float = 0.0,
        drop: bool = False,
    ) -> Fault:
        """Answer the next ``times`` matching requests with this status and body.

        ``delay`` holds the answer back that many seconds; ``drop`` closes the connection
        instead of answering.
        """
        response = Response(status, body, headers or {}, delay=delay, drop=drop)
        fault = Fault(re.compile(pattern), response, times, method)
        with self._lock:
            self._faults.append(fault)
        return fault

    def declare_records(
        self,
        pattern: str,
        resource: str | Callable[[dict[str, str]], str],
        locate: Locator,
        *,
        key: Iterable[str] = ("id",),
        context: Context | None = None,
        protected: Iterable[str] = (),
    ) -> None:
        """Declare where answers of the raw paths matching ``pattern`` hold records.

        ``resource`` names the endpoint in change records (a string, or a function of the
        path's named groups); see ``standins.drift.RecordRoute`` for the rest. The first
        declaration matching a path applies.
        """
        name = resource if callable(resource) else (lambda _params, text=resource: text)
        self.record_routes.append(
            RecordRoute(
                re.compile(f"^{pattern}$"),
                name,
                locate,
                tuple(key),
                context,
                frozenset(protected),
            )
        )

    def configure(
        self,
        *,
        drift: float | str | None = 0.0,
        drift_seed: int | str = 1,
        drift_log: str | Path | None = None,
        fail_path: str | None = None,
        keyless: str | None = None,
    ) -> None:
        """Set the drift and breakage switches (see ``standins.drift``); CLI strings accepted."""
        self.drift = Drifter(drift or 0.0, drift_seed, drift_log)
        self.fail_path = re.compile(str(fail_path)) if fail_path not in (None, "") else None
        self.keyless = re.compile(str(keyless)) if keyless not in (None, "") else None

    def clear(self) -> None:
        """Forget faults and the request log."""
        with self._lock:
            self._faults.clear()
            self.log.clear()

    def requests_to(self, pattern: str, method: str = "GET") -> list[Request]:
        """Logged requests whose raw path matches ``pattern``."""
        regex = re.compile(pattern)
        with self._lock:
            return [r for r in self.log if r.method == method and regex.search(r.raw_path)]

    # --- serving -------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """The response for one request: a fault, a route, or 404."""
        with self._lock:
            self.log.append(request)
            for fault in self._faults:
                if (
                    fault.method == request.method
                    and fault.pattern.search(request.raw_path)
                    and fault.hits < fault.times
                ):
                    fault.hits += 1
                    return fault.response
        if self.latency:
            time.sleep(self.latency)
        if self.fail_path is not None and self.fail_path.search(request.raw_path):
            return self.failed(request)
        for method, pattern, handler in self._routes:
            match = pattern.match(request.raw_path)
            if method == request.method and match:
                request.params = {k: v for k, v in match.groupdict().items() if v is not None}
                return self.reshape(request, handler(request))
        return self.not_found(request)

    def not_found(self, request: Request) -> Response:  # noqa: ARG002
        """The answer for an unknown path; stand-ins override it with their API's shape."""
        return Response(404, {"message": "Not found"})

    def failed(self, request: Request) -> Response:
        """The answer for a path broken with ``fail_path``: the API's own 404."""
        return self.not_found(request)

    # --- drift and keyless -----------------------------------------------------------------

    def keyless_for(self, request: Request) -> bool:
        """Whether records served for this request lose their keys."""
        return self.keyless is not None and bool(self.keyless.search(request.raw_path))

    def record_route(self, request: Request) -> tuple[RecordRoute, dict[str, str]] | None:
        """The record declaration for this request's path, with the path's named groups."""
        if request.method != "GET":
            return None
        for route in self.record_routes:
            match = route.pattern.match(request.raw_path)
            if match:
                return route, {k: v for k, v in match.groupdict().items() if v is not None}
        return None

    def reshape(self, request: Request, response: Response) -> Response:
        """``response`` with its records drifted or stripped of keys, as switched on.

        Only successful JSON answers of declared endpoints change, and only a copy of the
        body: the stand-in's data stays as generated.
        """
        keyless = self.keyless_for(request)
        if not (self.drift.active or keyless) or response.status != 200:
            return response
        if not isinstance(response.body, (dict, list)):
            return response
        found = self.record_route(request)
        if found is None:
            return response
        route, params = found
        body = json.loads(json.dumps(response.body))
        resource = route.resource(params)
        protected = route.protected_names(self.protected_fields)
        for record in route.locate(body):
            key = route.key_of(record, params, request)
            self.drift.apply(resource, record, key, protected)
            if keyless:
                for dotted in route.key:
                    drop(record, dotted)
        return dataclasses.replace(response, body=body)

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a background thread; yields the base URL (``http://host:port``)."""
        server = self.make_server(host, port)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()

    def make_server(self, host: str, port: int) -> ThreadingHTTPServer:
        """A server bound to ``host:port`` dispatching to this stand-in."""
        standin = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle's algorithm and
            # delayed ACKs add ~40 ms to every keep-alive response.
            disable_nagle_algorithm = True

            def _handle(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    raw_path=split.path,
                    query=parse_qs(split.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                try:
                    response = standin.dispatch(request)
                except Exception as exc:
                    response = Response(500, {"message": f"stand-in error: {exc!r}"})
                if response.delay:
                    time.sleep(response.delay)
                if response.drop:
                    self.close_connection = True
                    return
                payload, content_type = response.encoded()
                self.send_response(response.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for key, value in response.headers.items():
                    if key.lower() not in {"content-type", "content-length"}:
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
                return

        server = ThreadingHTTPServer((host, port), _Handler)
        server.daemon_threads = True
        return server
