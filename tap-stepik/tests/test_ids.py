"""Choosing ids: from the ``ids`` setting, from a CSV column, batches, and a child read by id."""

from __future__ import annotations

import contextlib
import io

import pytest
from tap_stepik.ids import IdsError, collect_ids, read_ids_column
from tap_stepik.tap import TapStepik

from standins.support import peak_concurrency
from tap_common.testing import catalog_selecting, parse_singer, run_sync


def test_ids_from_settings_read_only_those(platform, standin, config):
    users = standin.data["users"]
    wanted = [users[3]["id"], users[0]["id"], users[5]["id"]]
    config["ids"] = {"users": wanted}
    result = run_sync(TapStepik, config, streams=["users"])
    assert sorted(r["id"] for r in result.records["users"]) == sorted(wanted)
    assert len(standin.requests_to(r"^/api/users$")) == 1


def test_stepik_ids_go_in_batches_of_100(make_standin):
    standin, config = make_standin("stepik", users=230)
    wanted = [u["id"] for u in standin.data["users"]][:230]
    config["ids"] = {"users": wanted}
    result = run_sync(TapStepik, config, streams=["users"])
    assert result.count("users") == 230
    requests = standin.requests_to(r"^/api/users$")
    batches = {}
    for request in requests:
        batches.setdefault(tuple(request.args("ids[]")), []).append(request.arg("page"))
    assert sorted(len(ids) for ids in batches) == [30, 100, 100]
    # Stepik pages of 20 within each batch: 5 + 5 + 2 pages.
    assert sorted(len(pages) for pages in batches.values()) == [2, 5, 5]


def test_id_batches_are_fetched_together_with_the_output_of_one_at_a_time(make_standin):
    standin, config = make_standin("stepik", users=230, latency=0.02)
    wanted = [*[u["id"] for u in standin.data["users"]][:230], 1, 2]  # two unknown ids
    config["ids"] = {"users": wanted}
    sequential = run_sync(TapStepik, {**config, "max_concurrent_requests": 1}, streams=["users"])
    standin.clear()
    seen = peak_concurrency(standin)
    together = run_sync(TapStepik, {**config, "max_concurrent_requests": 4}, streams=["users"])

    assert seen["peak"] >= 2, "id batches were still read one after another"
    assert together.comparable_messages() == sequential.comparable_messages()
    assert together.count("users") == 230
    assert together.tap.runtime.ledger.summary_lines() == [
        "users: 2 skipped (id not found), e.g. id 1"
    ]


def test_ids_from_csv_column(tmp_path, stepik):
    standin, config = stepik
    lessons = [lesson["id"] for lesson in standin.data["lessons"]]
    csv_file = tmp_path / "lessons.csv"
    csv_file.write_text(
        f"title,lesson_id\nfirst,{lessons[2]}\nblank,\nsecond,{lessons[7]}\nagain,{lessons[2]}\n"
    )
    config.update(ids_file=str(csv_file), ids_column="lesson_id", ids_file_stream="lessons")
    result = run_sync(TapStepik, config, streams=["lessons"])
    assert [r["id"] for r in result.records["lessons"]] == [lessons[2], lessons[7]]


def test_csv_and_settings_ids_are_merged(tmp_path):
    csv_file = tmp_path / "ids.csv"
    csv_file.write_text("id\n5\n6\n")
    config = {"ids": {"steps": [6, 7]}, "ids_file": str(csv_file), "ids_file_stream": "steps"}
    assert collect_ids(config, ["steps"]) == {"steps": [6, 7, 5]}


def test_child_with_ids_is_read_directly(hyperskill):
    """Hyperskill steps normally come per topic; chosen ids are fetched with ``ids=``."""
    standin, config = hyperskill
    steps = standin.data["steps"]
    wanted = [steps[1]["id"], steps[4]["id"]]
    config["ids"] = {"steps": wanted}
    result = run_sync(TapStepik, config, streams=["steps", "submissions"])
    assert sorted(r["id"] for r in result.records["steps"]) == sorted(wanted)
    assert not standin.requests_to(r"^/api/topics")
    expected = [s for s, step in standin.submission_steps.items() if step in wanted]
    assert sorted(r["id"] for r in result.records["submissions"]) == sorted(expected)


@pytest.mark.parametrize(
    ("content", "column", "message"),
    [
        ("id\n1\nabc\n", "id", "not an integer id"),
        ("id\n1\n", "step", "no column 'step'"),
        ("id\n-4\n", "id", "not positive"),
    ],
)
def test_bad_csv(tmp_path, content, column, message):
    csv_file = tmp_path / "ids.csv"
    csv_file.write_text(content)
    with pytest.raises(IdsError, match=message):
        read_ids_column(str(csv_file), column)


def test_bad_ids_settings():
    with pytest.raises(IdsError, match=r"'ids\.lessonz': no such stream"):
        collect_ids({"ids": {"lessonz": [1]}}, ["lessons"])
    with pytest.raises(IdsError, match="'ids_file_stream' is required"):
        collect_ids({"ids_file": "x.csv"}, ["lessons"])
    with pytest.raises(IdsError, match="no id for stream 'lessons'"):
        collect_ids({"ids": {"lessons": []}}, ["lessons"])


def test_ids_not_found_are_counted_in_the_summary(stepik):
    standin, config = stepik
    known = standin.data["courses"][0]["id"]
    config["ids"] = {"courses": [known, 1, 2]}
    catalog = catalog_selecting(TapStepik, config, ["courses"])
    tap = TapStepik(config=config, catalog=catalog)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    assert [r["id"] for r in parse_singer(buffer.getvalue()).records["courses"]] == [known]
    assert tap.runtime.ledger.summary_lines() == ["courses: 2 skipped (id not found), e.g. id 1"]
