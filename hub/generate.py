"""Write the taps' Meltano Hub plugin definitions from what each tap says of itself.

    python -m hub.generate              # (re)write hub/extractors/<tap>/vendor-api-taps.yml
    python -m hub.generate --check      # exit 1 naming each file that is out of date
    python -m hub.generate tap-zoom     # one tap only

Settings (names, kinds, descriptions, defaults, options, ``sensitive``), the required settings and
the capabilities come from ``<tap> --about --format=json`` of the installed tap; what ``--about``
cannot say (labels, logo, repository, pip_url, keywords, status) comes from the tables below.

The files follow Meltano Hub's ``_data/meltano/extractors/<name>/<variant>.yml`` format and the
conventions of its own tooling (hub-utils): keys, capabilities and settings sorted; a secret is
``kind: password`` plus ``sensitive: true`` (Meltano 3.4+ reads that pair as a sensitive string,
older Meltano as a password). A Hub pull request can take a file as it is, plus its logo under
``static/assets/logos/extractors/``.

Kinds: JSON ``number`` settings are ``kind: string``, as in meltano.yml: Meltano 4.4 turns a
``decimal`` set through an environment variable into a Decimal it cannot write to the tap's
config file; the taps read the string as a number. An integer enum stays ``integer`` (Meltano
compares ``options`` values as strings). Array settings with allowed items stay ``array``.

tap-hyperskill is no entry of its own: it is the same package and executable with
``platform: hyperskill``, and Meltano's way to run it is an inherited plugin, which the
tap-stepik definition shows in its ``usage`` (the very block meltano.yml uses).
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HUB_DIR = Path(__file__).resolve().parent

#: The variant: this repository's name (also meltano.yml's project_id).
VARIANT = "vendor-api-taps"
#: Where the repository is published; pip_url, repo and docs point into it.
REPOSITORY = "https://github.com/vendor-api-taps/vendor-api-taps"
#: Every tap needs the shared distribution beside it: install both from the same checkout.
COMMON_SUBDIRECTORY = "common"

HEADER = (
    "# Meltano Hub plugin definition (_data/meltano/extractors/{name}/{variant}.yml).\n"
    "# Generated from `{name} --about` by `python -m hub.generate`: edit the tap or\n"
    "# hub/generate.py, then rerun it.\n"
)

#: Words written other than in title case in setting labels.
LABEL_WORDS = {
    "api": "API",
    "bi": "BI",
    "id": "ID",
    "ids": "IDs",
    "oauth": "OAuth",
    "url": "URL",
}
#: Setting labels the words alone do not give.
SETTING_LABELS = {
    "max_retry_after": "Max Retry-After",
}
#: Labels of the values of option settings (others: the value in title case).
OPTION_LABELS = {
    "schema_drift": {
        "adapt": "Adapt (coerce, or keep in a JSON variant column)",
        "fail": "Fail at the first drifted field",
    },
    "region": {
        "us": "US (api.oktopost.com)",
        "eu": "EU (eu-api.oktopost.com)",
    },
    "metrics_log_level": {
        "debug": "Debug (shown with meltano --log-level=debug)",
        "info": "Info (every METRIC line in the log, as the SDK does)",
        "off": "Off",
    },
}
#: JSON schema type -> Meltano setting kind (formats, enums and secrets are handled first).
KINDS = {
    "array": "array",
    "boolean": "boolean",
    "integer": "integer",
    "number": "string",
    "object": "object",
    "string": "string",
}


@dataclass(frozen=True)
class Entry:
    """What the Hub shows of one tap that ``--about`` does not say."""

    label: str
    description: str
    domain_url: str
    logo: str
    docs: str
    keywords: tuple[str, ...] = ("api", "meltano_sdk")
    maintenance_status: str = "beta"
    #: Hub's rating for a community-maintained SDK-based connector.
    quality: str = "silver"
    #: Alternative sets of required settings; default: the schema's required settings.
    settings_group_validation: tuple[tuple[str, ...], ...] = ()
    commands: dict[str, dict[str, str]] = field(default_factory=dict)
    usage: str = ""


LOGIN_DESCRIPTION = (
    "Authorization-code login on http://localhost:8000/; stores a refresh token for token_file."
)


def login_command(platform: str) -> dict[str, str]:
    """The command that runs tap-stepik's login helper for one platform."""
    return {
        "executable": "tap-stepik-login",
        "args": f"--platform {platform} --port 8000 --output .secrets/{platform}-tokens.json",
        "description": LOGIN_DESCRIPTION,
    }


