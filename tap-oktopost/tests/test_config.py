"""Bad config: exit non-zero before any request, with one line naming the setting."""

from __future__ import annotations

import json

import pytest

BAD = [
    ("account_id", lambda c: c.pop("account_id")),
    ("api_key", lambda c: c.update(api_key="")),
    ("region", lambda c: c.update(region="asia")),
    ("start_date", lambda c: c.update(start_date="last tuesday")),
    ("page_size", lambda c: c.update(page_size=500)),
    ("api_url", lambda c: c.update(api_url="api.oktopost.com/v2")),
    ("bi_export_ids", lambda c: c.update(bi_export_ids="032000000000001")),
    ("requests_per_second", lambda c: c.update(requests_per_second=-1)),
    ("requests_per_minute", lambda c: c.update(requests_per_minute=1.5)),
]


@pytest.mark.parametrize(("setting", "spoil"), BAD, ids=[b[0] for b in BAD])
def test_bad_setting_exits_before_any_request(standin, config, run_cli, setting, spoil):
    spoil(config)

    proc = run_cli(["--discover"], config=config)

    assert proc.returncode != 0
    assert proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if f"'{setting}'" in line]
    assert errors, proc.stderr
    assert not standin.log, "no request may be sent with a bad config"


def test_good_config_discovers_the_file_streams(standin, config, run_cli):
    proc = run_cli(["--discover"], config=config)

    assert proc.returncode == 0, proc.stderr
    assert '"bi_posts"' in proc.stdout
    assert standin.requests_to(r"^/files/")  # discovery reads the files to find the CSVs


def test_sync_with_a_catalog_downloads_only_for_the_run(standin, config, run_cli):
    catalog = json.loads(run_cli(["--discover"], config=config).stdout)
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if not meta["breadcrumb"]:
                meta["metadata"]["selected"] = entry["tap_stream_id"] == "users"
    standin.clear()

    proc = run_cli([], config=config, catalog=catalog)

    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '"stream":"users"' in proc.stdout.replace(" ", "")
    # The bi_* streams came from the catalog: no file was downloaded to find them.
    assert not standin.requests_to(r"^/files/")
    assert not standin.requests_to(r"^/v2/bi-export")
