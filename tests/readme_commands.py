"""The shell commands of the READMEs: extraction, parsing and static checks.

Used by ``tests/e2e/test_readme_commands.py``, which also runs them. Two sources of commands:

* fenced blocks labelled ``bash``, ``sh``, ``shell``, ``zsh`` or ``console`` (in ``console``
  blocks only the ``$ `` lines are commands, the rest is output). Every fenced block must carry a
  label, so commands cannot hide in an unlabelled one (label output ``text``);
* inline code spans in the prose that start like a command (``meltano ...``, ``tap-zoom --about``,
  ``.venv/bin/...``, ``scripts/...``); these are checked, never run, and may use placeholders
  (``<key>``, ``[--instances N]``).

A static check resolves each executable (shell builtin, ``PATH`` with ``.venv/bin`` first, or a
path in the repository) and, for the command-line tools of this project (meltano, the taps, the
stand-ins, pytest, pip, the bench scripts, any console script of ``.venv`` or of a Meltano
plugin's virtualenv such as ruff or dagster), walks the subcommands and checks every option
(and the value of an option with listed choices) against the ``--help`` of the deepest one.
Meltano commands also have their plugin, job, schedule, setting and plugin-command names checked
against ``meltano.yml``, and a stand-in is built with its ``--option`` values. Repository
scripts get the arguments ``SCRIPT_ARGUMENTS`` says, path arguments must exist.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

SHELL_LANGUAGES = {"bash", "sh", "shell", "zsh", "console"}

# Stand-ins for text in the READMEs that is not literally runnable: {placeholder: what is used}.
PLACEHOLDER_COMMANDS = {"target-...": "target-jsonl"}  # "any Singer target"

BUILTINS = {
    ".", ":", "[", "alias", "cd", "command", "echo", "eval", "exec", "exit", "export", "false",
    "kill", "printf", "pwd", "read", "set", "shift", "source", "test", "trap", "true", "type",
    "unset", "wait",
}  # fmt: skip

# Repository scripts and what receives their arguments (None: they take none).
SCRIPT_ARGUMENTS: dict[str, list[str] | None] = {
    "scripts/test": [".venv/bin/python", "-m", "pytest"],
    "scripts/demo": None,
    "scripts/setup": None,
    "scripts/pg-start": None,
    "scripts/pg-stop": None,
    ".ci/run": None,
}

# Inline spans starting with one of these words (and an argument) are commands.
COMMAND_WORDS = {
    "meltano", "pip", "pip3", "pytest", "python", "python3", "ruff", "standin",
    "dagster", "dagster-daemon", "dagster-webserver",
}  # fmt: skip
# ... or with one of these paths (alone too: `scripts/setup`).
COMMAND_PATHS = (".venv/bin/", "scripts/", ".ci/", "./scripts/")

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_OPERATORS = {"|", "||", "&&", ";", "&", "|&", ";;"}
_REDIRECTIONS = {">", ">>", "<", "<<", "<<-", "<<<", "&>", "&>>", ">&", ">|", "<>"}
_HEREDOC = re.compile(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
PLACEHOLDER = "PLACEHOLDER"

# Session caches: `--help` texts by command, stand-in build errors by options.
_HELP: dict[tuple[str, ...], HelpSpec] = {}
_STANDIN_BUILDS: dict[tuple[str, ...], str] = {}
_LOCK = threading.Lock()
_MELTANO_LOCK = threading.Lock()
_KEY_LOCKS: dict[tuple[str, ...], threading.Lock] = {}


# --------------------------------------------------------------------------- extraction


@dataclass(frozen=True)
class Fence:
    """A fenced code block: where it starts (the opening fence's line), its label and body."""

    path: str
    line: int
    end: int
    language: str
    body: str


@dataclass(frozen=True)
class Command:
    """One logical command: continuation lines joined, a here-document attached.

    ``script`` is the text as the shell gets it; ``text`` is one line without continuations or
    here-document bodies, for parsing and messages.
    """

    path: str
    line: int
    script: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def readme_files(root: Path) -> list[Path]:
    """The READMEs whose commands are tested: the root one and those one folder down."""
    nested = sorted(p for p in root.glob("*/README.md") if not p.parent.name.startswith((".", "_")))
    return [root / "README.md", *nested]


def fences(path: Path, root: Path) -> list[Fence]:
    """Every fenced code block of a markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Fence] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        language = match["info"].split()[0].lower() if match["info"].strip() else ""
        found.append(Fence(str(path.relative_to(root)), i + 1, j + 1, language, "\n".join(body)))
        i = j + 1
    return found


def block_commands(fence: Fence) -> list[Command]:
    """The commands of a shell block, in order (comment lines and blank lines dropped)."""
    lines = fence.body.splitlines()
    if fence.language == "console":
        lines = _console_commands(lines)
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        start = i
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        logical = [lines[i]]
        while logical[-1].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            logical.append(lines[i])
        i += 1
        joined = " ".join(part.rstrip().removesuffix("\\").strip() for part in logical)
        script = list(logical)
        for heredoc in _HEREDOC.finditer(joined):
            tag = heredoc.group(3)
            while i < len(lines):
                script.append(lines[i])
                i += 1
                if lines[i - 1].strip() == tag:
                    break
        commands.append(
            Command(fence.path, fence.line + 1 + start, "\n".join(script), joined.strip())
        )
    return commands


def _console_commands(lines: list[str]) -> list[str]:
    """The command lines of a console transcript (``$ `` prompts and their continuations)."""
    kept: list[str] = []
    continuing = False
    for line in lines:
        if line.startswith("$ "):
            kept.append(line[2:])
        elif continuing:
            kept.append(line)
        else:
            kept.append("")  # output: keeps line numbers
            continue
        continuing = line.rstrip().endswith("\\")
    return kept


def inline_commands(path: Path, root: Path) -> list[Command]:
    """Inline code spans outside fenced blocks that are commands (see ``COMMAND_WORDS``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for fence in fences(path, root):  # blank out fenced blocks, keeping line numbers
        lines[fence.line - 1 : fence.end] = [""] * (fence.end - fence.line + 1)
    prose = "\n".join(lines)
    commands = []
    for span in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", prose, re.S):
        content = span.group(2)
        if "\n\n" in content:
            continue
        content = " ".join(content.split())
        if not _looks_like_command(content):
            continue
        line = prose.count("\n", 0, span.start()) + 1
        normalized = _fill_placeholders(content)
        commands.append(Command(str(path.relative_to(root)), line, normalized, normalized))
    return commands


def _looks_like_command(content: str) -> bool:
    try:
        words = shlex.split(re.sub(r"<[^<>\s]+>", PLACEHOLDER, content))
    except ValueError:
        return False
    while words and _ASSIGNMENT.match(words[0]):
        words.pop(0)
    if not words:
        return False
    first = words[0]
    if first.endswith("/"):
        return False
    if first.startswith(COMMAND_PATHS):
        return True
    if re.fullmatch(r"(tap|target)-[a-z-]+", first):  # `tap-zoom --about`, not `tap-x target-y`
        return len(words) > 1 and words[1].startswith("-")
    return len(words) > 1 and first in COMMAND_WORDS


def _fill_placeholders(content: str) -> str:
    """``<key>`` -> PLACEHOLDER; ``[--instances N]`` -> ``--instances N``."""
    content = re.sub(r"<[^<>\s]+>", PLACEHOLDER, content)
    return re.sub(r"\[(-[^\[\]]*)\]", r"\1", content)


# --------------------------------------------------------------------------- parsing


@dataclass
class SimpleCommand:
    """One simple command of a pipeline or list: its env assignments, argv and redirections."""

    assignments: list[str] = field(default_factory=list)
    argv: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    background: bool = False


def simple_commands(text: str) -> list[SimpleCommand]:
    """Split a one-line command into simple commands (pipes, lists; redirections taken out)."""
    text = re.sub(r"(?<=\s)\d+(?=>)", "", f" {text}")  # 2>file -> >file
    text = re.sub(r">&\s*\d+", "", text)  # 2>&1
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    result: list[SimpleCommand] = []
    current = SimpleCommand()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _OPERATORS:
            current.background = token == "&"
            if current.argv or current.assignments:
                result.append(current)
            current = SimpleCommand()
        elif token in _REDIRECTIONS:
            target = tokens[i + 1] if i + 1 < len(tokens) else ""
            current.redirects.append((token, target))
            i += 1
        elif not current.argv and _ASSIGNMENT.match(token):
            current.assignments.append(token)
        else:
            current.argv.append(token)
        i += 1
    if current.argv or current.assignments:
        result.append(current)
    return result


# --------------------------------------------------------------------------- --help


@dataclass(frozen=True)
class Option:
    takes_value: bool
    choices: frozenset[str] | None = None


@dataclass
class HelpSpec:
    """What a ``--help`` says: its options and, for a command group, its subcommands."""

    options: dict[str, Option]
    commands: set[str] | None
    text: str
    passthrough: bool = False  # what follows the first argument goes to another program


def parse_help(text: str) -> HelpSpec:
    options: dict[str, Option] = {}
    commands: set[str] | None = None
    in_commands = False
    for line in text.splitlines():
        if re.match(r"^\S.*:\s*$", line):
            in_commands = line.strip().lower().endswith("commands:")
            if in_commands:
                commands = set()
            continue
        if in_commands:
            entry = re.match(r"^ {1,4}([a-z][\w-]*)(?:\s{2,}|,|$)", line)
            if entry and commands is not None:
                commands.add(entry.group(1))
            continue
        stripped = line.strip()
        if stripped.startswith("-"):
            spec = re.split(r"\s{2,}", stripped)[0]
            for piece in re.split(r",\s+|\s+/\s+", spec):
                piece_match = re.match(r"^(--?[A-Za-z0-9][\w-]*)(?:[ =](\S.*))?$", piece)
                if not piece_match:
                    continue
                name, metavar = piece_match.groups()
                choices = None
                if metavar:
                    listed = re.fullmatch(r"[\[{]([^\]}]+)[\]}]", metavar.strip())
                    if listed:
                        choices = frozenset(re.split(r"[|,]", listed.group(1)))
                options[name] = Option(takes_value=bool(metavar), choices=choices)
    usage = re.search(r"^usage:.*$", text, re.I | re.M)
    # click: `invoke ... PLUGIN_NAME [PLUGIN_ARGS]...`, `schedule run NAME [ELT_OPTIONS]...`
    passthrough = bool(usage) and re.search(r"\[(?!OPTIONS\])\w*(ARGS|OPTIONS)\]\.\.\.", usage[0])
    return HelpSpec(options, commands, text, passthrough=bool(passthrough) and commands is None)


# --------------------------------------------------------------------------- the checker


class Checker:
    """Static checks of commands, run in ``project`` (a copy of the repository) with ``env``."""

    def __init__(self, project: Path, env: dict[str, str]):
        self.project = project
        self.env = env

    # ---- project knowledge

    @cached_property
    def meltano_project(self) -> dict:
        return yaml.safe_load((self.project / "meltano.yml").read_text())

    @cached_property
    def plugins(self) -> dict[str, dict]:
        found = {}
        for plugins in (self.meltano_project.get("plugins") or {}).values():
            for plugin in plugins or []:
                found[plugin["name"]] = plugin
        return found

    @cached_property
    def jobs(self) -> set[str]:
        return {job["name"] for job in self.meltano_project.get("jobs") or []}

    @cached_property
    def schedules(self) -> set[str]:
        return {s["name"] for s in self.meltano_project.get("schedules") or []}

    def lineage(self, name: str) -> list[dict]:
        """The plugin and the plugins it inherits from."""
        chain = []
        while name in self.plugins and len(chain) < 10:
            chain.append(self.plugins[name])
            name = self.plugins[name].get("inherit_from", "")
        return chain

    def settings(self, name: str) -> set[str]:
        return {s["name"] for p in self.lineage(name) for s in p.get("settings") or []}

    def plugin_commands(self, name: str) -> set[str]:
        return {c for p in self.lineage(name) for c in p.get("commands") or {}}

    def executable_of(self, plugin: str) -> str:
        for p in self.lineage(plugin):
            if p.get("executable"):
                return p["executable"]
        chain = self.lineage(plugin)
        return chain[-1]["name"] if chain else plugin

    # ---- resolution

    def resolve(self, word: str) -> str | None:
        """The executable a command word runs, or None when there is none."""
        word = PLACEHOLDER_COMMANDS.get(word, word)
        if word in BUILTINS:
            return word
        if "/" in word:
            candidate = Path(word) if word.startswith("/") else self.project / word
            return str(candidate) if os.access(candidate, os.X_OK) else None
        return shutil.which(word, path=self.env["PATH"])

    def help(self, argv: tuple[str, ...]) -> HelpSpec:
        """What ``argv --help`` says (cached for the session, whichever copy asks)."""
        key = tuple(a.replace(str(self.project), "{project}") for a in argv)
        with _LOCK:
            lock = _KEY_LOCKS.setdefault(key, threading.Lock())
        with lock:
            if key not in _HELP:
                text = self.output([*argv, "--help"], f"`{' '.join(key)} --help`")
                _HELP[key] = parse_help(text)
        return _HELP[key]

    def completed(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        """A command run in the project copy, its output captured, whatever its exit code."""
        # Some meltano commands migrate the system database even for --help: one at a time.
        lock = _MELTANO_LOCK if Path(argv[0]).name == "meltano" else contextlib.nullcontext()
        with lock:
            return subprocess.run(
                argv,
                cwd=self.project,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

    def output(self, argv: list[str], what: str) -> str:
        """The output of a command that must succeed."""
        proc = self.completed(argv)
        if proc.returncode != 0:
            raise AssertionError(f"{what} failed:\n{proc.stdout[-1500:]}{proc.stderr[-1500:]}")
        return proc.stdout or proc.stderr

    # ---- checks

    def check(self, command: Command) -> list[str]:
        """Problems of one logical command (empty when it is fine)."""
        try:
            parts = simple_commands(command.text)
        except ValueError as exc:
            return [f"cannot parse: {exc}"]
        problems = []
        for part in parts:
            problems += self.check_simple(part)
        return problems

    def check_simple(self, command: SimpleCommand) -> list[str]:
        if not command.argv:
            return []
        word, args = command.argv[0], command.argv[1:]
        if word == PLACEHOLDER:
            return []
        resolved = self.resolve(word)
        if resolved is None:
            return [f"unknown command `{word}` (not a builtin, not on PATH, not in the repository)"]
        word = PLACEHOLDER_COMMANDS.get(word, word)
        name = Path(word).name
        relative = word.removeprefix("./")
        if relative in SCRIPT_ARGUMENTS:
            receiver = SCRIPT_ARGUMENTS[relative]
            if receiver is None:
                return [f"`{relative}` takes no arguments, got {args}"] if args else []
            return self.check_cli(tuple(receiver), args, paths=True)
        if name == "meltano":
            return self.check_meltano(resolved, args)
        if name in {"python", "python3"} or re.fullmatch(r"python3\.\d+", name):
            return self.check_python(resolved, args)
        if name in {"pytest", "py.test"}:
            return self.check_cli((resolved,), args, paths=True)
        if name in {"pip", "pip3"}:
            return self.check_cli((resolved,), args, paths=True)
        if name == "standin":
            return self.check_standin((resolved,), args)
        if self.is_python_tool(resolved):
            return self.check_cli((resolved,), args)
        return []  # builtins and system tools: existence only

    def is_python_tool(self, resolved: str) -> bool:
        """A console script of the project's or a Meltano plugin's virtualenv (has ``--help``)."""
        if "/" not in resolved:
            return False
        folders = {Path(resolved).parent, Path(resolved).resolve().parent}
        venvs = [self.project / ".venv", *(self.project / ".meltano").glob("*/*/venv")]
        return any(folders & {venv / "bin", venv.resolve() / "bin"} for venv in venvs)

    def check_python(self, python: str, args: list[str]) -> list[str]:
        if args[:1] == ["-m"] and len(args) > 1:
            module, rest = args[1], args[2:]
            if module == "standins":
                return self.check_standin((python, "-m", "standins"), rest)
            if module in {"pytest", "pip"}:
                return self.check_cli((python, "-m", module), rest, paths=True)
            return []
        if args and not args[0].startswith("-"):
            script = self.project / args[0]
            if not script.exists():
                return [f"`{args[0]}` does not exist"]
            if args[0].startswith("bench/"):
                return self.check_cli((python, args[0]), args[1:])
        return []

    def check_standin(self, base: tuple[str, ...], args: list[str]) -> list[str]:
        """Options of ``python -m standins``, and the stand-in built with its ``--option``s."""
        _, positionals, problems = self.walk(base, args)
        if problems or not positionals or positionals[0] == PLACEHOLDER:
            return problems
        key = (positionals[0], *(value for _, value in _option_values(args, "--option")))
        if key not in _STANDIN_BUILDS:
            proc = self.completed(
                [
                    str(self.project / ".venv/bin/python"),
                    "-c",
                    "import sys\nfrom standins.__main__ import make_standin, parse_options\n"
                    "make_standin(sys.argv[1], 0.0, parse_options(sys.argv[2:]))",
                    *key,
                ]
            )
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            _STANDIN_BUILDS[key] = "" if proc.returncode == 0 else last
        if _STANDIN_BUILDS[key]:
            return [f"stand-in `{positionals[0]}` refuses its options: {_STANDIN_BUILDS[key]}"]
        return []

    def check_cli(
        self, base: tuple[str, ...], args: list[str], *, paths: bool = False
    ) -> list[str]:
        _, positionals, problems = self.walk(base, args)
        if paths:
            for value in positionals:
                if value.startswith(("./", "../")) or ("/" in value and "://" not in value):
                    target = value.split("::")[0]
                    if not (self.project / target).exists():
                        problems.append(f"path `{target}` does not exist")
        return problems

    def walk(
        self, base: tuple[str, ...], args: list[str]
    ) -> tuple[tuple[str, ...], list[str], list[str]]:
        """Descend the subcommands in ``args``, checking options against each ``--help``.

        Returns the command path, the positional arguments and the problems found.
        """
        path = base
        spec = self.help(path)
        positionals: list[str] = []
        problems: list[str] = []
        shown = " ".join(Path(base[0]).name if i == 0 else a for i, a in enumerate(base))
        i = 0
        while i < len(args):
            token = args[i]
            i += 1
            if token == "--":
                positionals += args[i:]
                break
            if token.startswith("-") and token != "-" and not re.fullmatch(r"-\d+", token):
                name, equals, value = token.partition("=")
                if not name.startswith("--") and len(name) > 2:
                    name, value, equals = name[:2], name[2:], "="
                option = spec.options.get(name)
                if option is None:
                    problems.append(f"unknown option `{name}` for `{shown}`")
                    continue
                if option.takes_value and not equals and i < len(args):
                    value = args[i]
                    i += 1
                if option.choices and value and value not in {*option.choices, PLACEHOLDER}:
                    problems.append(
                        f"`{name} {value}` for `{shown}`: expected one of {sorted(option.choices)}"
                    )
                continue
            if spec.commands is not None and not positionals:
                if token not in spec.commands:
                    problems.append(
                        f"unknown command `{token}` for `{shown}` "
                        f"(it has: {', '.join(sorted(spec.commands))})"
                    )
                    break
                path = (*path, token)
                shown = f"{shown} {token}"
                spec = self.help(path)
                continue
            positionals.append(token)
            if spec.passthrough:
                positionals += args[i:]
                break
        return path, positionals, problems

    def check_meltano(self, meltano: str, args: list[str]) -> list[str]:
        path, positionals, problems = self.walk((meltano,), args)
        if problems:
            return problems
        sub = path[1:]
        names = [p for p in positionals if p != PLACEHOLDER and "..." not in p]

        def plugin(value: str, *, jobs: bool = False) -> list[str]:
            name, _, command = value.partition(":")
            if name not in self.plugins:
                if jobs and value in self.jobs:
                    return []
                what = "plugin or job" if jobs else "plugin"
                return [f"`{name}` is not a {what} in meltano.yml"]
            if command and command not in self.plugin_commands(name):
                return [f"`{name}` has no command `{command}` in meltano.yml"]
            return []

        if sub == ("run",):
            for value in names:
                problems += plugin(value, jobs=True)
        elif sub == ("install",) or sub[:1] in {("el",), ("elt",)}:
            for value in names[: 2 if sub[:1] != ("install",) else None]:
                problems += plugin(value)
        elif sub in {("invoke",), ("test",)} and positionals:
            problems += plugin(positionals[0])
            target, _, command = positionals[0].partition(":")
            exe = self.project / ".venv/bin" / self.executable_of(target)
            if sub == ("invoke",) and not command and not problems and exe.exists():
                problems += self.check_cli((str(exe),), positionals[1:])
        elif sub == ("schedule", "run") and positionals:
            if positionals[0] not in self.schedules | {PLACEHOLDER}:
                problems.append(f"`{positionals[0]}` is not a schedule in meltano.yml")
            # the options after the schedule's name go to `meltano run`
            problems += self.walk((meltano, "run"), positionals[1:])[2]
        elif sub[:1] == ("config",) and len(sub) == 2 and names and names[0] != "meltano":
            problems += plugin(names[0])
            if not problems and sub[1] in {"set", "unset"} and len(names) > 1:
                setting = names[1]
                known = self.settings(names[0])
                if not setting.startswith("_") and not any(
                    setting == s or setting.startswith(f"{s}.") or s.startswith(f"{setting}.")
                    for s in known
                ):
                    problems.append(f"`{names[0]}` declares no setting `{setting}`")
        return problems


def _option_values(args: list[str], *names: str) -> list[tuple[str, str]]:
    found = []
    for i, token in enumerate(args):
        name, equals, value = token.partition("=")
        if name in names:
            found.append((name, value if equals else (args[i + 1] if i + 1 < len(args) else "")))
    return found
