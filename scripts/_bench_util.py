"""Helpers shared by the benchmark scripts (``bench_registry.py``, ``bench_rules.py``).

* :func:`fresh_registry`: a temp SQLite database migrated and filled by ``casework demo-data``
  (optionally every household in one county: ``_ONE_COUNTY_LOADER`` runs ``demo-data`` with the
  other counties' weights set to 0 in that process only; ``casework/demo`` is not changed);
* :func:`run_casework`: a ``casework`` subcommand as a subprocess, timed, with the peak memory of
  its whole process tree sampled from ``/proc`` (:class:`TreeMemory`);
* :func:`summarise`: median, p95 and max of latencies; :func:`load_average` for the report.

Everything runs as subprocesses of this interpreter's virtualenv on loopback; nothing here edits
the project.
"""

from __future__ import annotations

import math
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CASEWORK = str(Path(sys.executable).parent / "casework")
LOCAL_PARAMS = ROOT / "casework" / "demo" / "local-params.yaml"
ON = "2018-09-01"
ONE_COUNTY = "511922"
"""南江县, the demo accounts' county (a Bazhong county: pack bazhong-2018)."""

_ONE_COUNTY_LOADER = """
import sys
import casework.demo.rates as R
for code in R.COUNTY_WEIGHTS:
    R.COUNTY_WEIGHTS[code] = 1.0 if code == sys.argv[1] else 0.0
from casework.cli import main
main(args=sys.argv[2:], prog_name="casework")
"""
"""``casework demo-data`` with every county but one weighted 0 (in this process only: the demo
generator reads ``rates.COUNTY_WEIGHTS`` when it allocates households to villages)."""


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def casework_env(db_path: Path, **extra: str) -> dict[str, str]:
    """The environment for ``casework`` and the web server over the SQLite file ``db_path``."""
    env = dict(os.environ)
    env.update(CASEWORK_DATABASE_URL=f"sqlite:///{db_path}",
               CASEWORK_LOCAL_PARAMS=str(LOCAL_PARAMS), CASEWORK_ENV="development",
               PYTHONUNBUFFERED="1", **extra)
    return env


@dataclass
class CliRun:
    args: list[str]
    seconds: float
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0
    """User + system CPU of the process and every descendant it reaped (``wait4``)."""
    main_cpu_seconds: float = 0.0
    """CPU of the process itself (last sample); the rest of :attr:`cpu_seconds` is its workers."""
    peak_tree_rss_kib: int = 0
    """Largest sum of VmRSS over the process and its descendants seen in one sample."""
    peak_tree_pss_kib: int = 0
    """Largest sum of Pss (shared pages split between the processes) in one sample."""
    largest_process_hwm_kib: int = 0
    """Largest VmHWM (the kernel's peak RSS of one process) seen in the tree's samples."""
    largest_process_maxrss_kib: int = 0
    """``ru_maxrss`` from ``wait4``: the largest single process of the tree (itself or any
    descendant it reaped), the per-run figure behind ``getrusage(RUSAGE_CHILDREN)``. Linux
    records the launching process's own peak RSS into it at ``exec``, so it is never below
    :attr:`launcher_hwm_kib`."""
    launcher_hwm_kib: int = 0
    """VmHWM of this script when it launched the command."""
    samples: int = 0


def run_casework(args: list[str], env: dict[str, str], *, python_code: str | None = None,
                 sample_memory: bool = False) -> CliRun:
    """Run ``casework ARGS`` (or ``python -c CODE ARGS``) to the end; fail loudly on an error."""
    argv = [sys.executable, "-c", python_code, *args] if python_code else [CASEWORK, *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        launcher_hwm = _status_kib(os.getpid(), "VmHWM:")
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT,
                                start_new_session=True)
        memory = TreeMemory(proc.pid) if sample_memory else None
        try:
            status, usage = _wait(proc.pid)
        finally:
            if memory:
                memory.stop()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        run = CliRun(argv, seconds, out.read().decode(), err.read().decode(),
                     cpu_seconds=usage.ru_utime + usage.ru_stime,
                     largest_process_maxrss_kib=usage.ru_maxrss, launcher_hwm_kib=launcher_hwm)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{run.stderr[-2000:]}")
    if memory:
        run.peak_tree_rss_kib, run.peak_tree_pss_kib = memory.peak_rss, memory.peak_pss
        run.largest_process_hwm_kib = memory.peak_hwm
        run.main_cpu_seconds = memory.root_cpu
        run.samples = memory.samples
    return run


