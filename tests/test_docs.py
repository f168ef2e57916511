"""The READMEs' settings tables match what each tap says of itself (``--about``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TAPS = sorted(p.name for p in ROOT.glob("tap-*") if (p / "pyproject.toml").exists())


def settings_rows(markdown: str) -> list[str]:
    section = markdown.split("## Settings", 1)[1]
    return [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]


@pytest.mark.parametrize("tap", TAPS)
def test_readme_settings_table_matches_about(tap):
    executable = shutil.which(tap, path=str(Path(sys.executable).parent))
    assert executable, f"{tap} is not installed in this environment"
    about = subprocess.run(
        [executable, "--about", "--format=markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    docs = (ROOT / "README.md").read_text() + (ROOT / tap / "README.md").read_text()

    missing = [row for row in settings_rows(about) if row not in docs]

    assert not missing, f"README rows out of date for {tap}: {missing[:3]}"


def test_every_tap_is_in_meltano_yml():
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    extractors = {p["name"]: p for p in project["plugins"]["extractors"]}
    for tap in TAPS:
        plugin = extractors[tap]
        # The shared distribution first, then the tap (which depends on it).
        assert plugin["pip_url"] == f"-e ./common -e ./{tap}"
        names = {s["name"] for s in plugin["settings"]}
        about = subprocess.run(
            [shutil.which(tap, path=str(Path(sys.executable).parent)), "--about", "--format=json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        schema = json.loads(about)["settings"]["properties"]
        own = {n for n, spec in schema.items() if not _builtin(n)}
        assert own <= names, f"{tap}: settings missing from meltano.yml: {own - names}"
        secrets = {n for n in own if schema[n].get("secret")}
        sensitive = {s["name"] for s in plugin["settings"] if s.get("sensitive")}
        assert secrets <= sensitive, f"{tap}: secrets not sensitive in meltano.yml"


def _builtin(name: str) -> bool:
    return name.split(".", maxsplit=1)[0] in {
        "stream_maps",
        "stream_map_config",
        "faker_config",
        "flattening_enabled",
        "flattening_max_depth",
        "flattening_max_key_length",
        "flattening_separator",
        "batch_config",
    }
