"""The release workflow, the changelogs and the versions agree with the distributions on disk.

A distribution is a directory with a pyproject.toml: ``common/`` (``vendor-api-taps-common``)
and each ``tap-*/``. ``.github/workflows/release.yml`` builds them all on a
``<directory>-v<version>`` tag and publishes the one the tag names.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
CHECK = Path(sys.executable).parent / "check-jsonschema"
COMMON = "vendor-api-taps-common"
RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\S+))?\s*$")


def distributions() -> list[str]:
    candidates = [ROOT / "common", *sorted(ROOT.glob("tap-*"))]
    return [d.name for d in candidates if (d / "pyproject.toml").is_file()]


DISTRIBUTIONS = distributions()
TAPS = [d for d in DISTRIBUTIONS if d != "common"]


def project(directory: str) -> dict:
    text = (ROOT / directory / "pyproject.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["project"]


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def changelog_headings(directory: str) -> list[tuple[str, str | None]]:
    text = (ROOT / directory / "CHANGELOG.md").read_text(encoding="utf-8")
    return [
        (m["version"], m["date"])
        for m in map(RELEASE_HEADING.match, text.splitlines())
        if m is not None
    ]


def common_requirements(meta: dict) -> list[Requirement]:
    lines = list(meta.get("dependencies", []))
    for extra in meta.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) == COMMON]


def test_the_distributions_are_found():
    assert DISTRIBUTIONS[0] == "common"
    assert len(TAPS) >= 4, DISTRIBUTIONS
    assert canonicalize_name(project("common")["name"]) == COMMON


def test_release_workflow_matches_the_github_workflow_schema():
    proc = subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_release_builds_exactly_the_directories_with_a_pyproject():
    built = workflow()["jobs"]["build"]["strategy"]["matrix"]["project"]
    assert len(built) == len(set(built)), f"listed twice: {built}"
    assert set(built) == set(DISTRIBUTIONS), (
        f"build matrix {sorted(built)} != directories with a pyproject.toml {DISTRIBUTIONS}"
    )


@pytest.mark.parametrize("directory", DISTRIBUTIONS)
def test_a_tag_for_each_distribution_triggers_the_release(directory):
    tags = workflow()[True]["push"]["tags"]  # YAML 1.1 reads the key `on` as true
    tag = f"{directory}-v{project(directory)['version']}"
    assert any(fnmatchcase(tag, pattern) for pattern in tags), (tag, tags)
    assert not any(fnmatchcase(f"{directory}-x1.0", pattern) for pattern in tags)


def test_only_the_publish_job_may_ask_for_an_id_token():
    wf = workflow()
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert set(publish["needs"]) >= {"plan", "build", "install"}
    assert any(
        step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"]
    )
    for name, job in jobs.items():
        if name != "publish":
            assert "id-token" not in job.get("permissions", {}), name


@pytest.mark.parametrize("directory", DISTRIBUTIONS)
def test_changelog_newest_release_is_the_pyproject_version(directory):
    headings = changelog_headings(directory)
    assert headings, f"{directory}/CHANGELOG.md has no '## [x]' headings"
    assert headings[0][0] == "Unreleased", f"{directory}: first section is {headings[0]}"
    released = headings[1:]
    assert released, f"{directory}/CHANGELOG.md records no release"
    newest = released[0][0]
    assert newest == project(directory)["version"], (
        f"{directory}: CHANGELOG.md says {newest}, pyproject.toml says "
        f"{project(directory)['version']}"
    )
    for version, when in released:
        Version(version)
        assert when is not None, f"{directory}: [{version}] has no date"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", when), f"{directory}: [{version}] - {when}"
    versions = [Version(v) for v, _ in released]
    assert versions == sorted(versions, reverse=True), f"{directory}: releases out of order"


@pytest.mark.parametrize("tap", TAPS)
def test_each_tap_requirement_admits_the_common_version_beside_it(tap):
    common_version = Version(project("common")["version"])
    meta = project(tap)
    runtime = [
        r
        for r in map(Requirement, meta.get("dependencies", []))
        if canonicalize_name(r.name) == COMMON
    ]
    assert runtime, f"{tap} does not depend on {COMMON}"
    for requirement in common_requirements(meta):
        assert requirement.specifier.contains(common_version, prereleases=True), (
            f"{tap}: {requirement} does not admit {COMMON} {common_version}"
        )


# The workflow's own check (the `plan` job), run here as the runner would run it.


def plan_script() -> str:
    (step,) = [s for s in workflow()["jobs"]["plan"]["steps"] if s.get("id") == "check"]
    assert step["shell"] == "python"
    return step["run"]


def run_plan(tmp_path: Path, tag: str, tree: Path = ROOT) -> tuple[int, str, dict[str, str]]:
    script = tmp_path / "plan.py"
    script.write_text(plan_script(), encoding="utf-8")
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tree,
        env={**os.environ, "TAG": tag, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    return proc.returncode, proc.stdout + proc.stderr, outputs


def copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for directory in DISTRIBUTIONS:
        (tree / directory).mkdir(parents=True)
        for name in ("pyproject.toml", "CHANGELOG.md"):
            shutil.copy(ROOT / directory / name, tree / directory / name)
    return tree


@pytest.mark.parametrize("directory", DISTRIBUTIONS)
def test_plan_accepts_each_distribution_at_its_version(tmp_path, directory):
    meta = project(directory)
    code, out, outputs = run_plan(tmp_path, f"{directory}-v{meta['version']}")
    assert code == 0, out
    assert outputs == {
        "project": directory,
        "distribution": meta["name"],
        "stem": re.sub(r"[-_.]+", "_", meta["name"]).lower(),
        "version": meta["version"],
    }


@pytest.mark.parametrize(
    ("tag", "says"),
    [
        ("tap-zoom-v9.9.9", "pyproject.toml says"),
        ("tap-nothing-v0.1.0", "names no distribution"),
        ("v0.1.0", "names no distribution"),
        ("common-vnext", "is not a version"),
    ],
)
def test_plan_refuses_a_tag_that_does_not_match(tmp_path, tag, says):
    code, out, outputs = run_plan(tmp_path, tag)
    assert code != 0
    assert says in out
    assert "::error::" in out
    assert outputs == {}


def test_plan_refuses_a_tap_whose_requirement_excludes_common(tmp_path):
    tree = copy_tree(tmp_path)
    tap = TAPS[0]
    pyproject = tree / tap / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    (line,) = [
        d for d in project(tap)["dependencies"] if canonicalize_name(Requirement(d).name) == COMMON
    ]
    common_version = Version(project("common")["version"])
    excluding = f"{COMMON}>={common_version.major}.{common_version.minor + 1}"
    assert f'"{line}"' in text, line
    pyproject.write_text(text.replace(f'"{line}"', f'"{excluding}"'), encoding="utf-8")

    code, out, _ = run_plan(tmp_path, f"common-v{common_version}", tree)

    assert code != 0
    assert f"{tap}: {excluding} does not admit" in out


def test_plan_refuses_a_release_missing_from_the_changelog(tmp_path):
    tree = copy_tree(tmp_path)
    tap = TAPS[0]
    changelog = tree / tap / "CHANGELOG.md"
    version = project(tap)["version"]
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(f"## [{version}]", "## [0.0.1]"),
        encoding="utf-8",
    )

    code, out, _ = run_plan(tmp_path, f"{tap}-v{version}", tree)

    assert code != 0
    assert f"{tap}/CHANGELOG.md: newest release is 0.0.1" in out
