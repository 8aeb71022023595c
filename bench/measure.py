"""Run a command as a child process and measure it: wall time and CPU (user+sys) of that child and
the processes it started and waited for (os.wait4's rusage: the crawl's extraction workers count),
peak RSS as the sum of each process's VmHWM in that tree, so neither the server nor the benchmark
itself counts."""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class ChildRun:
    cmd: list[str]
    returncode: int
    wall_s: float
    user_s: float
    sys_s: float
    maxrss_mb: float
    stdout: str
    stderr_tail: str
    ru_maxrss_mb: float = 0.0

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def as_dict(self) -> dict:
        d = asdict(self)
        d["cpu_s"] = round(self.cpu_s, 3)
        d.pop("stdout")
        for k in ("wall_s", "user_s", "sys_s", "maxrss_mb", "ru_maxrss_mb"):
            d[k] = round(d[k], 3)
        return d


def run_child(cmd: list[str], *, cwd: Path, env: dict | None = None, log: Path | None = None,
              timeout: float = 3600) -> ChildRun:
    """Run cmd to completion; stdout is captured, stderr goes to `log` (its tail is kept)."""
    log = log or Path(os.devnull)
    # stdout to a file, not a pipe: a child that prints a lot must not block on a full pipe
    with open(log, "wb") as err, tempfile.TemporaryFile() as out_fh, \
            subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out_fh, stderr=err) as proc:
        start = time.perf_counter()
        deadline = start + timeout
        peaks: dict[int, int] = {}  # pid -> VmHWM, for the child and every process under it
        while True:
            for tree_pid in [proc.pid, *descendants(proc.pid)]:
                peaks[tree_pid] = max(peaks.get(tree_pid, 0), vm_hwm_kib(tree_pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_fh.seek(0)
        out = out_fh.read()
    tail = ""
    if log != Path(os.devnull):
        data = Path(log).read_bytes()
        tail = data[-2000:].decode("utf-8", "replace")
    return ChildRun(cmd=[str(c) for c in cmd], returncode=proc.returncode, wall_s=wall,
                    user_s=usage.ru_utime, sys_s=usage.ru_stime,
                    maxrss_mb=sum(peaks.values()) / 1024.0, ru_maxrss_mb=usage.ru_maxrss / 1024.0,
                    stdout=out.decode("utf-8", "replace"), stderr_tail=tail)


def vm_hwm_kib(pid: int) -> int:
    """Peak RSS of a live process since its exec (VmHWM, KiB); 0 once it has exited.

    Not ru_maxrss: on Linux a child's ru_maxrss also counts the memory of the parent it was forked
    (or vforked) from, up to its exec, so a benchmark process that has just generated a large portal
    would inflate every child's figure."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    "Every live process under ``pid`` (a scan of /proc: the kernel's children lists are not always there)."
    parent_of = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent_of[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        kids = [p for p, parent in parent_of.items() if parent in frontier]
        found += kids
        frontier = kids
    return found


def proc_cpu_s(pid: int) -> float:
    "CPU seconds (user+sys) a running process has used so far (Linux /proc)."
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK
