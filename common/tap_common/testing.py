"""Helpers the taps' tests share: run a tap in-process and read its Singer output."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from singer_sdk import Tap


@dataclass
class SyncResult:
    """What one in-process run wrote: every message, records by stream, the final state."""

    messages: list[dict[str, Any]]
    stdout: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    state: dict[str, Any] = field(default_factory=dict)
    #: The tap that ran (for its authenticator, runtime and ledger), when run in-process.
    tap: Tap | None = None
    #: What the run raised, when it was allowed to fail.
    error: BaseException | None = None

    def count(self, stream: str) -> int:
        """Records emitted for ``stream``."""
        return len(self.records.get(stream, []))

    def counts(self) -> dict[str, int]:
        """Records emitted per stream."""
        return {name: len(rows) for name, rows in self.records.items()}

    def comparable_messages(self) -> list[dict[str, Any]]:
        """Every message but STATE, without the moment each record was read.

        What two runs that read the same data in different ways (one request at a time, or
        concurrently) must both have written.
        """
        return [
            {k: v for k, v in m.items() if k != "time_extracted"}
            for m in self.messages
            if m["type"] != "STATE"
        ]


def catalog_selecting(tap_class: type[Tap], config: dict, streams: Iterable[str]) -> dict:
    """The tap's discovered catalog with only ``streams`` (and their fields) selected."""
    wanted = set(streams)
    catalog = tap_class(config=config, validate_config=False).catalog_dict
    for entry in catalog["streams"]:
        selected = entry["tap_stream_id"] in wanted
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = selected
    return catalog


def parse_singer(stdout: str) -> SyncResult:
    """Parse Singer messages from a tap's standard output."""
    messages = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    result = SyncResult(messages=messages, stdout=stdout)
    for message in messages:
        if message["type"] == "RECORD":
            result.records[message["stream"]].append(message["record"])
        elif message["type"] == "STATE":
            result.state = message["value"]
    return result


def run_sync(
    tap_class: type[Tap],
    config: dict,
    *,
    streams: Iterable[str] | None = None,
    state: dict | None = None,
    allow_failure: bool = False,
) -> SyncResult:
    """Run a full sync in-process (optionally of some streams) and parse what it wrote.

    With ``allow_failure`` an exception from the run is kept in ``result.error`` with the
    output written before it, instead of being raised.
    """
    catalog = catalog_selecting(tap_class, config, streams) if streams is not None else None
    tap = tap_class(config=config, catalog=catalog, state=state)
    buffer = io.StringIO()
    error: BaseException | None = None
    with contextlib.redirect_stdout(buffer):
        try:
            tap.sync_all()
        except Exception as exc:
            if not allow_failure:
                raise
            error = exc
    result = parse_singer(buffer.getvalue())
    result.tap = tap
    result.error = error
    return result


def run_tap_cli(
    module: str,
    args: Iterable[str],
    *,
    workdir: Path,
    config: dict | None = None,
    state: dict | None = None,
    catalog: dict | None = None,
    timeout: int = 180,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <module>`` as a user would, with config, state, catalog files in ``workdir``.

    Environment variables of the tap (``TAP_X_*``) are removed so only the files count.
    """
    argv = [sys.executable, "-m", module, *args]
    for name, content in (("config", config), ("state", state), ("catalog", catalog)):
        if content is not None:
            path = workdir / f"{name}.json"
            path.write_text(json.dumps(content))
            argv += [f"--{name}", str(path)]
    prefix = module.upper().replace("-", "_") + "_"
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefix)}
    return subprocess.run(  # noqa: S603 - argv is built here from the test's own values
        argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@contextlib.contextmanager
def standin_factory(build: Callable[..., Any]) -> Iterator[Callable[..., tuple[Any, str]]]:
    """``make(**options)`` builds and serves a stand-in (returns it and its URL) until exit."""
    servers: list[Any] = []

    def make(**options: Any) -> tuple[Any, str]:
        built = build(**options)
        server = built.serve()
        servers.append(server)
        return built, server.__enter__()

    try:
        yield make
    finally:
        for server in servers:
            server.__exit__(None, None, None)


# --- the SDK's standard tests ----------------------------------------------------------------

ATTRIBUTE_TESTS = "test_tap_stream_attribute_"


def single_typed(schema: dict[str, Any]) -> bool:
    """Whether a property declares one JSON type besides null (an integer is a number too)."""
    kinds = schema.get("type") or []
    kinds = ({kinds} if isinstance(kinds, str) else set(kinds)) - {"null"}
    return len(kinds) == 1 or kinds == {"integer", "number"}


def standard_tap_tests(tap_class: type[Tap], config: dict, **kwargs: Any) -> type:
    """``get_tap_test_class``, with its per-attribute type tests on single-typed fields only.

    The SDK picks its ``is_boolean``/``is_object``/``is_numeric`` checks when *any* declared
    type matches, then checks every value against that one type: an any-JSON field, or a union
    whose shape the API notes leave open, does not claim that. Every other test is kept.
    """
    from singer_sdk.testing import get_tap_test_class  # noqa: PLC0415 (test-only dependency)

    test_class = get_tap_test_class(tap_class=tap_class, config=config, **kwargs)
    for name in [n for n in test_class.params if n.startswith(ATTRIBUTE_TESTS)]:
        kept = [
            p
            for p in test_class.params[name]
            if single_typed(p.values.stream.schema["properties"][p.values.attribute_name])
        ]
        if kept:
            test_class.params[name] = kept
        else:  # no single-typed property left for this check: the SDK would not add it
            del test_class.params[name]
            delattr(test_class, name)
    return test_class


def attribute_checked_fields(test_class: type) -> set[str]:
    """``stream.field`` ids the attribute type tests of a standard test class still check."""
    return {
        p.id
        for name, ps in test_class.params.items()
        if name.startswith(ATTRIBUTE_TESTS)
        for p in ps
    }


# --- time, for tests of rates ----------------------------------------------------------------


class FakeClock:
    """A governor clock for tests: time moves only when someone sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


def max_in_window(times: list[float], window: float) -> int:
    """The most moments of the sorted ``times`` found in any window of ``window`` seconds."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best
