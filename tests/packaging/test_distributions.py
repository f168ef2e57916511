"""Every distribution builds, passes ``twine check``, and installs alone or side by side.

The four taps depend on the shared distribution ``vendor-api-taps-common`` instead of carrying
copies of ``tap_common``: two taps in one environment share one copy, and uninstalling one tap
leaves the other working. Fresh environments are made with ``uv`` from the wheels built here
(the shared distribution is found next to them, third-party packages come from the registry).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TAPS = ["tap-zoom", "tap-mtslink", "tap-oktopost", "tap-stepik"]
COMMON = "vendor-api-taps-common"

pytestmark = pytest.mark.packaging


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    assert proc.returncode == 0, f"{args}: {proc.stdout[-2000:]}{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel of every distribution; each wheel is built from its sdist."""
    out = tmp_path_factory.mktemp("dist")
    for project in ["common", *TAPS]:
        run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT / project)
    return out


def wheel(dist: Path, name: str) -> Path:
    (found,) = dist.glob(f"{name.replace('-', '_')}-*.whl")
    return found


def fresh_env(path: Path) -> Path:
    """An empty virtual environment; returns its bin directory."""
    run(BIN / "uv", "venv", "--quiet", "--python", sys.executable, path)
    return path / "bin"


def install(bindir: Path, dist: Path, *wheels: Path) -> None:
    env = {"VIRTUAL_ENV": str(bindir.parent)}
    run(BIN / "uv", "pip", "install", "--quiet", "--find-links", dist, *wheels, env=env)


def about(bindir: Path, tap: str) -> str:
    return run(bindir / tap, "--about", "--format=json").stdout


def test_every_distribution_builds_and_passes_twine_check(dist):
    names = sorted(p.name for p in dist.iterdir())
    for project in [COMMON, *TAPS]:
        stem = project.replace("-", "_")
        assert any(n.startswith(f"{stem}-") and n.endswith(".whl") for n in names), project
        assert any(n.startswith(f"{stem}-") and n.endswith(".tar.gz") for n in names), project
    run(BIN / "twine", "check", "--strict", *sorted(dist.iterdir()))


@pytest.mark.parametrize("tap", TAPS)
def test_a_tap_wheel_holds_its_own_package_only_and_requires_the_shared_one(dist, tap):
    with zipfile.ZipFile(wheel(dist, tap)) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = [
            line.split(":", 1)[1].strip()
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    assert "tap_common" not in tops, "no copy of the shared code inside a tap's wheel"
    assert tap.replace("-", "_") in tops
    assert any(r.startswith(COMMON) and "<" in r for r in requires), requires


@pytest.mark.parametrize("tap", TAPS)
def test_each_tap_wheel_installs_alone_into_an_empty_environment(dist, tap, tmp_path):
    bindir = fresh_env(tmp_path / "venv")
    install(bindir, dist, wheel(dist, tap))

    assert f'"name": "{tap}"' in about(bindir, tap)


def test_two_taps_side_by_side_survive_uninstalling_one(dist, tmp_path):
    bindir = fresh_env(tmp_path / "venv")
    install(bindir, dist, wheel(dist, "tap-zoom"), wheel(dist, "tap-mtslink"))
    assert '"name": "tap-zoom"' in about(bindir, "tap-zoom")
    assert '"name": "tap-mtslink"' in about(bindir, "tap-mtslink")

    env = {"VIRTUAL_ENV": str(bindir.parent)}
    run(BIN / "uv", "pip", "uninstall", "--quiet", "tap-zoom", env=env)

    assert not (bindir / "tap-zoom").exists()
    assert '"name": "tap-mtslink"' in about(bindir, "tap-mtslink")
    listed = run(BIN / "uv", "pip", "list", env=env).stdout
    assert listed.count(COMMON) == 1
