"""A ready crontab line for a crawl: absolute paths, the run lock, a log file per run.

cron runs commands with a bare PATH from the user's home directory, so the
line names the `archive` executable, the archive, the profile and the log
folder by absolute path. The run lock is `archive crawl`'s own (exit status
3 when the previous run still holds it); each run writes its own log file.
"""
from __future__ import annotations

import shlex
import sys
from datetime import timedelta
from pathlib import Path

from crawler.durations import parse_duration
from crawler.profile import profile_path

MINUTE, HOUR, DAY, WEEK = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(weeks=1))


def cron_expression(every) -> str:
    """The five cron fields that run a job every `every` (e.g. "15m", "1h", "6h", "1d", "1w")."""
    interval = parse_duration(every)
    if interval in (DAY, WEEK):
        return "0 0 * * *" if interval == DAY else "0 0 * * 0"
    for unit, per, field in ((MINUTE, 60, "{} * * * *"), (HOUR, 24, "0 {} * * *")):
        steps, rest = divmod(interval, unit)
        if not rest and 0 < steps < per and per % steps == 0:
            return field.format("*" if steps == 1 else f"*/{steps}")
    raise ValueError(f"cron cannot run a job every {every} evenly: use minutes that divide an hour "
                     "(1m, 15m, 30m), hours that divide a day (1h, 6h, 12h), 1d or 1w")


def archive_command() -> list[str]:
    """The absolute command that runs this installation's `archive`."""
    script = Path(sys.executable).parent / "archive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "crawler.cli"]


def crontab_line(every, *, site=None, urls=(), db="archive.db", log_dir=None, cwd=None) -> str:
    """A comment saying what the job does, then the crontab line itself."""
    cwd = Path(cwd or Path.cwd()).resolve()
    db = (cwd / db).resolve()
    log_dir = (cwd / (log_dir or db.parent / "logs")).resolve()
    target = ["--site", str((cwd / profile_path(site)).resolve())] if site else list(urls)
    command = [*archive_command(), "crawl", *target, "--db", str(db), "--log-dir", str(log_dir)]
    quoted = " ".join(shlex.quote(part) for part in command)
    line = (f"{cron_expression(every)} cd {shlex.quote(str(cwd))} && mkdir -p {shlex.quote(str(log_dir))} && "
            f"{quoted} >> {shlex.quote(str(log_dir / 'cron.log'))} 2>&1")
    return (f"# article-archive every {every}: one run at a time ({db.name}.lock; exit 3 while the last "
            f"one runs), a log per run in {log_dir}\n"
            + line.replace("%", "\\%"))  # cron reads a bare % as a newline