#: The inherited plugin that reads Hyperskill, as in meltano.yml.
HYPERSKILL_PLUGIN = {
    "name": "tap-hyperskill",
    "inherit_from": "tap-stepik",
    "namespace": "tap_hyperskill",
    "config": {"platform": "hyperskill"},
    "commands": {"login": login_command("hyperskill")},
}

STEPIK_USAGE = """\
## Hyperskill

The same package reads Hyperskill (`platform: hyperskill`). Add it as a second extractor that
inherits this one, with its own namespace and login command:

```yaml
{plugin}```

## Reading as a user

With `client_id` and `client_secret` (client-credentials grant) the tap acts as the OAuth
application's owner. To act as a user instead, register an application with the
authorization-code grant and the redirect URI `http://localhost:8000/`, run
`meltano invoke tap-stepik:login` (or `tap-hyperskill:login`), and set `token_file` to the file
it writes (`.secrets/<platform>-tokens.json`); the tap writes each rotated refresh token back.
"""

ENTRIES = {
    "tap-zoom": Entry(
        label="Zoom",
        description="Video conferencing and webinar platform",
        domain_url="https://developers.zoom.us/docs/api/",
        logo="zoom",
        docs=f"{REPOSITORY}#tap-zoom",
    ),
    "tap-mtslink": Entry(
        label="MTS Link",
        description="Webinar, online meeting and e-learning platform (formerly Webinar.ru)",
        domain_url="https://mts-link.ru/",
        logo="mtslink",
        docs=f"{REPOSITORY}/blob/main/tap-mtslink/README.md",
    ),
    "tap-oktopost": Entry(
        label="Oktopost",
        description="B2B social media management platform",
        domain_url="https://www.oktopost.com/",
        logo="oktopost",
        docs=f"{REPOSITORY}/blob/main/tap-oktopost/README.md",
    ),
    "tap-stepik": Entry(
        label="Stepik",
        description="Online course platforms Stepik and Hyperskill",
        domain_url="https://stepik.org/",
        logo="stepik",
        docs=f"{REPOSITORY}/blob/main/tap-stepik/README.md",
        keywords=("api", "meltano_sdk", "hyperskill"),
        settings_group_validation=(
            ("client_id", "client_secret"),
            ("client_id", "token_file"),
            ("client_id", "refresh_token"),
        ),
        commands={"login": login_command("stepik")},
        usage=STEPIK_USAGE.format(
            plugin=yaml.safe_dump(
                {"plugins": {"extractors": [HYPERSKILL_PLUGIN]}}, sort_keys=False, width=100
            )
        ),
    ),
}


class DefinitionError(Exception):
    """A tap's settings cannot be written as a Hub definition."""


def definition_path(name: str, root: Path = HUB_DIR) -> Path:
    """Where the definition of tap ``name`` lives under ``root``."""
    return root / "extractors" / name / f"{VARIANT}.yml"


def pip_url(name: str) -> str:
    """The shared distribution and the tap, both from the repository."""
    return " ".join(
        f"git+{REPOSITORY}.git#subdirectory={subdirectory}"
        for subdirectory in (COMMON_SUBDIRECTORY, name)
    )


