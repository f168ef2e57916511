"""The READMEs' shell commands work: each is checked, and each that can run here runs.

Every shell block of ``README.md`` and of ``*/README.md`` (the taps', ``common/``'s) is run,
each block in a fresh throwaway copy of the project (three blocks at once): Meltano with its
own system database, the taps pointed at the stand-ins, ``target-postgres`` at the test
PostgreSQL (a fresh schema per block). A command that fails fails the test with its output.
The commands that cannot run here are listed in ``NOT_RUN`` with the reason (and a few are never
run in a copy: ``UNSAFE``); they, and the commands quoted inline in the prose, are still
checked: the executable exists, and its subcommands, options, Meltano plugin, job, schedule and
setting names and stand-in options are known (see ``tests/readme_commands.py``). A new README
command is therefore either run, or listed here, or the test fails.

What the copy changes, so that the commands run as a reader's would without touching the
repository or reaching the vendors:

* ``.venv`` and the installed Meltano plugins (``.meltano/<type>``) are symlinks to the
  project's; ``scripts/setup`` is a no-op (see ``STUBS``);
* a stand-in a block starts (``python -m standins X --port 8765``) is started in the background
  on a free port, which replaces ``127.0.0.1:8765`` in the rest of the block; it is stopped at
  the end of the block;
* paths under ``/tmp/`` go to the copy's own temporary folder;
* for a tap whose settings a block does not give itself (``TAP_<TAP>_...=``), the connection
  settings of its stand-in come as environment variables, which Meltano prefers to ``.env``
  and ``meltano.yml``: a block that configures real credentials then runs on the stand-in;
* ``config.json`` (the settings file the READMEs describe) holds the stand-in's settings for
  the README's tap, and ``state.json`` an empty state;
* no client-side rate caps (``requests_per_second``, ``rate_limits``... lifted: ``uncapped``), so
  the runs take seconds, and no Dagster retries (``SPEED``);
* ``target-...`` ("any Singer target") is run as ``target-jsonl`` (``PLACEHOLDER_COMMANDS``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from standins import mtslink, oktopost, stepik
from standins import zoom as zoom_standin
from standins.support import zoom_config

ROOT = Path(__file__).resolve().parents[2]


def _load_helpers():
    """``tests/readme_commands.py`` (the tests are not a package: importlib import mode)."""
    spec = importlib.util.spec_from_file_location(
        "readme_commands", ROOT / "tests/readme_commands.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


rc = _load_helpers()
READMES = [str(p.relative_to(ROOT)) for p in rc.readme_files(ROOT)]

# Commands of the READMEs' shell blocks that are not run here, and why. Each pattern is searched
# in the command (one line, continuations joined) and must match a command of some README.
NOT_RUN = {
    r"^scripts/test\b": "runs setup, lint and every test, this one included",
    r"(^|/)pip3? install\b|-m pip install\b": (
        "installs into the environment that runs the tests; CI's tap-tests job runs "
        "`pip install ./common ./<tap>` on a fresh Python"
    ),
    r"\btap-stepik-login\b": (
        "interactive: waits for the user to sign in in a browser; tap-stepik's tests drive the "
        "login through the stand-in's authorize redirect"
    ),
    r"^(\.venv/bin/)?(pytest|python3? -m pytest)\b": (
        "a test suite that the same pytest session (scripts/test) runs"
    ),
}

# Commands the READMEs name that are not installed here, and why: neither run nor checked.
# Each must match a command of some README (a block's or an inline one).
ELSEWHERE = {
    r"^dagster-webserver\b": (
        "the Dagster UI, installed in a virtualenv of its own (it would downgrade a dependency "
        "of .venv, as the README says)"
    ),
}

# Never run in the copy, whether a README has them or not: they would install into or delete
# the virtualenvs that the copy shares with the project.
UNSAFE = {
    r"(^|/)pip3? (install|uninstall)\b|-m pip (install|uninstall)\b": "changes the shared .venv",
    r"(^|/)uv (pip|sync|add|remove)\b": "changes the shared .venv",
    r"\bscripts/pg-start\b": "starts a PostgreSQL server that outlives the block",
}
MELTANO_UNSAFE = {"install", "add", "remove", "upgrade", "--install", "--clean"}
MELTANO_VALUED = {"--environment", "--log-level", "--log-format", "--log-config", "--cwd"}

# Files of the copy replaced by a no-op, and why.
STUBS = {
    "scripts/setup": (
        "installs .venv and the Meltano plugins, which the copy shares with the project: run in "
        "the copy, it would repoint the editable installs at the copy"
    ),
}

# Environment of every command besides the stand-ins' settings: a failing Dagster run fails at
# once instead of after its retry delays.
SPEED = {"DAGSTER_MELTANO_MAX_RETRIES": "0"}

BLOCK_TIMEOUT = 300
BLOCKS_AT_ONCE = 3
MARK = "@@readme"


# --------------------------------------------------------------------------- sandbox


def make_copy(dest: Path) -> Path:
    """A copy of the repository at ``dest``: sources only, heavy folders symlinked.

    Left out: git, caches, ``output/``, and a reader's own ``.env`` and top-level ``*.json``
    (``config.json``, ``catalog.json``...), which the copy gets from the test instead.
    """
    skip_top = {".git", ".venv", ".meltano", ".env", ".secrets", "output", "build", "dist"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {
            n
            for n in names
            if (top and (n in skip_top or n.endswith(".json")))
            or n in {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
            or n.endswith(".egg-info")
        }

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    (dest / "output").mkdir()
    (dest / ".venv").symlink_to(ROOT / ".venv")
    (dest / ".meltano").mkdir()
    for kind in (ROOT / ".meltano").iterdir():
        if kind.is_dir() and any(kind.glob("*/venv")):
            (dest / ".meltano" / kind.name).symlink_to(kind)
    for stub, reason in STUBS.items():
        (dest / stub).write_text(f'#!/usr/bin/env bash\necho "{stub}: not run here ({reason})"\n')
    return dest


def base_env(copy: Path, tools: Path) -> dict[str, str]:
    """The environment of every command: the copy's .venv first on PATH, its own system DB."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not re.match(r"^(TAP|TARGET|MELTANO|DAGSTER)_", k) and k not in {"VIRTUAL_ENV"}
    }
    env["PATH"] = os.pathsep.join([str(copy / ".venv" / "bin"), str(tools), os.environ["PATH"]])
    env["MELTANO_DATABASE_URI"] = f"sqlite:///{copy}/.meltano/meltano.db"
    env["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def tools_dir(path: Path) -> Path:
    """``target-jsonl`` on PATH, as for a reader who installed it."""
    path.mkdir()
    target = ROOT / ".meltano/loaders/target-jsonl/venv/bin/target-jsonl"
    if target.exists():
        (path / "target-jsonl").symlink_to(target)
    return path


@functools.cache
def uncapped(tap: str) -> dict:
    """The settings of ``tap`` that cap its request rate, lifted (0), where the tap has them.

    ``rate_limits`` is an object of per-category limits (tap-zoom's), each lifted with 0.
    """
    about = subprocess.run(
        [str(ROOT / ".venv/bin" / tap), "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    settings = json.loads(about.stdout)["settings"]["properties"]
    lifted: dict = {k: 0 for k in ("requests_per_second", "requests_per_minute") if k in settings}
    categories = settings.get("rate_limits", {}).get("properties")
    if categories:
        lifted["rate_limits"] = dict.fromkeys(categories, 0)
    return lifted


@pytest.fixture(scope="module")
def standins():
    """One in-process stand-in per API (and platform) for this module's tests; no rate caps."""
    zoom = zoom_standin.build()
    mts = mtslink.build()
    okto = oktopost.build()
    platforms = {p: stepik.build(platform=p) for p in ("stepik", "hyperskill")}
    with contextlib.ExitStack() as stack:
        zoom_url, mts_url, okto_url = (stack.enter_context(s.serve()) for s in (zoom, mts, okto))
        stepik_urls = {p: stack.enter_context(s.serve()) for p, s in platforms.items()}
        yield {
            "tap-zoom": lambda _platform: zoom_config(zoom_url, **uncapped("tap-zoom")),
            "tap-mtslink": lambda _platform: {
                "api_token": mtslink.API_TOKEN,
                "api_url": f"{mts_url}/v3",
                "start_date": "2015-01-01T00:00:00Z",
                **uncapped("tap-mtslink"),
            },
            "tap-oktopost": lambda _platform: oktopost.tap_config(
                okto_url, **uncapped("tap-oktopost")
            ),
            "tap-stepik": lambda platform: stepik.tap_config(
                platforms[platform], stepik_urls[platform], **uncapped("tap-stepik")
            ),
        }


class Workspace:
    """Throwaway copies of the project, and the environment their commands run with."""

    def __init__(self, base: Path, pg_dsn: str, settings_env, standins: dict):
        self.base = base
        self.standins = standins
        self.tools = tools_dir(base / "tools")
        self.schema = f"readme_{uuid.uuid4().hex[:10]}"
        self.copies = 0
        dsn = psycopg.conninfo.conninfo_to_dict(pg_dsn)
        self.env = {
            "TARGET_POSTGRES_HOST": dsn.get("host", "127.0.0.1"),
            "TARGET_POSTGRES_PORT": str(dsn.get("port", 5432)),
            "TARGET_POSTGRES_USER": dsn.get("user", "postgres"),
            "TARGET_POSTGRES_PASSWORD": dsn.get("password", ""),
            "TARGET_POSTGRES_DATABASE": dsn.get("dbname", "warehouse"),
            "TARGET_POSTGRES_SQLALCHEMY_URL": pg_dsn,
            **SPEED,
        }
        # Per extractor of meltano.yml: the settings of its stand-in, and no rate caps (these
        # apply to every block, also to one that gives the tap's settings itself).
        project = rc.Checker(ROOT, {})
        self.connections: dict[str, dict[str, str]] = {}
        for name in project.plugins:
            chain = project.lineage(name)
            vendor = chain[-1]["name"]
            if vendor not in standins or not name.startswith("tap-"):
                continue
            platform = next(
                (p["config"]["platform"] for p in chain if "platform" in (p.get("config") or {})),
                "stepik",
            )
            prefix = re.sub(r"\W", "_", name.upper())
            self.connections[prefix] = settings_env(prefix, standins[vendor](platform))
            # Meltano passes only the settings meltano.yml declares.
            lifted = {k: v for k, v in uncapped(vendor).items() if k in project.settings(name)}
            self.env |= settings_env(prefix, lifted)

    def new_copy(self, readme: str) -> dict:
        """A fresh copy, with ``config.json`` for the README's tap and an empty ``state.json``."""
        self.copies += 1
        folder = self.base / f"copy-{self.copies}"
        copy = make_copy(folder / "project")
        (folder / "tmp").mkdir()
        env = base_env(copy, self.tools) | self.env
        env["TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA"] = f"{self.schema}_{self.copies}"
        top = readme.split("/", maxsplit=1)[0] if "/" in readme else "tap-zoom"
        tap = top if top in self.standins else "tap-zoom"
        (copy / "config.json").write_text(json.dumps(self.standins[tap]("stepik"), indent=2))
        (copy / "state.json").write_text("{}")
        return {
            "copy": copy,
            "tmp": folder / "tmp",
            "env": env,
            "checker": rc.Checker(copy, env),
            "connections": self.connections,
        }


@pytest.fixture
def workspace(tmp_path, pg_dsn, settings_env, standins):
    space = Workspace(tmp_path, pg_dsn, settings_env, standins)
    yield space
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for n in range(1, space.copies + 1):
            conn.execute(
                psycopg.sql.SQL("drop schema if exists {} cascade").format(
                    psycopg.sql.Identifier(f"{space.schema}_{n}")
                )
            )


# --------------------------------------------------------------------------- running a block


def parts_of(command: rc.Command) -> list[rc.SimpleCommand]:
    """The simple commands of a command; none when it does not parse (bash then says why)."""
    try:
        return rc.simple_commands(command.text)
    except ValueError:
        return []


def reason_not_run(command: rc.Command) -> str | None:
    for table in (NOT_RUN, ELSEWHERE, UNSAFE):
        for pattern, reason in table.items():
            if re.search(pattern, command.text):
                return reason
    for part in parts_of(command):
        if part.argv and Path(part.argv[0]).name == "meltano":
            argv = part.argv
            words = [w for i, w in enumerate(argv) if i and argv[i - 1] not in MELTANO_VALUED]
            subcommand = next((w for w in words if not w.startswith("-")), "")
            flags = {w.split("=")[0] for w in argv if w.startswith("--")}
            if MELTANO_UNSAFE & {subcommand, *flags}:
                return "installs or removes plugin virtualenvs, which the copy shares"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def standin_launch(command: rc.Command) -> rc.SimpleCommand | None:
    """The stand-in a command starts (``python -m standins ...`` or ``standin ...``), if any."""
    parts = parts_of(command)
    if len(parts) != 1:
        return None
    argv = parts[0].argv
    name = Path(argv[0]).name if argv else ""
    module = re.fullmatch(r"python[\d.]*", name) is not None and argv[1:3] == ["-m", "standins"]
    return parts[0] if module or name == "standin" else None


PREAMBLE = f"""
set -o pipefail
__fail() {{ printf '\\n{MARK} failed %s %s@@\\n' "$1" "$2"; exit 97; }}
__wait_standin() {{
    for _ in $(seq 300); do
        grep -q 'stand-in on http' "$2" && return 0
        kill -0 "$1" 2>/dev/null || {{ cat "$2"; return 1; }}
        sleep 0.1
    done
    cat "$2"; return 1
}}
trap 'kill $(jobs -p) 2>/dev/null' EXIT
"""


def block_script(commands: list[rc.Command], project: dict) -> tuple[str, list[str]]:
    """The bash script of one block, and what happens to each command (for the report)."""
    text = " ".join(c.text for c in commands)
    lines = [PREAMBLE]
    for prefix, settings in project["connections"].items():
        if not re.search(rf"\b{prefix}_(?!_)[A-Z0-9_]*=", text):
            lines += [f"export {k}={shlex.quote(v)}" for k, v in settings.items()]
    ports: dict[str, str] = {}
    plan = []
    for n, command in enumerate(commands):
        script = command.script
        for old, new in ports.items():
            script = re.sub(rf"\b(127\.0\.0\.1|localhost):{old}\b", rf"\g<1>:{new}", script)
        script = re.sub(r"(?<![\w.~/-])/tmp/", f"{project['tmp']}/", script)
        for placeholder, real in rc.PLACEHOLDER_COMMANDS.items():
            script = re.sub(rf"(?<![\w./-]){re.escape(placeholder)}(?![\w.-])", real, script)
        lines.append(f"printf '\\n{MARK} command {n}@@\\n'")
        reason = reason_not_run(command)
        if reason:
            plan.append(f"{command.where}: not run ({reason}): {command.text}")
            continue
        launch = standin_launch(command)
        if launch is not None:
            argv = [*launch.argv, ""]
            for i, arg in enumerate(argv[:-1]):
                if arg == "--port" and argv[i + 1] not in {"", "0"}:
                    ports[argv[i + 1]] = str(free_port())
                    argv[i + 1] = ports[argv[i + 1]]
                elif arg.startswith("--port=") and arg != "--port=0":
                    ports[arg[7:]] = str(free_port())
                    argv[i] = f"--port={ports[arg[7:]]}"
            argv.pop()
            log = project["tmp"] / f"standin-{n}.log"
            started = shlex.join([*launch.assignments, *argv])
            lines += [
                f"{{ {started} ; }} > {log} 2>&1 &",
                f"__wait_standin $! {log} || __fail {n} 98",
            ]
            plan.append(f"{command.where}: stand-in, in the background: {started}")
            continue
        lines += [script, f"__rc=$?; [ $__rc -eq 0 ] || __fail {n} $__rc"]
        shown = re.sub(r"\s*\\\n\s*", " ", script).splitlines()[0]
        plan.append(f"{command.where}: run: {shown}")
    return "\n".join(lines) + "\n", plan


def stop_group(proc: subprocess.Popen) -> None:
    """Stop what a block left running (stand-ins, background jobs): its process group."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
            for _ in range(50):
                proc.poll()  # reaps bash itself, which would keep the group alive
                os.killpg(proc.pid, 0)  # ProcessLookupError once the group is gone
                time.sleep(0.1)
    proc.wait()


def run_block(fence: rc.Fence, project: dict) -> tuple[str | None, list[str]]:
    """Run one shell block; returns the failure (None when every command passed) and the plan."""
    commands = rc.block_commands(fence)
    script, plan = block_script(commands, project)
    script_file = project["tmp"] / f"block-{fence.line}.sh"
    log_file = project["tmp"] / f"block-{fence.line}.log"
    script_file.write_text(script)
    with log_file.open("w") as log:
        proc = subprocess.Popen(
            ["bash", str(script_file)],
            cwd=project["copy"],
            env=project["env"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            stop_group(proc)
    output = log_file.read_text(errors="replace")
    if code == 0:
        return None, plan
    failed = re.search(rf"{MARK} failed (\d+) (\d+)@@", output)
    started = re.findall(rf"{MARK} command (\d+)@@", output)
    index = int(failed.group(1)) if failed else int(started[-1]) if started else 0
    command = commands[index] if index < len(commands) else commands[-1]
    section = output.split(f"{MARK} command {index}@@")[-1]
    section = re.sub(rf"\n?{MARK} failed .*", "", section).strip()
    if code is None:
        why = f"timed out after {BLOCK_TIMEOUT} s"
    elif failed and failed.group(2) == "98":
        why = "the stand-in did not start"
    elif failed:
        why = f"exit {failed.group(2)}"
    else:
        why = f"bash exited with {code}"
    return f"{command.where}: `{command.text}` failed ({why}):\n{section[-4000:]}", plan


# --------------------------------------------------------------------------- the tests


def shell_fences(readme: str) -> list[rc.Fence]:
    return [f for f in rc.fences(ROOT / readme, ROOT) if f.language in rc.SHELL_LANGUAGES]


def all_block_commands() -> list[rc.Command]:
    return [c for readme in READMES for f in shell_fences(readme) for c in rc.block_commands(f)]


def test_every_fenced_block_says_its_language():
    unlabelled = [
        f"{f.path}:{f.line}"
        for readme in READMES
        for f in rc.fences(ROOT / readme, ROOT)
        if not f.language
    ]
    assert not unlabelled, (
        f"fenced blocks without a language: {unlabelled}. Label commands `bash` (they are then "
        "run by this test) and output or other text `text`."
    )


def test_readmes_have_shell_blocks():
    assert len(all_block_commands()) >= 10, "the extraction found almost no commands"


def test_every_not_run_entry_is_used():
    commands = all_block_commands()
    unused = [p for p in NOT_RUN if not any(re.search(p, c.text) for c in commands)]
    commands += [c for readme in READMES for c in rc.inline_commands(ROOT / readme, ROOT)]
    unused += [p for p in ELSEWHERE if not any(re.search(p, c.text) for c in commands)]
    assert not unused, f"NOT_RUN/ELSEWHERE entries that match no README command: {unused}"


@pytest.mark.parametrize("readme", READMES)
def test_readme_commands_are_known(readme, workspace):
    """Every command, run here or not, block or inline: executable, subcommands, options."""
    commands = [c for f in shell_fences(readme) for c in rc.block_commands(f)]
    commands += rc.inline_commands(ROOT / readme, ROOT)
    commands = [c for c in commands if not any(re.search(p, c.text) for p in ELSEWHERE)]
    checker = workspace.new_copy(readme)["checker"]
    with ThreadPoolExecutor(max_workers=4) as pool:  # --help of many CLIs: seconds each
        found = list(pool.map(checker.check, commands))
    problems = [
        f"{c.where}: `{c.text}`: {problem}"
        for c, problems_of_c in zip(commands, found, strict=True)
        for problem in problems_of_c
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("readme", READMES)
def test_readme_shell_blocks_run(readme, workspace):
    """Every shell block runs in a fresh copy, on the stand-ins, into the test PostgreSQL."""
    started = time.monotonic()
    fences = shell_fences(readme)
    copies = [workspace.new_copy(readme) for _ in fences]
    with ThreadPoolExecutor(max_workers=BLOCKS_AT_ONCE) as pool:  # blocks are independent
        results = list(pool.map(run_block, fences, copies))
    failures = [failure for failure, _ in results if failure]
    plans = [line for _, plan in results for line in plan]
    print(f"{readme}: {time.monotonic() - started:.1f} s", *plans, sep="\n  ")
    assert not failures, "\n\n".join(failures)


# --------------------------------------------------------------------------- the checks can fail

MISTAKES = [
    ".venv/bin/meltano config tap-zoom set client_secret x",  # Meltano 3 argument order
    "meltano install extractor tap-mtslink",  # Meltano 3: the plugin type as an argument
    ".venv/bin/meltano run tap-zoom target-postgres --environment prod",  # a global option
    ".venv/bin/meltano run tap-nope target-jsonl",
    "meltano invoke tap-stepik:logout",
    "meltano invoke tap-zoom --discovery",
    "meltano config set tap-zoom client_secrett x",
    "meltano schedule run zoom-to-postgres-daily --dryrun",
    "tap-zoom --config config.json --bogus",
    "tap-zoom --about --format=yaml",
    "tap-stepik-login --platform moodle --output tokens.json",
    ".venv/bin/python -m standins zoom --port 8765 --option bogus=1",
    ".venv/bin/python -m standins zoom --ports 8765",
    ".venv/bin/python bench/zoom_children.py --instance 10",
    "scripts/demo --fast",
    "scripts/test tap-zoom/testz -k incremental",
    "pip install ./common ./tap-x",
    "no-such-tool --help",
    "tap-zoom --config config.json | target-nope",
]

CORRECT = [
    ".venv/bin/meltano config set tap-zoom client_secret x",
    "meltano install tap-mtslink",
    ".venv/bin/meltano --environment prod run tap-zoom target-postgres",
    "meltano --log-level=debug run --full-refresh tap-zoom target-jsonl",
    "meltano invoke tap-hyperskill:login",
    "meltano invoke tap-zoom --discover",
    "meltano config list tap-zoom",
    "TAP_ZOOM_START_DATE=2026-01-01 tap-zoom --config ENV --catalog catalog.json > out.jsonl",
    "tap-zoom --about --format=markdown 2>&1 | tail -1",
    ".venv/bin/python -m standins stepik --port 8765 --option platform=hyperskill &",
    "scripts/test tap-zoom/tests -k incremental -q",
    ".venv/bin/ruff check . && .venv/bin/ruff format --check .",
]


def test_the_checker_flags_mistakes_and_passes_correct_commands(workspace):
    checker = workspace.new_copy("README.md")["checker"]
    commands = [rc.Command("example", n, text, text) for n, text in enumerate(MISTAKES + CORRECT)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = dict(
            zip([c.text for c in commands], pool.map(checker.check, commands), strict=True)
        )

    assert [text for text in MISTAKES if not found[text]] == []
    assert {text: found[text] for text in CORRECT if found[text]} == {}


def test_extraction_joins_continuations_and_heredocs_and_reads_console_prompts(tmp_path):
    (tmp_path / "README.md").write_text(
        "Run `meltano run tap-zoom target-jsonl` or `tap-zoom target-jsonl` (a pair).\n\n"
        "```bash\n"
        "# a comment\n"
        "A=1 tap-zoom --config ENV \\\n"
        "  --discover > catalog.json   # trailing comment\n"
        "cat > .env <<'ENV'\n"
        "TAP_ZOOM_CLIENT_ID=x\n"
        "ENV\n"
        "```\n\n"
        "```console\n"
        "$ meltano job list\n"
        "zoom-to-postgres: [tap-zoom target-postgres]\n"
        "```\n\n"
        "```\nunlabelled\n```\n"
    )
    fences = rc.fences(tmp_path / "README.md", tmp_path)
    commands = [c for f in fences if f.language in rc.SHELL_LANGUAGES for c in rc.block_commands(f)]

    assert [f.language for f in fences] == ["bash", "console", ""]
    assert [(c.line, c.text) for c in commands] == [
        (5, "A=1 tap-zoom --config ENV --discover > catalog.json   # trailing comment"),
        (7, "cat > .env <<'ENV'"),
        (13, "meltano job list"),
    ]
    assert commands[1].script.splitlines()[-1] == "ENV"
    parts = rc.simple_commands(commands[0].text)
    assert [(p.assignments, p.argv) for p in parts] == [
        (["A=1"], ["tap-zoom", "--config", "ENV", "--discover"])
    ]
    inline = rc.inline_commands(tmp_path / "README.md", tmp_path)
    assert [c.text for c in inline] == ["meltano run tap-zoom target-jsonl"]
