"""The Meltano Hub definitions in hub/ agree with each tap's ``--about`` and with meltano.yml.

(a) each committed definition is what ``python -m hub.generate`` makes from the live ``--about``,
so a setting added to a tap fails here until the definition is regenerated; (b) meltano.yml
declares the same settings (names, kinds, sensitive, defaults, options, labels) as the
definition; (c) the capabilities of the three are the same. Settings are compared as Meltano
reads them (``SettingDefinition.parse``), so the Hub's ``kind: password`` + ``sensitive: true``
equals meltano.yml's ``kind: string`` + ``sensitive: true``, as it does for Meltano 3.4+.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from meltano.core.plugin.base import PluginDefinition, PluginType
from meltano.core.setting_definition import SettingDefinition
from singer_sdk.helpers import capabilities as sdk_capabilities

ROOT = Path(__file__).resolve().parents[1]
TAPS = sorted(p.name for p in ROOT.glob("tap-*") if (p / "pyproject.toml").exists())
VARIANT = "vendor-api-taps"

#: Settings the SDK adds to every tap's schema: the Hub definition lists them (as the Hub does
#: for SDK taps); meltano.yml need not declare them.
SDK_BUILTIN_SETTINGS = {
    name
    for schema in (
        sdk_capabilities.STREAM_MAPS_CONFIG,
        sdk_capabilities.FLATTENING_CONFIG,
        sdk_capabilities.BATCH_CONFIG,
        sdk_capabilities.EMIT_ACTIVATE_VERSION_CONFIG,
    )
    for name in schema["properties"]
}

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_PROCESSOR = {"type": "string", "enum": ["upcase_string", "nest_object", "stringify"]}

#: Meltano Hub's rules for an extractor definition file, restated from meltano/hub
#: schemas/plugin_definitions/extractors.schema.json (319e8b4) and the schemas it combines:
#: common/common.schema.json (5128d34), common/extractors_specific.schema.json (44192ef),
#: plugin_definitions/hub_metadata.schema.json (89ebd79), common/base_setting.schema.json
#: (ab90a26).
HUB_SETTING_SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": _STRING,
        "aliases": _STRINGS,
        "label": _STRING,
        "value": {},
        "placeholder": _STRING,
        "kind": {
            "type": "string",
            "enum": [
                "oauth",
                "hidden",
                "password",
                "date_iso8601",
                "file",
                "email",
                "integer",
                "options",
                "object",
                "array",
                "boolean",
                "string",
                "decimal",
            ],
        },
        "description": _STRING,
        "tooltip": _STRING,
        "documentation": _STRING,
        "env": _STRING,
        "value_processor": _PROCESSOR,
        "value_post_processor": _PROCESSOR,
        "oauth": {"type": "object", "required": ["provider"]},
        "options": {
            "type": "array",
            "items": {"type": "object", "properties": {"label": _STRING, "value": _STRING}},
        },
        "docs": _STRING,
        "hidden": {"type": "boolean"},
        "sensitive": {"type": "boolean"},
    },
}
HUB_EXTRACTOR_SCHEMA = {
    "type": "object",
    "required": ["name", "namespace", "variant", "quality"],
    "additionalProperties": False,
    "properties": {
        "name": _STRING,
        "namespace": _STRING,
        "variant": _STRING,
        "label": _STRING,
        "description": _STRING,
        "pip_url": _STRING,
        "executable": _STRING,
        "repo": _STRING,
        "docs": _STRING,
        "logo_url": {"type": ["string", "null"]},
        "hidden": {"type": "boolean"},
        "python": _STRING,
        "settings": {"type": "array", "items": HUB_SETTING_SCHEMA},
        "settings_group_validation": {"type": "array", "items": _STRINGS},
        "commands": {"type": "object"},
        "capabilities": {
            "type": "array",
            "items": {
                "type": "string",
                "enum": [
                    "properties",
                    "catalog",
                    "discover",
                    "state",
                    "about",
                    "stream-maps",
                    "schema-flattening",
                    "activate-version",
                    "batch",
                    "test",
                    "log-based",
                    "structured-logging",
                ],
            },
        },
        "metadata": {"type": "object"},
        "schema": {"type": "object"},
        "select": _STRINGS,
        "maintenance_status": {
            "type": "string",
            "enum": ["active", "beta", "development", "inactive", "unknown"],
        },
        "quality": {"type": "string", "enum": ["gold", "silver", "bronze", "unknown"]},
        "domain_url": {"type": ["string", "null"], "format": "uri"},
        "keywords": _STRINGS,
        "requires": {"type": "object"},
        "definition": _STRING,
        "next_steps": _STRING,
        "settings_preamble": _STRING,
        "usage": _STRING,
        "prereq": _STRING,
        "supported_python_versions": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^3\.\d+$"},
        },
        "log_parser": _STRING,
    },
}


def definition_path(tap: str) -> Path:
    return ROOT / "hub" / "extractors" / tap / f"{VARIANT}.yml"


def load_definition(tap: str) -> dict:
    return yaml.safe_load(definition_path(tap).read_text(encoding="utf-8"))


def about(tap: str) -> dict:
    executable = shutil.which(tap, path=str(Path(sys.executable).parent))
    assert executable, f"{tap} is not installed in this environment"
    proc = subprocess.run(
        [executable, "--about", "--format=json"], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def meltano_project() -> dict:
    return yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))


def meltano_extractor(tap: str) -> dict:
    extractors = {p["name"]: p for p in meltano_project()["plugins"]["extractors"]}
    assert tap in extractors, f"{tap} is not in meltano.yml"
    return extractors[tap]


def generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hub.generate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def as_meltano_reads_it(setting: dict) -> dict:
    """The parts of a setting that must agree, after Meltano's own parsing."""
    parsed = SettingDefinition.parse(setting)
    return {
        "kind": parsed.kind.value if parsed.kind else None,
        "sensitive": bool(parsed.sensitive),
        "value": json.dumps(parsed.value, sort_keys=True),
        "options": sorted((o.get("value"), o.get("label")) for o in parsed.options or []),
        "label": parsed.label,
    }