def read_about(name: str) -> dict[str, Any]:
    """``<name> --about --format=json`` of the tap installed beside this Python."""
    executable = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not executable:
        raise DefinitionError(f"{name} is not installed (run scripts/setup)")
    proc = subprocess.run(  # noqa: S603 - a tap's own CLI, no shell
        [executable, "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise DefinitionError(f"{name} --about failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def label(name: str, spec: dict[str, Any]) -> str:
    """A setting's label: from the table, else the SDK's title, else its name's words."""
    if name in SETTING_LABELS:
        return SETTING_LABELS[name]
    if spec.get("title"):
        return str(spec["title"])
    return " ".join(LABEL_WORDS.get(word, word.title()) for word in name.split("_") if word)


def json_type(name: str, spec: dict[str, Any]) -> str:
    """The one non-null JSON type of a setting."""
    declared = spec.get("type")
    types = [t for t in (declared if isinstance(declared, list) else [declared]) if t != "null"]
    if len(types) != 1 or types[0] not in KINDS:
        raise DefinitionError(f"setting '{name}': no Meltano kind for type {declared!r}")
    return types[0]


def setting(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """One Hub setting from one property of the tap's settings schema."""
    kind_of_type = json_type(name, spec)
    result: dict[str, Any] = {
        "name": name,
        "label": label(name, spec),
        "description": spec.get("description", ""),
    }
    if spec.get("secret"):
        if kind_of_type != "string":
            raise DefinitionError(f"setting '{name}': a secret must be a string")
        result["kind"] = "password"
        result["sensitive"] = True
    elif spec.get("format") in {"date-time", "date"}:
        result["kind"] = "date_iso8601"
    elif "enum" in spec and kind_of_type == "string":
        labels = OPTION_LABELS.get(name, {})
        result["kind"] = "options"
        result["options"] = [
            {"label": labels.get(value, value.replace("_", " ").title()), "value": value}
            for value in spec["enum"]
        ]
    else:
        result["kind"] = KINDS[kind_of_type]
    if spec.get("default") is not None:
        result["value"] = spec["default"]
    return result


def definition(name: str, about: dict[str, Any]) -> dict[str, Any]:
    """The Hub definition of tap ``name`` from its ``--about`` and the static table."""
    if about.get("name") != name:
        raise DefinitionError(f"{name} --about names itself {about.get('name')!r}")
    entry = ENTRIES[name]
    schema = about["settings"]
    required = list(schema.get("required", []))
    groups = [list(group) for group in entry.settings_group_validation] or [required]
    for group in groups:
        if missing := set(required) - set(group):
            raise DefinitionError(f"{name}: a settings group lacks required {sorted(missing)}")
    doc: dict[str, Any] = {
        "name": name,
        "namespace": name.replace("-", "_"),
        "variant": VARIANT,
        "label": entry.label,
        "description": entry.description,
        "logo_url": f"/assets/logos/extractors/{entry.logo}.png",
        "domain_url": entry.domain_url,
        "repo": REPOSITORY,
        "docs": entry.docs,
        "pip_url": pip_url(name),
        "executable": name,
        "capabilities": sorted(about["capabilities"]),
        "supported_python_versions": list(about.get("supported_python_versions", [])),
        "settings": sorted(
            (setting(key, spec) for key, spec in schema["properties"].items()),
            key=lambda item: item["name"],
        ),
        "keywords": list(entry.keywords),
        "maintenance_status": entry.maintenance_status,
        "quality": entry.quality,
    }
    if any(groups):
        doc["settings_group_validation"] = [sorted(group) for group in groups]
    if entry.commands:
        doc["commands"] = entry.commands
    if entry.usage:
        doc["usage"] = entry.usage
    return doc


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks (``usage: |``), as the Hub's files have them."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def render(name: str, about: dict[str, Any]) -> str:
    """The definition file's text."""
    body = yaml.dump(
        definition(name, about),
        Dumper=_Dumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )
    return HEADER.format(name=name, variant=VARIANT) + body


def main(argv: list[str] | None = None) -> int:
    """Write the definitions, or with ``--check`` report the stale ones."""
    parser = argparse.ArgumentParser(prog="python -m hub.generate", description=__doc__)
    parser.add_argument("taps", nargs="*", help="taps to generate (default: all)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    parser.add_argument("--root", type=Path, default=HUB_DIR, help="folder holding extractors/")
    args = parser.parse_args(argv)

    unknown = sorted(set(args.taps) - set(ENTRIES))
    if unknown:
        parser.error(f"no Hub entry for {', '.join(unknown)} (known: {', '.join(ENTRIES)})")
    stale = []
    for name in args.taps or ENTRIES:
        try:
            text = render(name, read_about(name))
        except DefinitionError as exc:
            sys.stderr.write(f"hub.generate: {exc}\n")
            return 2
        path = definition_path(name, args.root)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if args.check:
            stale.append(path)
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"{path} (committed)",
                    f"{path} (from {name} --about)",
                )
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            sys.stdout.write(f"wrote {path}\n")
    if stale:
        sys.stderr.write(
            "hub.generate: out of date (run `python -m hub.generate`): "
            + ", ".join(str(p) for p in stale)
            + "\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
