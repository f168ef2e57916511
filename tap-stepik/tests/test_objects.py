"""Custom objects (permissive streams) and ``max_records``."""

from __future__ import annotations

import pytest
from singer_sdk.exceptions import FatalAPIError
from tap_stepik.tap import TapStepik

from tap_common.testing import run_sync


@pytest.mark.parametrize(
    ("platform", "objects"),
    [("stepik", ["sections", "course-grades"]), ("hyperskill", ["stages", "topic-relations"])],
)
def test_custom_objects_become_streams(make_standin, platform, objects):
    standin, config = make_standin(platform)
    config["custom_objects"] = objects
    names = [name.replace("-", "_") for name in objects]
    tap = TapStepik(config=config)
    for name in names:
        assert tap.streams[name].schema["additionalProperties"] is True
    result = run_sync(TapStepik, config, streams=names)
    for resource, name in zip(objects, names, strict=False):
        assert result.records[name] == standin.data[resource]
        assert standin.requests_to(rf"^/api/{resource}$")


def test_custom_object_with_ids(make_standin):
    standin, config = make_standin("stepik")
    first = standin.data["sections"][1]["id"]
    config.update(custom_objects=["sections"], ids={"sections": [first]})
    result = run_sync(TapStepik, config, streams=["sections"])
    assert [r["id"] for r in result.records["sections"]] == [first]


def test_unknown_custom_object_fails_clearly(make_standin):
    _, config = make_standin("stepik")
    config["custom_objects"] = ["nonsense"]
    with pytest.raises(FatalAPIError, match=r"/nonsense does not exist.*custom_objects"):
        run_sync(TapStepik, config, streams=["nonsense"])


def test_max_records_per_stream(platform, standin, config):
    config["max_records"] = {"users": 7, "submissions": 5}
    result = run_sync(TapStepik, config)
    counts = result.counts()
    assert counts["users"] == 7
    assert counts["submissions"] == 5
    assert counts["steps"] == len(standin.data["steps"])
    # Paging stopped: Stepik pages of 20 (7 users in page 1), Hyperskill pages of 100.
    assert len(standin.requests_to(r"^/api/users$")) == 1
    # Steps after the cap ask nothing (beyond the few fetched ahead on worker threads).
    assert len(standin.requests_to(r"^/api/submissions$")) < len(standin.data["steps"]) // 2


def test_max_records_star_applies_to_every_stream(make_standin):
    _standin, config = make_standin("stepik")
    config["max_records"] = {"*": 3, "lessons": 4}
    result = run_sync(TapStepik, config)
    assert result.counts() == {
        "courses": 3,
        "lessons": 4,
        "steps": 3,
        "submissions": 3,
        "users": 3,
    }