def test_every_tap_has_a_definition_and_no_other():
    found = sorted(p.parent.name for p in (ROOT / "hub" / "extractors").glob(f"*/{VARIANT}.yml"))
    assert found == TAPS


@pytest.mark.parametrize("tap", TAPS)
def test_definition_is_what_the_live_about_generates(tap):
    proc = generate("--check", tap)
    assert proc.returncode == 0, (
        f"hub/extractors/{tap} is stale; run `.venv/bin/python -m hub.generate`\n"
        + proc.stdout[-3000:]
        + proc.stderr
    )


def test_check_fails_on_a_stale_or_missing_definition(tmp_path):
    tap = "tap-zoom"
    stale = tmp_path / "extractors" / tap / f"{VARIANT}.yml"
    stale.parent.mkdir(parents=True)
    stale.write_text(
        definition_path(tap).read_text(encoding="utf-8").replace("label: Page Size", "label: P")
    )
    proc = generate("--check", "--root", str(tmp_path), tap)
    assert proc.returncode == 1
    assert "+  label: Page Size" in proc.stdout
    assert str(stale) in proc.stderr

    proc = generate("--check", "--root", str(tmp_path), "tap-oktopost")
    assert proc.returncode == 1, "a missing definition must count as stale"


@pytest.mark.parametrize("tap", TAPS)
def test_definition_follows_the_hub_schema(tap):
    doc = load_definition(tap)
    errors = sorted(
        jsonschema.Draft7Validator(
            HUB_EXTRACTOR_SCHEMA, format_checker=jsonschema.FormatChecker()
        ).iter_errors(doc),
        key=str,
    )
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    assert (doc["name"], doc["namespace"], doc["variant"]) == (
        tap,
        tap.replace("-", "_"),
        VARIANT,
    )
    assert doc["pip_url"].split()[-1].endswith(f"#subdirectory={tap}")
    assert doc["logo_url"].startswith("/assets/logos/extractors/")
    # Meltano itself reads the file as an extractor definition of that variant.
    plugin = PluginDefinition(PluginType.EXTRACTORS, **doc)
    assert [v.name for v in plugin.variants] == [VARIANT]
    assert len(plugin.variants[0].settings) == len(doc["settings"])


