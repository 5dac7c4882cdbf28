"""A real Dask cluster on this machine: `dask scheduler` and `dask worker` processes, as a user starts them.

    with dask_processes(workers=2) as cluster:
        run_batch(root, out, scheduler=cluster.address)
        cluster.peak_rss_mb()  # of each worker

Each process is its own ``python -m dask`` command on 127.0.0.1, on a free port, started from the
repository (so that workers import this ``geo``) and ended by its pid when the block ends: SIGTERM,
then SIGKILL for any that has not gone within 10 s. Used by the slow-tier test and by the benchmarks.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DaskProcesses:
    address: str  # tcp://127.0.0.1:PORT
    scheduler: int  # pid
    workers: tuple[int, ...]  # pids; started with --no-nanny, so each is the worker itself

    @property
    def pids(self) -> tuple[int, ...]:
        return (self.scheduler, *self.workers)

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident memory so far (VmHWM), MB."""
        return [_status_kb(pid, "VmHWM") / 1024 for pid in self.workers]


def _status_kb(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Dask scheduler exited with status {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"no Dask scheduler on port {port} after {timeout:.0f} s")


def _end(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@contextmanager
def dask_processes(workers: int = 2, *, timeout: float = 120) -> Iterator[DaskProcesses]:
    """A scheduler and ``workers`` single-threaded worker processes, each ended by its pid afterwards."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    logs = tempfile.TemporaryFile()
    common = dict(cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=logs, stderr=subprocess.STDOUT)
    started: list[subprocess.Popen] = []
    try:
        started.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], **common))
        _wait_for_port(port, started[0], timeout)
        for i in range(workers):
            started.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-nanny", "--no-dashboard", "--name", f"worker-{i}", "--death-timeout", "60"], **common))
        with Client(address, timeout=f"{timeout:.0f}s") as client:
            client.wait_for_workers(workers, timeout=timeout)
        yield DaskProcesses(address, started[0].pid, tuple(p.pid for p in started[1:]))
    except BaseException:
        logs.seek(0)
        tail = logs.read().decode("utf-8", "replace").strip().splitlines()[-8:]
        if tail:
            print("dask processes said:\n" + "\n".join(tail), file=sys.stderr)
        raise
    finally:
        _end(started[1:])  # workers first: a scheduler ended before them leaves them waiting for it
        _end(started[:1])
        logs.close()