def _wait(pid: int) -> tuple[int, resource.struct_rusage]:
    """``wait4`` the command; if this script is interrupted, end the command's process group
    (the command and the workers it forked) first."""
    try:
        _, status, usage = os.wait4(pid, 0)
    except BaseException:
        os.killpg(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        raise
    return status, usage


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_maxrss_kib() -> int:
    """``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest process this script has reaped so
    far (cumulative over all runs, so it may belong to an earlier command such as demo-data)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


class TreeMemory:
    """Samples the memory of a process and all its descendants every ``interval`` seconds in a
    background thread; keeps the largest sums seen (and the root process's own CPU time)."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root, self.interval = root, interval
        self.peak_rss = self.peak_pss = self.peak_hwm = self.samples = 0
        self.root_cpu = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._done.is_set():
            pids = [self.root, *descendants(self.root)]
            self.peak_rss = max(self.peak_rss, sum(_status_kib(p, "VmRSS:") for p in pids))
            self.peak_pss = max(self.peak_pss, sum(_rollup_kib(p, "Pss:") for p in pids))
            self.peak_hwm = max(self.peak_hwm, *(_status_kib(p, "VmHWM:") for p in pids))
            self.samples += 1
            try:
                self.root_cpu = process_cpu_seconds(self.root)
            except (OSError, IndexError, ValueError):
                pass  # ended (a zombie's stat still reads; a reaped one is gone)
            self._done.wait(self.interval)


def descendants(root: int) -> list[int]:
    """Pids below ``root`` (children, grandchildren, …), from the parent pid of every process."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _status_kib(pid: int, key: str) -> int:
    return _field_kib(f"/proc/{pid}/status", key)


def _rollup_kib(pid: int, key: str) -> int:
    return _field_kib(f"/proc/{pid}/smaps_rollup", key)


def _field_kib(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # the process ended between listing and reading
    return 0


@dataclass
class Registry:
    db_path: Path
    env: dict[str, str]
    load: CliRun
    upgrade: CliRun
    notes: list[str] = field(default_factory=list)


def fresh_registry(tmp: Path, households: int, seed: int, one_county: bool = False) -> Registry:
    """Migrate a new SQLite file under ``tmp`` and load the demo registry into it (timed)."""
    db_path = tmp / "casework.db"
    env = casework_env(db_path)
    upgrade = run_casework(["db", "upgrade"], env)
    args = ["demo-data", "--households", str(households), "--seed", str(seed)]
    if one_county:
        load = run_casework([ONE_COUNTY, *args], env, python_code=_ONE_COUNTY_LOADER,
                            sample_memory=True)
    else:
        load = run_casework(args, env, sample_memory=True)
    return Registry(db_path, env, load, upgrade)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def summarise(seconds: list[float], wall: float) -> dict[str, float]:
    """Median, p95, max (ms) of request latencies and the sequential rate (requests/s)."""
    ordered = sorted(seconds)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000,
            "p95_ms": p95 * 1000, "max_ms": ordered[-1] * 1000,
            "requests_per_s": len(ordered) / wall if wall > 0 else 0.0}


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


class Server:
    """``python -m web`` on a free loopback port, stopped (terminate, then kill) on exit."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.env = env | {"CASEWORK_HOST": "127.0.0.1", "CASEWORK_PORT": str(self.port)}
        self.log_path = log_path
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "web"], env=self.env, cwd=ROOT,
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            self._wait_ready(timeout=60.0)
        except BaseException:
            self.__exit__()
            raise
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __exit__(self, *_: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"server not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]
