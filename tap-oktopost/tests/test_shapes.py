"""Shape drift: odd values never crash the tap's own code and are never dropped.

Unit checks of the conversions (REST values, CSV cells, destinations, record containers), every
stream's ``post_process`` fed odd values in every field, and a sync against the stand-in whose
data drifts from what the schemas declare: every record still fits the SCHEMA sent before it.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from tap_oktopost.bi.coltypes import ColumnType, converter, kind_of
from tap_oktopost.bi.files import Downloaded
from tap_oktopost.bi.registry import ExportRegistry, safe_url, strip_signatures
from tap_oktopost.client import _as_count, records_in
from tap_oktopost.coerce import coerce
from tap_oktopost.streams import STATIC_STREAM_TYPES
from tap_oktopost.streams.bi import BiFileStream, mask_destination
from tap_oktopost.streams.rest import child_id
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common import SkippedResource
from tap_common.jsontypes import ANY_JSON, union

DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
BOOLEAN = {"type": ["boolean", "null"]}
STRING = {"type": ["string", "null"]}
COUNT = union("integer", "string")
TAGS = union("object", "array")
IDS = {"type": ["array", "null"], "items": {"type": ["string"]}}
OBJECT = {"type": ["object", "null"], "properties": {"Port": ANY_JSON}}

# --- conversions of REST values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        # Documented quirks are converted...
        ("0000-00-00 00:00:00", DATE_TIME, None),
        (1700000000, DATE_TIME, "2023-11-14T22:13:20Z"),
        ("", DATE_TIME, None),
        ("1", BOOLEAN, True),
        (0, BOOLEAN, False),
        ("12", COUNT, 12),
        ([], TAGS, []),
        ({"0AF000000000001": "tag"}, TAGS, {"0AF000000000001": "tag"}),
        (7000000001, STRING, "7000000001"),
        ("0000-00-00 00:00:00", ANY_JSON, None),
        # ...anything else is kept as it came.
        ("soon", DATE_TIME, "soon"),
        ("2025-13-45 10:00:00", DATE_TIME, "2025-13-45 10:00:00"),
        (True, DATE_TIME, True),
        ({"at": 1}, DATE_TIME, {"at": 1}),
        ([1], DATE_TIME, [1]),
        (2, BOOLEAN, 2),
        ("maybe", BOOLEAN, "maybe"),
        ({"on": 1}, BOOLEAN, {"on": 1}),
        ("n/a", COUNT, "n/a"),
        ("007", COUNT, "007"),
        ("1.5", COUNT, "1.5"),
        ("", COUNT, ""),
        (2.5, COUNT, 2.5),
        (True, COUNT, True),
        ({"n": 1}, COUNT, {"n": 1}),
        ({"a": 1}, STRING, {"a": 1}),
        ([1, 2], STRING, [1, 2]),
        (True, STRING, True),
        (1.5, STRING, 1.5),
        (["x", 1], TAGS, ["x", 1]),
        ("x", TAGS, "x"),
        ({"0": "008000000000001"}, IDS, {"0": "008000000000001"}),
        ([{"id": 1}, "008000000000001"], IDS, [{"id": 1}, "008000000000001"]),
        ("x", OBJECT, "x"),
        ([1], OBJECT, [1]),
        ({"Port": "22", "Other": [1]}, OBJECT, {"Port": "22", "Other": [1]}),
        ({"a": [1]}, ANY_JSON, {"a": [1]}),
        ([], ANY_JSON, []),
        ("", ANY_JSON, ""),
        (12.5, ANY_JSON, 12.5),
        ("1", {"type": ["integer", "null"]}, 1),
        ("1e5", {"type": ["integer", "null"]}, "1e5"),
        ("NaN", {"type": ["number", "null"]}, "NaN"),
        ("1.50", {"type": ["number", "null"]}, Decimal("1.50")),
        ("n/a", {"type": ["string", "null"], "format": "date"}, "n/a"),
        ("2025-10-14 10:00", {"type": ["string", "null"], "format": "date"}, "2025-10-14"),
    ],
)
def test_coerce_converts_known_quirks_and_keeps_everything_else(value, schema, expected):
    assert coerce(copy.deepcopy(value), schema) == expected


# --- schemas ----------------------------------------------------------------------------------


def test_keys_are_strict_and_every_other_field_nullable(streams):
    for name, stream in streams.items():
        props = stream.schema["properties"]
        keys = {*stream.primary_keys, *([stream.replication_key] if stream.replication_key else [])}
        for field, spec in props.items():
            kinds = spec.get("type", [])
            if field in keys:
                assert "null" not in kinds, f"{name}.{field}"
                assert field in stream.schema.get("required", []), f"{name}.{field}"
            else:
                assert "null" in kinds, f"{name}.{field}"


def test_arrays_have_scalar_items(streams):
    """An array column's items decide a typed SQL array (target-postgres: ``text[]``, ``jsonb[]``).

    A ``jsonb[]`` rejects scalar and array items, so arrays whose items are not known are any
    JSON instead (one JSON column), and only arrays of strings stay arrays.
    """
    for name, stream in streams.items():
        for field, spec in stream.schema["properties"].items():
            if spec.get("type") == ["array", "null"]:
                assert spec["items"] == {"type": ["string"]}, f"{name}.{field}"


# --- every stream's post_process --------------------------------------------------------------

ODD_VALUES = [{"nested": {"a": 1}}, [{"a": 1}, [2]], True, "n/a"]
#: Fields post_process sets itself, whatever came.
MADE_BY_THE_TAP = {"LastRunFileName"}


@pytest.fixture(scope="module")
def streams():
    standin = oktopost_standin.build()
    with standin.serve() as url:
        tap = TapOktopost(config=oktopost_standin.tap_config(url), setup_mapper=False)
        yield {s.name: tap.streams[s.name] for s in STATIC_STREAM_TYPES}
    standin.close()


def _context(stream):
    return {key: "002000000000001" for key in getattr(stream, "parent_fields", {})}


@pytest.mark.parametrize("odd", ODD_VALUES, ids=lambda v: type(v).__name__)
def test_post_process_keeps_odd_values_in_every_field(streams, odd):
    for name, stream in streams.items():
        row = {field: copy.deepcopy(odd) for field in stream.schema["properties"]}
        row["Unknown"] = copy.deepcopy(odd)

        out = stream.post_process(copy.deepcopy(row), _context(stream))

        assert set(out) == set(row), name
        for field, value in row.items():
            if field == "Destination":  # may hold credentials the tap cannot pick out
                assert out[field] == {"CredentialsRemoved": True}, name
            elif field not in MADE_BY_THE_TAP:
                assert out[field] == value, f"{name}.{field}"


#: Fields whose blank means "none": a destination, a file link (and its name).
NO_TEXT = {"Destination", "LastRunFile", "LastRunFileName"}


def test_post_process_reads_blanks_as_nothing_and_fills_parent_ids(streams):
    for name, stream in streams.items():
        props = stream.schema["properties"]
        context = _context(stream)
        out = stream.post_process(dict.fromkeys(props, ""), context)

        for field, spec in props.items():
            kinds = set(spec.get("type", [])) - {"null"}
            if field in stream.parent_fields.values():
                assert out[field] == "002000000000001", f"{name}.{field}"
            elif spec.get("format") == "date-time" or kinds == {"boolean"} or field in NO_TEXT:
                assert out[field] is None, f"{name}.{field}"
            else:
                assert out[field] == "", f"{name}.{field}"
        nulls = stream.post_process(dict.fromkeys(props), context)
        assert {k for k, v in nulls.items() if v is not None} <= set(stream.parent_fields.values())


PARENT = "002000000000001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("002000000000009", "002000000000009"),
        ({"Id": "002000000000009"}, {"Id": "002000000000009"}),
        (0, "0"),  # an id sent as a number is written as a string, not replaced
        ([], []),
        (None, PARENT),
        ("", PARENT),
        ("  ", PARENT),
    ],
)
def test_parent_id_fills_only_a_missing_or_blank_field(streams, value, expected):
    messages = streams["messages"]
    context = {"campaign_id": PARENT}

    out = messages.post_process({"Id": "005000000000001", "CampaignId": value}, context)
    missing = messages.post_process({"Id": "005000000000001"}, context)

    assert out["CampaignId"] == expected
    assert missing["CampaignId"] == PARENT


def test_an_item_that_is_not_an_object_is_reported_not_raised(streams, caplog):
    for stream in streams.values():
        for item in (None, "x", 3, ["a"]):
            assert stream.post_process(item, _context(stream)) is None
    assert "not an object" in caplog.text


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"Id": "002000000000001"}, "002000000000001"),
        ({"Id": 17}, "17"),
        ({"Id": ""}, None),
        ({"Id": None}, None),
        ({"Id": {"v": 1}}, None),
        ({"Id": True}, None),
        ({}, None),
        ("not a record", None),
    ],
)
def test_child_contexts_never_raise(streams, record, expected):
    assert child_id(record) == expected
    for parent, key in (("campaigns", "campaign_id"), ("boards", "board_id")):
        context = streams[parent].get_child_context(record, None)
        assert context == (None if expected is None else {key: expected})
    exports = streams["bi_exports"]
    assert exports.get_child_context(record, None) is None  # not active


# --- BI exports: destinations, links, last runs -----------------------------------------------


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        (
            {"Host": "h", "Port": "22", "Password": "pw"},
            {"Host": "h", "Port": "22", "CredentialsRemoved": True},
        ),
        ('{"Host": "h", "Username": "u"}', {"Host": "h", "CredentialsRemoved": True}),
        ([], None),
        (None, None),
        ("", None),
        ("ftp://user:pw@host", {"CredentialsRemoved": True}),
        (["user", "pw"], {"CredentialsRemoved": True}),
        (22, {"CredentialsRemoved": True}),
    ],
)
def test_destinations_of_any_shape_are_masked(destination, expected):
    assert mask_destination(destination) == expected


def test_signatures_are_removed_from_links_of_any_shape():
    link = "https://s3.example.com/a/2025-10-14-posts.zip?X-Amz-Signature=abc"
    assert safe_url(link) == "https://s3.example.com/a/2025-10-14-posts.zip"
    assert safe_url("not a link") == "not a link"
    assert strip_signatures({"Url": link, "Size": 3, "Parts": [link]}) == {
        "Url": "https://s3.example.com/a/2025-10-14-posts.zip",
        "Size": 3,
        "Parts": ["https://s3.example.com/a/2025-10-14-posts.zip"],
    }


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        (
            {"LastRunDate": "2024-01-01", "LastRunFile": "https://s3.url"},
            ("2024-01-01T00:00:00Z", "https://s3.url"),
        ),
        ({"LastRunDate": "0000-00-00 00:00:00", "LastRunFile": ""}, (None, None)),
        ({"LastRunDate": None, "LastRunFile": None}, (None, None)),
        ({}, (None, None)),
        ({"LastRunDate": "yesterday", "LastRunFile": "https://s3.url"}, SkippedResource),
        ({"LastRunDate": {"at": 1}, "LastRunFile": "https://s3.url"}, SkippedResource),
        ({"LastRunDate": True, "LastRunFile": "https://s3.url"}, SkippedResource),
        ({"LastRunDate": "2024-01-01", "LastRunFile": {"Url": "https://s3.url"}}, SkippedResource),
    ],
)
def test_last_run_never_raises_anything_but_a_skip(detail, expected):
    if expected is SkippedResource:
        with pytest.raises(SkippedResource):
            ExportRegistry.last_run(detail)
    else:
        assert ExportRegistry.last_run(detail) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"Id": 1}], [{"Id": 1}]),
        (None, []),
        ("", []),
        ({}, []),
        ({"0": {"Id": 1}, "2": {"Id": 2}}, [{"Id": 1}, {"Id": 2}]),
        ({"Id": 1}, [{"Id": 1}]),
        ("odd", ["odd"]),
    ],
)
def test_records_lists_of_any_shape(value, expected):
    assert records_in(value) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [(57, 57), ("57", 57), (" 7 ", 7), ("n/a", None), (None, None), (True, None)],
)
def test_totals_of_any_shape(total, expected):
    assert _as_count(total) == expected


# --- BI CSV cells -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        ("integer", "42", 42),
        ("integer", "n/a", "n/a"),
        ("integer", "1_000", "1_000"),
        ("integer", "007", "007"),
        ("integer", "1.5", "1.5"),
        ("number", "1.50", Decimal("1.50")),
        ("number", "1e5", "1e5"),
        ("number", "NaN", "NaN"),
        ("boolean", "TRUE", True),
        ("boolean", "false", False),
        ("boolean", "n/a", "n/a"),
        ("boolean", "1", "1"),
        ("date-time", "2025-10-14 10:00:03", "2025-10-14T10:00:03Z"),
        ("date-time", "0000-00-00 00:00:00", None),
        ("date-time", "soon", "soon"),
        ("date-time", "2025-13-45 10:00:00", "2025-13-45 10:00:00"),
        ("date", "2025-10-14", "2025-10-14"),
        ("date", "0000-00-00", None),
        ("date", "n/a", "n/a"),
        ("string", "n/a", "n/a"),
    ],
)
def test_csv_cells_that_do_not_fit_stay_strings(kind, cell, expected):
    assert converter(kind)(cell) == expected


def test_a_column_that_accepts_strings_converts_nothing():
    assert kind_of({"type": ["integer", "string", "null"]}) == "string"
    assert kind_of(ANY_JSON) == "string"
    assert kind_of({"type": ["string", "null"], "format": "date-time"}) == "date-time"
    assert kind_of({"type": ["integer", "null"]}) == "integer"


def test_zero_dates_are_dates_for_inference():
    column = ColumnType()
    for value in ("2025-10-14", "0000-00-00"):
        column.add(value)
    assert column.kind == "date"


def test_csv_rows_with_odd_cells_keep_every_value(tmp_path: Path):
    path = tmp_path / "2025-10-14-posts.csv"
    path.write_text(
        '"Clicks","Is Boosted","Sent","Day","Note"\r\n'
        "12,true,2025-10-14 10:00:03,2025-10-14,a\r\n"
        "n/a,maybe,soon,0000-00-00,\r\n"
        ",,,,\r\n"
        "7\r\n",
        encoding="utf-8",
    )
    downloaded = Downloaded("032000000000001", "2025-10-14T10:00:03Z", path, path.name, False)
    kinds = {
        "clicks": "integer",
        "is_boosted": "boolean",
        "sent": "date-time",
        "day": "date",
        "note": "string",
    }
    convert = {name: converter(kind) for name, kind in kinds.items()}

    rows = list(BiFileStream._member_records(downloaded, path.name, convert))

    values = [{k: r[k] for k in kinds} for r in rows]
    assert values == [
        {
            "clicks": 12,
            "is_boosted": True,
            "sent": "2025-10-14T10:00:03Z",
            "day": "2025-10-14",
            "note": "a",
        },
        {"clicks": "n/a", "is_boosted": "maybe", "sent": "soon", "day": None, "note": None},
        dict.fromkeys(kinds),
        {"clicks": 7, "is_boosted": None, "sent": None, "day": None, "note": None},
    ]
    assert [r["_row_number"] for r in rows] == [1, 2, 3, 4]


# --- a sync against drifting data ---------------------------------------------------------------


def placed(row: dict, field: str):
    """A field's value wherever the schema guard put it (the field or its variant column)."""
    if row.get(field) is not None:
        return row[field]
    return row.get(f"{field}__v_json")


