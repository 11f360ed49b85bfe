"""How much a benchmarked command costs: wall time, CPU and memory of its whole process tree.

The crawl parses pages in worker processes, so the crawl process alone
understates both CPU and memory; this counts every descendant.
"""
from __future__ import annotations

import contextlib
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Cost:
    wall: float       # seconds
    cpu: float        # seconds, user + system, descendants included
    memory_mb: float  # peak PSS of the process tree (shared pages counted once)
    returncode: int


def pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes counted once."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def tree_memory_mb(root: int) -> float:
    """Memory of a process and all its descendants, from /proc."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(pss_kb(pid) for pid in tree) / 1024


def timed(cmd: list[str], cwd: Path, every: float = 0.2) -> Cost:
    """Run a command to its end, sampling its tree's memory every `every` seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_memory_mb(proc.pid))
        time.sleep(every)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Cost(wall, cpu, peak, proc.returncode)
