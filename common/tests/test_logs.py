"""Where the SDK's METRIC lines go per setting, per-context lines once, and the closing table.

A tiny tap (items with their parts) runs in-process against a local stand-in.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from singer_sdk import metrics
from singer_sdk import typing as th

from standins.server import Response, StandIn
from tap_common import ResilientRESTStream, RuntimeTap
from tap_common.logs import PER_CONTEXT_MESSAGES, quiet_repeats, route_metrics, unroute_metrics
from tap_common.settings import runtime_properties
from tap_common.testing import run_sync

API_KEY = "tiny-secret-key-41f7"
ITEMS = [{"id": 1, "name": "one"}, {"id": 2, "name": "two"}, {"id": 3, "name": "three"}]
PARTS = {1: [{"id": 10}, {"id": 11}], 2: [{"id": 20}], 3: []}


def build_standin() -> StandIn:
    standin = StandIn()

    @standin.route("GET", "/items")
    def items(_request: Any) -> Response:
        return Response(200, {"items": ITEMS})

    @standin.route("GET", r"/items/(?P<item_id>\d+)/parts")
    def parts(request: Any) -> Response:
        return Response(200, {"parts": PARTS[int(request.params["item_id"])]})

    return standin


class TinyStream(ResilientRESTStream):
    _LOG_REQUEST_METRIC_URLS = True  # the METRIC points carry the URL, key and all

    @property
    def url_base(self) -> str:
        return str(self.config["api_url"])

    def get_url_params(self, context: Any, next_page_token: Any) -> dict[str, Any]:
        return {"key": self.config["api_key"]}


class ItemsStream(TinyStream):
    name = "items"
    path = "/items"
    primary_keys = ("id",)
    records_jsonpath = "$.items[*]"
    schema = th.PropertiesList(
        th.Property("id", th.IntegerType), th.Property("name", th.StringType)
    ).to_dict()

    def get_child_context(self, record: dict, context: Any) -> dict:
        return {"item_id": record["id"]}


class PartsStream(TinyStream):
    name = "parts"
    path = "/items/{item_id}/parts"
    primary_keys = ("id",)
    records_jsonpath = "$.parts[*]"
    parent_stream_type = ItemsStream
    state_partitioning_keys: list[str] = []  # noqa: RUF012
    schema = th.PropertiesList(
        th.Property("id", th.IntegerType), th.Property("item_id", th.IntegerType)
    ).to_dict()


class TapTiny(RuntimeTap):
    name = "tap-tiny"
    config_jsonschema = th.PropertiesList(
        th.Property("api_url", th.StringType, required=True),
        th.Property("api_key", th.StringType, required=True, secret=True),
        *runtime_properties(requests_per_second=0),
    ).to_dict()

    def discover_streams(self) -> list[ResilientRESTStream]:
        return [ItemsStream(self), PartsStream(self)]


@pytest.fixture(autouse=True)
def _no_route_left_behind():
    yield
    unroute_metrics()


@pytest.fixture
def standin():
    built = build_standin()
    with built.serve() as url:
        built.url = url
        yield built


@pytest.fixture
def config(standin) -> dict:
    return {"api_url": standin.url, "api_key": API_KEY}


def metric_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == metrics.METRICS_LOGGER_NAME]


def tap_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tap-tiny"]


# --- the SDK's METRIC lines ----------------------------------------------------------------


def test_by_default_metric_lines_are_not_at_info(config, caplog):
    caplog.set_level(logging.INFO)

    run_sync(TapTiny, config)

    assert metric_records(caplog) == []
    assert any(line.startswith("Stream summary:") for line in tap_lines(caplog))


def test_by_default_metric_lines_are_at_debug(config, caplog):
    caplog.set_level(logging.DEBUG)

    run_sync(TapTiny, config)

    found = metric_records(caplog)
    assert found, "the run logged no METRIC line at all"
    assert {r.levelname for r in found} == {"DEBUG"}
    assert any("http_request_duration" in r.getMessage() for r in found)


def test_metrics_log_level_info_keeps_them_at_info(config, caplog):
    caplog.set_level(logging.INFO)

    run_sync(TapTiny, {**config, "metrics_log_level": "info"})

    found = metric_records(caplog)
    assert found
    assert {r.levelname for r in found} == {"INFO"}


def test_metrics_log_level_off_drops_them_even_at_debug(config, caplog):
    caplog.set_level(logging.DEBUG)

    run_sync(TapTiny, {**config, "metrics_log_level": "off"})

    assert metric_records(caplog) == []


def test_metrics_log_file_gets_one_json_point_per_line_with_secrets_masked(
    config, standin, caplog, tmp_path
):
    caplog.set_level(logging.INFO)
    path = tmp_path / "metrics.jsonl"

    run_sync(TapTiny, {**config, "metrics_log_level": "off", "metrics_log_file": str(path)})
    unroute_metrics()  # closes the file

    text = path.read_text()
    points = [json.loads(line) for line in text.splitlines()]
    durations = [p for p in points if p["metric"] == "http_request_duration"]
    assert len(durations) == len(standin.log) == 4
    assert {p["tags"]["stream"] for p in durations} == {"items", "parts"}
    assert all(p["time"] and p["type"] in {"timer", "counter"} for p in points)
    assert API_KEY not in text
    assert "key=" in text  # the URL is there, its key masked
    assert metric_records(caplog) == []


def test_a_new_route_replaces_the_old_one(tmp_path):
    route_metrics("info", str(tmp_path / "a.jsonl"))
    route_metrics("off")

    logger = metrics.get_metrics_logger()
    assert [f.level for f in logger.filters if hasattr(f, "file_handler")] == ["off"]


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="debug, info, off"):
        route_metrics("verbose")


# --- per-context SDK lines ---------------------------------------------------------------


def test_per_context_lines_are_logged_once_per_stream_at_info(config, caplog):
    caplog.set_level(logging.INFO)

    run_sync(TapTiny, config)

    beginnings = [
        r
        for r in caplog.records
        if r.name == "tap-tiny.parts" and r.getMessage().startswith("Beginning sync of 'parts'")
    ]
    assert len(beginnings) == 1  # three contexts, one line


def test_repeats_are_at_debug_when_the_run_logs_debug(caplog):
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger("tap-test.stream")
    quiet_repeats(logger)
    template = "Beginning sync of '%s' in %s mode with context keys: %s"
    assert template in PER_CONTEXT_MESSAGES

    for item in range(3):
        logger.info(template, "parts", "full_table", ("item_id",))
        logger.info("Something else %d", item)

    levels = [(r.levelname, r.getMessage()[:9]) for r in caplog.records]
    assert levels == [
        ("INFO", "Beginning"),
        ("INFO", "Something"),
        ("DEBUG", "Beginning"),
        ("INFO", "Something"),
        ("DEBUG", "Beginning"),
        ("INFO", "Something"),
    ]


# --- the closing table -------------------------------------------------------------------


def test_the_log_ends_with_the_per_stream_table(config, standin, caplog):
    caplog.set_level(logging.INFO)

    result = run_sync(TapTiny, config)

    lines = tap_lines(caplog)
    start = max(i for i, line in enumerate(lines) if line.startswith("Stream summary:"))
    table = lines[start:]
    assert table[0].startswith("Stream summary: 2 stream(s), 6 records, 4 requests in ")
    rows = {line.split()[0]: line.split() for line in table[2:] if line.strip()[0] != "-"}
    assert rows["items"][1:3] == [str(result.count("items")), "1"]
    assert rows["parts"][1:3] == [str(result.count("parts")), "3"]
    assert rows["total"][1:3] == ["6", str(len(standin.log))]
    assert rows["items"][-1] == rows["parts"][-1] == "ok"


def test_a_failed_stream_is_marked_in_the_table(config, standin, caplog):
    caplog.set_level(logging.INFO)
    standin.inject(r"^/items/2/parts$", 400, {"message": "bad item"})

    result = run_sync(TapTiny, config, allow_failure=True)

    assert result.error is not None
    table = tap_lines(caplog)[-6:]
    parts = next(line for line in table if line.split()[0] == "parts")
    assert parts.endswith("failed")
    assert table[-1].endswith("1 failed")