def _records_fit_their_schemas(messages: list[dict]) -> None:
    schemas: dict[str, dict] = {}
    for message in messages:
        if message["type"] == "SCHEMA":
            schemas[message["stream"]] = message["schema"]
        elif message["type"] == "RECORD":
            jsonschema.validate(message["record"], schemas[message["stream"]])


def test_a_sync_of_drifting_data_keeps_every_value_and_fits_its_schema(make_standin, sync, caplog):
    standin, url = make_standin()
    # One request at a time: the first /message request is the first campaign's.
    config = oktopost_standin.tap_config(url, max_concurrent_requests=1)
    first, second = standin.campaigns[0], standin.campaigns[1]
    first["Name"] = {"en": "Launch", "de": "Start"}
    first["Tags"] = ["0AF000000000001"]
    second["TotalPosts"] = "n/a"
    second["StartDate"] = "soon"
    own = [dict(m) for m in standin.messages if m["CampaignId"] == first["Id"]]
    own[0]["CampaignId"] = ""  # the API left the parent's id out
    standin.users[0]["LastLogin"] = {"at": 1}
    standin.credentials[0]["NativePostsEnabled"] = 2
    standin.clicks[0]["Picture"] = {"url": "https://img.example.com/1.png"}
    standin.clicks[1]["GeoCity"] = ["Berlin", "Mitte"]
    standin.posts[0]["Queued"] = "maybe"
    standin.export("032000000000001").item["Destination"] = "ftp://okto-user:okto-pw@host"
    standin.export("032000000000002").last_run_date = "yesterday"
    tags = {"0": standin.tags[0], "3": standin.tags[3]}

    def drift():
        standin.inject(r"^/v2/message$", 200, {"Result": True, "Items": own, "Total": len(own)})
        standin.inject(r"^/v2/tag$", 200, {"Result": True, "Items": tags, "Total": "2"})
        users = [None, *standin.users]
        standin.inject(r"^/v2/user$", 200, {"Result": True, "Items": users, "Total": len(users)})

    names = [
        "campaigns",
        "messages",
        "posts",
        "users",
        "social_profiles",
        "clicks",
        "tags",
        "bi_exports",
        "bi_export_details",
        "bi_posts",
    ]
    result = sync(config, streams=names, target=standin, prepare=drift)

    _records_fit_their_schemas(result.messages)
    campaigns = {r["Id"]: r for r in result.records["campaigns"]}
    assert campaigns[first["Id"]]["Name"] == {"en": "Launch", "de": "Start"}
    assert campaigns[first["Id"]]["Tags"] == ["0AF000000000001"]
    assert campaigns[second["Id"]]["TotalPosts"] == "n/a"
    assert placed(campaigns[second["Id"]], "StartDate") == "soon"
    assert standin.requests_to(r"^/v2/message$")[0].arg("campaignId") == first["Id"]
    message = next(r for r in result.records["messages"] if r["Id"] == own[0]["Id"])
    assert message["CampaignId"] == first["Id"]
    assert result.count("messages") == len(standin.messages)
    user = next(r for r in result.records["users"] if r["Id"] == standin.users[0]["Id"])
    assert placed(user, "LastLogin") == {"at": 1}
    assert result.count("users") == len(standin.users)
    assert "not an object" in caplog.text
    profile = next(
        r for r in result.records["social_profiles"] if r["Id"] == standin.credentials[0]["Id"]
    )
    assert placed(profile, "NativePostsEnabled") == 2
    clicks = {r["Id"]: r for r in result.records["clicks"]}
    assert placed(clicks[standin.clicks[0]["Id"]], "Picture") == {
        "url": "https://img.example.com/1.png"
    }
    assert clicks[standin.clicks[1]["Id"]]["GeoCity"] == ["Berlin", "Mitte"]
    post = next(r for r in result.records["posts"] if r["Id"] == standin.posts[0]["Id"])
    assert placed(post, "Queued") == "maybe"
    assert sorted(r["Id"] for r in result.records["tags"]) == sorted(t["Id"] for t in tags.values())
    exports = {r["Id"]: r for r in result.records["bi_exports"]}
    assert exports["032000000000001"]["Destination"] == {"CredentialsRemoved": True}
    assert "okto-pw" not in json.dumps(result.messages)
    details = {r["Id"]: r for r in result.records["bi_export_details"]}
    assert placed(details["032000000000002"], "LastRunDate") == "yesterday"
    # Export 2's file cannot be keyed without a LastRunDate: skipped and said so, not guessed.
    assert {r["_export_id"] for r in result.records["bi_posts"]} == {"032000000000001"}
    assert "is not a date" in caplog.text


@pytest.mark.parametrize("workers", [1, 2])
def test_an_export_detail_of_an_odd_shape_or_gone_is_skipped(make_standin, sync, caplog, workers):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url, max_concurrent_requests=workers)

    def odd_details():
        standin.inject(
            r"^/v2/bi-export/032000000000001$", 200, {"Result": True, "Export": []}, times=5
        )
        standin.inject(
            r"^/v2/bi-export/032000000000002$", 404, {"Result": False, "Errors": []}, times=5
        )

    result = sync(
        config,
        streams=["bi_exports", "bi_export_details", "bi_posts"],
        target=standin,
        prepare=odd_details,
    )

    details = {r["Id"] for r in result.records["bi_export_details"]}
    assert details == {e.id for e in standin.active_exports} - {
        "032000000000001",
        "032000000000002",
    }
    assert result.count("bi_exports") == len(standin.exports)
    assert result.count("bi_posts") == 0  # both of its exports are skipped, and said so
    assert "not an object" in caplog.text
    summary = caplog.text.split("Run summary", 1)[1]
    assert "bi_export_details: 2 skipped" in summary
    assert "bi_posts: 2 skipped" in summary
