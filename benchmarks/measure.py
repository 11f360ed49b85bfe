"""How much a benchmarked command costs: wall time, CPU and memory of its whole process tree.

The crawl parses pages in worker processes, so the crawl process alone
understates both CPU and memory; this counts every descendant.
"""
from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Cost:
    wall: float       # seconds
    cpu: float        # seconds, user + system, descendants included
    memory_mb: float  # peak PSS of the process tree (shared pages counted once)
    returncode: int
    # CPU seconds by process role ("main", "worker", ...), as last sampled before each process ended:
    # short by at most one sampling interval of each
    processes: dict[str, float] = field(default_factory=dict)
    process_memory_mb: dict[str, float] = field(default_factory=dict)  # peak PSS by role (one process of it)


def pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes counted once."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def tree_pids(root: int) -> set[int]:
    """A process and all its descendants, from /proc."""
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
    return tree


def tree_memory_mb(root: int) -> float:
    """Memory of a process and all its descendants, from /proc."""
    return sum(pss_kb(pid) for pid in tree_pids(root)) / 1024


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of one process so far (None once it is gone)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def role(pid: int, root: int) -> str:
    """"main" for the command itself; "worker" for a multiprocessing child it spawned; else the program's name."""
    if pid == root:
        return "main"
    with contextlib.suppress(OSError):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if any(b"spawn_main" in arg for arg in cmdline):
            return "worker"
        if any(b"resource_tracker" in arg for arg in cmdline):
            return "resource tracker"
        return Path(cmdline[0].decode()).name
    return "?"


def timed(cmd: list[str], cwd: Path, every: float = 0.2) -> Cost:
    """Run a command to its end, sampling its tree's memory and each process's CPU every `every` seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, seen, memory = 0.0, {}, {}   # seen: pid -> (role, CPU seconds when last sampled)
    while proc.poll() is None:
        pss = {pid: pss_kb(pid) / 1024 for pid in tree_pids(proc.pid)}
        peak = max(peak, sum(pss.values()))
        for pid, mb in pss.items():
            cpu = cpu_seconds(pid)
            if cpu is not None:
                name = seen[pid][0] if pid in seen else role(pid, proc.pid)
                seen[pid] = (name, cpu)
                memory[name] = max(memory.get(name, 0.0), mb)
        time.sleep(every)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    processes: dict[str, float] = {}
    for name, seconds in seen.values():
        processes[name] = processes.get(name, 0.0) + seconds
    return Cost(wall, cpu, peak, proc.returncode, processes, memory)
