"""The Meltano project's jobs and schedules as Dagster jobs and schedules.

Read from ``meltano.yml`` (and its ``include_paths``) each time the code location loads:

- one Dagster job per Meltano job (``zoom-to-postgres`` -> ``zoom_to_postgres``), whose one op
  runs ``meltano run <job>`` in the project root, so the state ids, environments and settings are
  exactly those of a manual ``meltano run``;
- a retry policy on that op (exponential backoff with jitter) for failures a tap's own request
  retries cannot cover: the database restarting, a 5xx that outlasted them, a killed process;
- run tags ``meltano/job``, ``meltano/extractor`` and ``meltano/loader``, which a run queue
  limits on (one run per extractor at a time, since two runs of one tap would race on its state)
  while runs of different taps spread over the workers;
- one Dagster schedule per Meltano schedule with a cron (``@once``/``@manual`` have none), in
  UTC, with the schedule's ``env`` passed to the run.

``dagster-meltano`` is not used: its last release (1.5.5) needs ``dagster-shell<1``, whose last
release pins ``dagster==1.9.13``, and it runs the ``meltano`` CLI at import time to list jobs.
"""

# No `from __future__ import annotations`: Dagster reads the op's config annotation at runtime.
import collections
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import yaml

DEFAULT_PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Meltano's interval presets (meltano.core.schedule.CRON_INTERVALS); None: never scheduled.
CRON_PRESETS: dict[str, str | None] = {
    "@once": None,
    "@manual": None,
    "@none": None,
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
LOG_TAIL_LINES = 40
STOP_GRACE_SECONDS = 30


def default_retry_policy() -> dg.RetryPolicy:
    """Two retries, 5 then 10 minutes later (+-jitter); DAGSTER_MELTANO_MAX_RETRIES/_RETRY_DELAY."""
    return dg.RetryPolicy(
        max_retries=int(os.environ.get("DAGSTER_MELTANO_MAX_RETRIES", "2")),
        delay=float(os.environ.get("DAGSTER_MELTANO_RETRY_DELAY", "300")),
        backoff=dg.Backoff.EXPONENTIAL,
        jitter=dg.Jitter.PLUS_MINUS,
    )


@dataclass(frozen=True)
class MeltanoJob:
    """A job of meltano.yml: its tasks and the extractors and loaders they name."""

    name: str
    tasks: tuple[str, ...]
    extractors: tuple[str, ...]
    loaders: tuple[str, ...]


@dataclass(frozen=True)
class MeltanoSchedule:
    """A job schedule of meltano.yml; ``cron`` is None for @once/@manual."""

    name: str
    job: str
    cron: str | None
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MeltanoProject:
    """What Dagster needs from a Meltano project."""

    root: Path
    jobs: tuple[MeltanoJob, ...]
    schedules: tuple[MeltanoSchedule, ...]


def dagster_name(name: str) -> str:
    """A Meltano name as a Dagster name (letters, digits, underscores)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _project_files(root: Path) -> list[dict]:
    main = yaml.safe_load((root / "meltano.yml").read_text()) or {}
    files = [main]
    for pattern in main.get("include_paths", []):
        files.extend(yaml.safe_load(path.read_text()) or {} for path in sorted(root.glob(pattern)))
    return files


def _task_strings(tasks: object) -> list[str]:
    """A job's tasks: one string, a list of strings, or a list of lists of block names."""
    if isinstance(tasks, str):
        return [tasks]
    return [task if isinstance(task, str) else " ".join(task) for task in tasks or []]


def load_meltano_project(root: Path | str = DEFAULT_PROJECT_ROOT) -> MeltanoProject:
    """Jobs and schedules of the Meltano project at ``root``."""
    root = Path(root)
    files = _project_files(root)
    plugin_names = collections.defaultdict(set)
    for content in files:
        for kind, plugins in (content.get("plugins") or {}).items():
            plugin_names[kind].update(plugin["name"] for plugin in plugins or [])

    jobs = []
    for content in files:
        for job in content.get("jobs") or []:
            tasks = tuple(_task_strings(job["tasks"]))
            blocks = [block.split(":")[0] for task in tasks for block in task.split()]
            jobs.append(
                MeltanoJob(
                    name=job["name"],
                    tasks=tasks,
                    extractors=tuple(b for b in blocks if b in plugin_names["extractors"]),
                    loaders=tuple(b for b in blocks if b in plugin_names["loaders"]),
                )
            )

    job_names = {job.name for job in jobs}
    schedules = []
    for content in files:
        for schedule in content.get("schedules") or []:
            if "job" not in schedule:
                # A legacy `meltano elt` schedule (extractor/loader): not a job, not run here.
                continue
            if schedule["job"] not in job_names:
                raise ValueError(
                    f"Schedule {schedule['name']!r} names job {schedule['job']!r}, "
                    "which meltano.yml does not define."
                )
            interval = str(schedule["interval"]).strip()
            schedules.append(
                MeltanoSchedule(
                    name=schedule["name"],
                    job=schedule["job"],
                    cron=CRON_PRESETS.get(interval, interval),
                    env={k: str(v) for k, v in (schedule.get("env") or {}).items()},
                )
            )
    return MeltanoProject(root=root, jobs=tuple(jobs), schedules=tuple(schedules))


class MeltanoRunConfig(dg.Config):
    """Run config of a Meltano job's op."""

    env: dict[str, str] = {}  # noqa: RUF012 - Dagster copies config defaults per run


def meltano_executable() -> str:
    """DAGSTER_MELTANO_BIN, else the meltano beside this Python, else the one on PATH."""
    if os.environ.get("DAGSTER_MELTANO_BIN"):
        return os.environ["DAGSTER_MELTANO_BIN"]
    beside = Path(sys.executable).parent / "meltano"
    return str(beside) if beside.exists() else "meltano"


def run_meltano_job(
    job: str, root: Path, env: dict[str, str], log: dg.DagsterLogManager
) -> dict[str, object]:
    """Run ``meltano run <job>`` in ``root``; its output goes to this step's captured log."""
    command = [meltano_executable(), "run", job]
    log.info(f"Running `meltano run {job}` in {root}")
    started = time.monotonic()
    tail: collections.deque[str] = collections.deque(maxlen=LOG_TAIL_LINES)
    proc = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
        command,
        cwd=root,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    try:
        for line in proc.stdout:
            sys.stderr.write(line)
            tail.append(line)
        returncode = proc.wait()
    finally:
        # The run was terminated (or the op failed): do not leave meltano and its plugins behind.
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    seconds = round(time.monotonic() - started, 1)
    if returncode != 0:
        raise dg.Failure(
            description=f"`meltano run {job}` exited with code {returncode} after {seconds} s",
            metadata={
                "exit_code": returncode,
                "seconds": seconds,
                "log_tail": dg.MetadataValue.text("".join(tail)),
            },
            allow_retries=True,
        )
    log.info(f"`meltano run {job}` succeeded in {seconds} s")
    return {"job": job, "seconds": seconds}


def _op_for(job: MeltanoJob, root: Path, retry_policy: dg.RetryPolicy) -> dg.OpDefinition:
    @dg.op(
        name=f"meltano_run_{dagster_name(job.name)}",
        description=f"`meltano run {job.name}`: {'; '.join(job.tasks)}",
        retry_policy=retry_policy,
        tags={"kind": "meltano"},
    )
    def meltano_run(context: dg.OpExecutionContext, config: MeltanoRunConfig) -> dict:
        return run_meltano_job(job.name, root, config.env, context.log)

    return meltano_run


def run_tags(job: MeltanoJob) -> dict[str, str]:
    """Run tags of a Meltano job's runs: what a run queue limits concurrency on."""
    plugins = {
        "meltano/extractor": ".".join(job.extractors),
        "meltano/loader": ".".join(job.loaders),
    }
    return {
        "meltano/job": job.name,
        **{key: value for key, value in plugins.items() if value},
        # Re-launch a run whose worker died (only with run_retries enabled on the instance);
        # op failures are retried by the op's retry policy instead.
        "dagster/max_retries": "1",
        "dagster/retry_on_asset_or_op_failure": "false",
    }


def job_for(
    job: MeltanoJob, root: Path, retry_policy: dg.RetryPolicy | None = None
) -> dg.JobDefinition:
    """The Dagster job of a Meltano job."""
    op_def = _op_for(job, root, retry_policy or default_retry_policy())

    @dg.job(
        name=dagster_name(job.name),
        description=f"Meltano job `{job.name}` (meltano.yml): {'; '.join(job.tasks)}",
        tags=run_tags(job),
    )
    def meltano_job() -> None:
        op_def()

    return meltano_job


def build_definitions(
    root: Path | str = DEFAULT_PROJECT_ROOT,
    retry_policy: dg.RetryPolicy | None = None,
    default_schedule_status: dg.DefaultScheduleStatus = dg.DefaultScheduleStatus.RUNNING,
) -> dg.Definitions:
    """Dagster definitions for every job and schedule of the Meltano project at ``root``."""
    project = load_meltano_project(root)
    jobs = {job.name: job_for(job, project.root, retry_policy) for job in project.jobs}
    names = [d.name for d in jobs.values()]
    names += [dagster_name(s.name) for s in project.schedules if s.cron]
    if len(set(names)) != len(names):
        raise ValueError(f"Meltano names collide once made Dagster names: {sorted(names)}")
    schedules = [
        dg.ScheduleDefinition(
            name=dagster_name(schedule.name),
            job=jobs[schedule.job],
            cron_schedule=schedule.cron,
            execution_timezone="UTC",
            default_status=default_schedule_status,
            run_config=(
                {"ops": {jobs[schedule.job].nodes[0].name: {"config": {"env": schedule.env}}}}
                if schedule.env
                else None
            ),
            description=f"Meltano schedule `{schedule.name}` ({schedule.cron})",
        )
        for schedule in project.schedules
        if schedule.cron
    ]
    return dg.Definitions(jobs=list(jobs.values()), schedules=schedules)


defs = build_definitions(os.environ.get("MELTANO_PROJECT_ROOT", DEFAULT_PROJECT_ROOT))
