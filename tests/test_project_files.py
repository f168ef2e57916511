"""meltano.yml and the GitHub workflow validate against their published schemas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.meltano", "meltano.yml"),
        ("vendor.github-workflows", ".github/workflows/ci.yml"),
    ],
)
def test_file_matches_its_schema(schema, path):
    proc = subprocess.run(
        [str(CHECK), "--builtin-schema", schema, str(ROOT / path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
