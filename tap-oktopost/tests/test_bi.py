"""BI exports: discovery of one stream per CSV, typing, keys, masking, incremental, failures."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import datetime, timezone

import pytest
from tap_oktopost.streams.bi import frequency_period
from tap_oktopost.tap import TapOktopost

from standins import oktopost as oktopost_standin
from tap_common.testing import parse_singer

FILE_STREAMS_OF = oktopost_standin.OktopostStandIn.file_streams
SECRETS = ("okto-sftp-user", "sftp-Secret-91!", "ftpuser", "ftp-pw-55")


def _catalog(config):
    return {s.name: s for s in TapOktopost(config=config).streams.values()}


def test_discovery_finds_one_stream_per_csv_name(standin, config):
    streams = _catalog(config)

    found = {name for name in streams if name.startswith("bi_") and "export" not in name}
    assert found == set(standin.file_streams())
    # The inactive export's file (bi_campaign_summary's older sibling) is not read...
    assert "bi_campaign_summary" in found
    # ...and files in two exports (one in a sub-folder of its ZIP) make one stream.
    assert streams["bi_posts"].primary_keys == (
        "_export_id",
        "_file_name",
        "_row_number",
        "_last_run_date",
    )


def test_bi_export_ids_choose_the_exports_even_inactive(standin, config):
    config["bi_export_ids"] = ["032000000000005"]
    streams = _catalog(config)

    found = {name for name in streams if name.startswith("bi_") and "export" not in name}
    assert found == set(FILE_STREAMS_OF(standin, [standin.export("032000000000005")]))


def test_columns_are_normalised_and_typed_from_the_data(config):
    streams = _catalog(config)
    posts = streams["bi_posts"].schema["properties"]
    summary = streams["bi_campaign_summary"].schema["properties"]

    def kind(props, name):
        spec = props[name]
        return spec.get("format") or next(t for t in spec["type"] if t != "null")

    # BOM stripped, quotes gone, symbols spelled out, snake_case.
    assert list(posts)[4:] == [
        "post_id",
        "campaign_name",
        "network",
        "sent_date",
        "clicks",
        "engagement_pct",
        "num_comments",
        "is_boosted",
    ]
    assert kind(posts, "clicks") == "integer"  # with blanks
    assert kind(posts, "engagement_pct") == "number"
    assert kind(posts, "is_boosted") == "boolean"
    assert kind(posts, "sent_date") == "date-time"
    assert kind(summary, "code") == "string"  # "001": leading zeros keep it a string
    assert kind(summary, "conversions") == "string"  # one "n/a" among numbers: safe fallback
    assert kind(summary, "spend") == "number"
    assert kind(summary, "day") == "date"
    assert kind(summary, "owner_name") == "string"  # "Owner  Name " trimmed
    assert all("null" in spec["type"] for name, spec in posts.items() if not name.startswith("_"))


def test_rows_carry_their_key_and_typed_values(standin, config, sync):
    result = sync(config, streams=["bi_posts", "bi_campaign_summary", "bi_leads"])

    posts = result.records["bi_posts"]
    first = oktopost_standin.iter_rows(standin, "bi_posts")
    export_id, item = next(first)
    row = next(r for r in posts if r["_export_id"] == export_id and r["_row_number"] == 1)
    assert row["_file_name"] == item.name
    assert row["_last_run_date"] == "2025-10-14T10:00:03Z"
    assert row["post_id"] == item.rows[0][0]
    assert row["campaign_name"] == item.rows[0][1]  # a quoted comma survives
    assert row["sent_date"].endswith("Z")
    blanks = [i for i, cells in enumerate(item.rows, start=1) if cells[4] == ""]
    assert blanks
    assert all(
        r["clicks"] is None
        for r in posts
        if r["_export_id"] == export_id and r["_row_number"] in blanks
    )
    summary = result.records["bi_campaign_summary"]
    assert {type(r["code"]) for r in summary} == {str}
    assert {r["owner_name"] for r in summary} >= {None}  # blank -> null
    assert result.count("bi_leads") == 15


def test_destination_credentials_never_reach_a_record(standin, config, sync):
    result = sync(config, streams=["bi_exports", "bi_export_details"])
    text = json.dumps(result.messages)

    assert result.count("bi_export_details") == len(standin.active_exports)
    for secret in SECRETS:
        assert secret not in text
    for row in result.records["bi_exports"] + result.records["bi_export_details"]:
        assert not {"Username", "Password"} & set(row["Destination"])
    sftp = next(r for r in result.records["bi_exports"] if r["DestinationType"] == "SFTP")
    assert sftp["Destination"]["CredentialsRemoved"] is True
    assert sftp["Destination"]["Host"] == "sftp.example.com"
    schema = TapOktopost(config=config).streams["bi_exports"].schema
    assert "Password" not in json.dumps(schema)
    # The temporary link's signature is not kept either.
    assert "X-Amz-Signature" not in text
    detail = next(r for r in result.records["bi_export_details"] if r["Id"] == "032000000000001")
    assert detail["LastRunFileName"] == "2025-10-14-posts.zip"


def test_unchanged_files_are_not_downloaded_again(make_standin, sync, caplog):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)
    names = list(standin.file_streams())

    first = sync(config, streams=names, target=standin)
    assert standin.requests_to(r"^/files/")
    state = first.state
    partition = next(
        p
        for p in state["bookmarks"]["bi_posts"]["partitions"]
        if p["context"]["_export_id"] == "032000000000001"
    )
    assert partition["replication_key_value"] == "2025-10-14T10:00:03Z"
    assert partition["file_last_run_date"] == "2025-10-14T10:00:03Z"

    second = sync(config, streams=names, state=state, target=standin)
    assert standin.requests_to(r"^/files/") == []
    assert sum(second.counts().values()) == 0

    standin.run_export("032000000000007", datetime(2025, 10, 20, 6, tzinfo=timezone.utc))
    third = sync(config, streams=names, state=second.state, target=standin)
    # Daily export, ten days later: the runs in between are lost, and the log says so.
    assert "more than one period" in caplog.text
    downloads = standin.requests_to(r"^/files/")
    assert [d.path.split("/")[2] for d in downloads] == ["032000000000007"]
    assert third.counts() == {"bi_campaign_summary": 22}
    assert {r["_last_run_date"] for r in third.records["bi_campaign_summary"]} == {
        "2025-10-20T06:00:00Z"
    }


def test_each_file_is_downloaded_once_per_run(standin, config, sync):
    sync(config)  # every stream: details, and four bi_* streams sharing downloads

    downloads = [r.path.split("/")[2] for r in standin.requests_to(r"^/files/")]
    assert sorted(downloads) == sorted(e.id for e in standin.active_exports if e.file_name)
    details = standin.requests_to(r"^/v2/bi-export/")
    assert len(details) == len(standin.active_exports)


def test_a_failed_download_fails_loudly_and_checkpoints_nothing(make_standin, run_cli):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)
    standin.inject(
        r"^/files/032000000000007/",
        403,
        b"<?xml version='1.0'?><Error><Code>AccessDenied</Code>"
        b"<Message>Request has expired</Message></Error>",
        headers={"Content-Type": "application/xml"},
        times=10,
    )

    proc = run_cli([], config=config)

    assert proc.returncode != 0
    assert "032000000000007" in proc.stderr
    assert "AccessDenied" in proc.stderr
    states = [json.loads(x)["value"] for x in proc.stdout.splitlines() if '"STATE"' in x]
    for state in states:
        for partition in state["bookmarks"].get("bi_campaign_summary", {}).get("partitions", []):
            if partition["context"]["_export_id"] == "032000000000007":
                assert "file_last_run_date" not in partition
                assert "replication_key_value" not in partition


def test_a_cut_download_is_retried(make_standin, sync):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)

    def fault():
        standin.inject(r"^/files/032000000000001/", 503, b"busy", headers={"Retry-After": "0"})

    result = sync(config, streams=["bi_posts"], target=standin, prepare=fault)

    assert len(standin.requests_to(r"^/files/032000000000001/")) == 2
    assert result.count("bi_posts") == standin.file_streams()["bi_posts"]


def test_a_new_file_that_no_longer_fits_widens_the_column(make_standin, sync):
    standin, url = make_standin()
    config = oktopost_standin.tap_config(url)
    tap = TapOktopost(config=config)
    catalog = tap.catalog_dict
    # The next run of export 7 writes text into the integer column "clicks".
    standin.export("032000000000007").files[0].rows[0][2] = "many"
    standin.run_export("032000000000007", datetime(2025, 10, 21, tzinfo=timezone.utc))

    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] == "bi_campaign_summary"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        TapOktopost(config=config, catalog=catalog).sync_all()
    result = parse_singer(buffer.getvalue())

    schema = next(m for m in result.messages if m["type"] == "SCHEMA")["schema"]
    assert schema["properties"]["clicks"]["type"] == ["string", "null"]
    values = [r["clicks"] for r in result.records["bi_campaign_summary"]]
    assert "many" in values
    assert all(isinstance(v, str) for v in values if v is not None)


@pytest.mark.parametrize("never", ["032000000000004"])
def test_an_export_that_never_ran_is_no_error(standin, config, sync, never):
    config["bi_export_ids"] = [never]
    result = sync(config, streams=["bi_exports", "bi_export_details"])

    (detail,) = result.records["bi_export_details"]
    assert detail["LastRunFile"] is None
    assert standin.requests_to(r"^/files/") == []


def test_a_file_that_is_not_utf8_fails_loudly(make_standin, run_cli):
    standin, url = make_standin()
    leads = standin.export("032000000000003")
    leads.encoding = "cp1252"
    leads.files[0].rows[3][1] = "ren\u00e9e@example.com"

    proc = run_cli(["--discover"], config=oktopost_standin.tap_config(url))

    assert proc.returncode != 0
    assert "032000000000003" in proc.stderr
    assert "not UTF-8 CSV" in proc.stderr


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Every day at 10:00 AM", 1),
        ("Every week on Monday", 7),
        ("Every Monday", 7),
        ("Monthly", 31),
        ("Once", None),
    ],
)
def test_frequency_periods(text, days):
    period = frequency_period(text)
    assert (period.days if period else None) == days