@pytest.mark.parametrize("tap", TAPS)
def test_definition_says_what_about_says(tap):
    """Independent of the generator: every --about setting, its secret flag and its default."""
    schema = about(tap)["settings"]
    settings = {s["name"]: s for s in load_definition(tap)["settings"]}
    assert set(settings) == set(schema["properties"])
    for name, spec in schema["properties"].items():
        setting = settings[name]
        assert bool(setting.get("sensitive")) == bool(spec.get("secret")), name
        assert setting.get("value") == spec.get("default"), name
        assert setting.get("description", "") == spec.get("description", ""), name
        if "enum" in spec and setting["kind"] == "options":
            assert [o["value"] for o in setting["options"]] == spec["enum"], name
        if spec.get("format") == "date-time":
            assert setting["kind"] == "date_iso8601", name


@pytest.mark.parametrize("tap", TAPS)
def test_meltano_yml_settings_agree_with_definition(tap):
    hub = {s["name"]: s for s in load_definition(tap)["settings"]}
    project = {s["name"]: s for s in meltano_extractor(tap).get("settings", [])}

    unknown = set(project) - set(hub)
    assert not unknown, f"meltano.yml declares settings {tap} does not have: {sorted(unknown)}"
    undeclared = set(hub) - set(project) - SDK_BUILTIN_SETTINGS
    assert not undeclared, f"{tap} settings missing from meltano.yml: {sorted(undeclared)}"
    disagreements = {
        name: {
            part: (value, as_meltano_reads_it(hub[name])[part])
            for part, value in as_meltano_reads_it(setting).items()
            if value != as_meltano_reads_it(hub[name])[part]
        }
        for name, setting in project.items()
    }
    disagreements = {name: parts for name, parts in disagreements.items() if parts}
    assert not disagreements, f"meltano.yml vs hub definition (yml, hub): {disagreements}"


@pytest.mark.parametrize("tap", TAPS)
def test_capabilities_agree(tap):
    from_about = set(about(tap)["capabilities"])
    assert set(load_definition(tap)["capabilities"]) == from_about
    assert set(meltano_extractor(tap)["capabilities"]) == from_about


@pytest.mark.parametrize("tap", TAPS)
def test_settings_groups_agree(tap):
    required = set(about(tap)["settings"].get("required", []))
    hub = {frozenset(g) for g in load_definition(tap).get("settings_group_validation", [])}
    project = {frozenset(g) for g in meltano_extractor(tap).get("settings_group_validation", [])}
    assert hub == project
    assert all(required <= group for group in hub), "a group lacks a required setting"


@pytest.mark.parametrize("tap", TAPS)
def test_commands_agree(tap):
    assert load_definition(tap).get("commands", {}) == meltano_extractor(tap).get("commands", {})


def test_config_in_meltano_yml_uses_defined_settings():
    """Every extractor config (base, inherited, per environment) names settings the taps have."""
    project = meltano_project()
    extractors = {p["name"]: p for p in project["plugins"]["extractors"]}
    base = {name: p.get("inherit_from", name) for name, p in extractors.items()}
    configs = [(name, p.get("config") or {}) for name, p in extractors.items()]
    for environment in project.get("environments", []):
        plugins = (environment.get("config") or {}).get("plugins") or {}
        configs += [(p["name"], p.get("config") or {}) for p in plugins.get("extractors", [])]
    checked = 0
    for name, config in configs:
        if base.get(name) not in TAPS:
            continue
        settings = {s["name"]: s for s in load_definition(base[name])["settings"]}
        for key, value in config.items():
            assert key in settings, f"{name}: config '{key}' is no setting of {base[name]}"
            options = [o["value"] for o in settings[key].get("options", [])]
            assert not options or value in options, f"{name}: {key}={value!r} not in {options}"
            checked += 1
    assert checked


def test_stepik_usage_shows_the_tap_hyperskill_of_meltano_yml():
    usage = load_definition("tap-stepik")["usage"]
    block = re.search(r"```yaml\n(.*?)```", usage, re.DOTALL)
    assert block, "the usage shows no YAML block"
    (shown,) = yaml.safe_load(block.group(1))["plugins"]["extractors"]
    project = meltano_extractor(shown["name"])
    for key in ("inherit_from", "namespace", "commands"):
        assert shown[key] == project[key], key
    assert shown["config"].items() <= project["config"].items()
