"""`geo batch` on a real Dask cluster: `dask scheduler` and `dask worker` processes on 127.0.0.1.

    .venv/bin/python bench/cluster.py [--corpus DIR] [--limit N]

Runs ``python -m geo batch CORPUS --out STORE`` three ways, each a new process: in one process
(``--workers 1``), then ``--scheduler tcp://127.0.0.1:PORT`` on a cluster of one worker process and on
one of two (each started afresh: its workers load the model during the run, as a user's would). Prints
each time, the speed-up from one worker to two, and whether each store holds exactly the serial run's
rows. Every process started is ended by its pid (tests/dask_processes.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from corpus_batch import run_batch_process, same_store  # noqa: E402
from dask_processes import dask_processes  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "geoparse" / "GeoWebNews" / "docs"


def short(run: dict) -> str:
    """The summary's first sentence: what was analysed, how fast, on what (the rest names the store)."""
    return run["summary"].split(" failed.")[0] + " failed"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        corpus = Path(args.corpus)
        if args.limit:
            from geo.fsutil import natural_key

            files = sorted(corpus.glob("*.txt"), key=lambda p: natural_key(p.name))[:args.limit]
            corpus = work / "corpus"
            corpus.mkdir()
            for f in files:
                shutil.copy(f, corpus / f.name)
        documents = len(list(corpus.glob("*.txt")))
        base = [sys.executable, "-m", "geo", "batch", str(corpus), "--no-progress", "--out"]
        print(f"# `geo batch` on a real Dask scheduler: {documents} documents; {os.cpu_count()} cores; "
              f"load {os.getloadavg()[0]:.1f}")
        print()
        print("| run | time | the command's summary | store | load |")
        print("|---|---|---|---|---|")
        serial = run_batch_process([*base, str(work / "serial"), "--workers", "1"])
        print(f"| one process (`--workers 1`) | {serial['s']:.1f} s | {short(serial)} | | {serial['load']:.1f} |",
              flush=True)
        times = {}
        for workers in (1, 2):
            t = time.perf_counter()
            with dask_processes(workers=workers) as cluster:
                started = time.perf_counter() - t
                out = work / f"dask{workers}"
                r = run_batch_process([*base, str(out), "--scheduler", cluster.address])
                pids = cluster.pids
            ended = not any(Path(f"/proc/{pid}").exists() for pid in pids)
            same = same_store(work / "serial", out)
            times[workers] = r["s"]
            print(f"| `--scheduler` on `dask scheduler` + {workers} `dask worker` (started in {started:.1f} s, not "
                  f"counted; {'all ended' if ended else 'NOT ALL ENDED'}) | {r['s']:.1f} s | {short(r)} | "
                  f"{'same rows as one process' if all(same.values()) else 'DIFFERENT: ' + str(same)} | "
                  f"{r['load']:.1f} |", flush=True)
        print()
        print(f"Speed-up from 1 to 2 worker processes: **×{times[1] / times[2]:.2f}** (goal: kept at ×1.8 or so). "
              f"Load {os.getloadavg()[0]:.1f} at the end.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
