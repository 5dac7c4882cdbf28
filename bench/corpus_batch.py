"""`geo batch` of a large corpus on a real Dask cluster, a kill -9 half-way, and opening the store it makes.

    .venv/bin/python bench/make_corpus.py /tmp/corpus10k          # 10,000 documents, about 4 million words
    .venv/bin/python bench/corpus_batch.py /tmp/corpus10k [--workers 2] [--work DIR] [--skip-kill]

1. Starts ``dask scheduler`` and ``--workers`` ``dask worker`` processes on 127.0.0.1 (tests/dask_processes.py)
   and runs ``python -m geo batch CORPUS --out A --scheduler tcp://127.0.0.1:PORT`` on them: its time,
   words/s, each worker's peak memory (VmHWM) and the store's size.
2. The same into B, killed with SIGKILL once half the documents are stored, then run again to the end:
   B must hold exactly A's rows (every table, compared sorted) and the same merged people.
3. Opens A as one Analysis in a new process, as the dashboard does (``Store(A).analysis()``), step by
   step: what it costs, and how each step grows with the corpus (1/4, 1/2 and all of its documents).
4. Opens A in the dashboard in Chromium (bench/store_dashboard.py): to the map drawn, filter changes, pans.

Every process started is ended by its pid. The load average is printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from dask_processes import dask_processes  # noqa: E402

GOALS = {"worker_mb": 1024, "open_s": 5.0}
SORT_KEYS = {
    "documents": ["doc_id"], "places": ["doc_id", "seq"], "people": ["doc_id", "seq"],
    "person_mentions": ["doc_id", "person_seq", "seq"], "dates": ["doc_id", "seq"], "ties": ["doc_id", "seq"],
}


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def batch_cmd(corpus: Path, out: Path, address: str) -> list[str]:
    return [sys.executable, "-m", "geo", "batch", str(corpus), "--out", str(out), "--scheduler", address,
            "--no-progress"]


def run_batch_process(cmd: list[str]) -> dict:
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t
        err.seek(0)
        said = err.read().decode("utf-8", "replace").strip().splitlines()
    if child.returncode not in (0, 1):
        raise SystemExit(f"geo batch exited {child.returncode}: {' | '.join(said[-3:])}")
    return {"s": seconds, "summary": said[-1] if said else "", "client_peak_mb": usage.ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def stored_chunks(store: Path) -> int:
    chunks = store / "chunks"
    return sum(1 for p in chunks.iterdir() if not p.name.startswith(".")) if chunks.is_dir() else 0


def killed_half_way(cmd: list[str], store: Path, documents: int, workers: int) -> dict:
    """Start the batch and SIGKILL it once half the documents are stored; then run it again to the end."""
    chunk = min(32, math.ceil(documents / (8 * workers)))  # as geo.corpus.batch sizes chunks on Dask
    child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while stored_chunks(store) * chunk < documents // 2:
            if child.poll() is not None:
                raise SystemExit("the batch ended before it was half-way; nothing to kill")
            time.sleep(0.2)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    at_kill = stored_chunks(store)
    partial = [p.name for p in (store / "chunks").iterdir() if p.name.startswith(".tmp-")]
    again = run_batch_process(cmd)
    return {"chunks_at_kill": at_kill, "partial_left": len(partial), "resumed": again}


def same_store(a: Path, b: Path) -> dict[str, bool]:
    from geo.corpus.store import Store

    sa, sb = Store(a), Store(b)
    same = {name: sa.table(name).sort_by([(k, "ascending") for k in keys]).equals(
        sb.table(name).sort_by([(k, "ascending") for k in keys])) for name, keys in SORT_KEYS.items()}
    sort = [("doc_id", "ascending"), ("seq", "ascending")]
    same["merged people"] = sa.merged_people().sort_by(sort).equals(sb.merged_people().sort_by(sort))
    return same


OPEN_SCRIPT = r"""
import json, sys, time, resource
t0 = time.perf_counter()
from geo.corpus.store import Store
from geo.corpus.rows import TABLES, tables_to_analysis
t1 = time.perf_counter()
store = Store(sys.argv[1])
ids = sorted(store.document_ids())
n = int(sys.argv[2])
docs = None if n >= len(ids) else ids[:n]
import pyarrow.dataset as ds
doc_filter = None if docs is None else ds.field("doc_id").isin(docs)
t2 = time.perf_counter()
tables = {name: store.table(name, filter=doc_filter) for name in TABLES}
t3 = time.perf_counter()
person_of = store.person_of()
t4 = time.perf_counter()
analysis = tables_to_analysis(tables, person_of)
t5 = time.perf_counter()
whole = time.perf_counter()
again = store.analysis(docs=docs)
t6 = time.perf_counter()
print(json.dumps({"documents": len(analysis.documents), "places": len(analysis.places),
    "people": len(analysis.people), "ties": len(analysis.ties), "import_s": t1 - t0, "open_s": t2 - t1,
    "read_tables_s": t3 - t2, "merged_people_s": t4 - t3, "to_analysis_s": t5 - t4,
    "store_analysis_s": t6 - whole, "same": again == analysis,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def open_store(store: Path, documents: int) -> dict:
    done = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, str(store), str(documents)], cwd=REPO,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    if done.returncode != 0:
        raise SystemExit(f"opening the store failed: {done.stderr.strip().splitlines()[-3:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "load": os.getloadavg()[0]}


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="a folder of .txt documents (bench/make_corpus.py makes one)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default=None, help="where the stores go (default: a temporary folder, removed)")
    ap.add_argument("--skip-kill", action="store_true", help="only the batch and the opening")
    ap.add_argument("--store", default=None, help="only open this store (steps 3 and 4)")
    ap.add_argument("--no-browser", action="store_true", help="leave out step 4, the store in the dashboard")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    documents = len(list(corpus.rglob("*.txt")))
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench-corpus-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    a, b = work / "A", work / "B"
    print(f"# `geo batch` of {documents:,} documents ({corpus}); {os.cpu_count()} cores; {load()}", flush=True)
    try:
        if args.store:
            a = Path(args.store)
        else:
            with dask_processes(workers=args.workers) as cluster:
                first = run_batch_process(batch_cmd(corpus, a, cluster.address))
                peaks = cluster.peak_rss_mb()
                print()
                print(f"## On Dask: a scheduler and {args.workers} worker processes on 127.0.0.1")
                print()
                print("| measure | value | goal |")
                print("|---|---|---|")
                print(f"| time | {first['s']:.0f} s ({first['load']:.1f} load at the end) | |")
                print(f"| the command's summary | {first['summary']} | |")
                print(f"| peak memory per worker | {', '.join(f'{mb:,.0f} MB' for mb in peaks)} | "
                      f"≤ {GOALS['worker_mb']:,} MB {'met' if max(peaks) <= GOALS['worker_mb'] else 'not met'} |")
                print(f"| peak memory of the command (the client, which writes the store) | "
                      f"{first['client_peak_mb']:,.0f} MB | |")
                print(f"| the store | {size_mb(a):.1f} MB, {stored_chunks(a)} chunks | |", flush=True)
                if not args.skip_kill:
                    killed = killed_half_way(batch_cmd(corpus, b, cluster.address), b, documents, args.workers)
                    same = same_store(a, b)
                    print(f"| killed (SIGKILL) with {killed['chunks_at_kill']} chunks stored, "
                          f"{killed['partial_left']} half-written left; run again | "
                          f"{killed['resumed']['s']:.0f} s: {killed['resumed']['summary']} | |")
                    print(f"| the store after the kill and the second run, against the first | "
                          f"{'identical' if all(same.values()) else 'DIFFERENT: ' + str(same)} "
                          f"({', '.join(k for k, v in same.items() if v)}) | identical |", flush=True)
        print()
        print("## Opening the store as one Analysis (`Store.analysis()`, the dashboard's path), in a new process")
        print()
        print("| documents | places | read tables | merged people | to an Analysis | `Store.analysis()` | "
              "peak RSS | load |")
        print("|---|---|---|---|---|---|---|---|")
        total = len(__import__("geo.corpus.store", fromlist=["Store"]).Store(a).document_ids())
        for n in (total // 4, total // 2, total):
            r = open_store(a, n)
            print(f"| {r['documents']:,} | {r['places']:,} | {r['read_tables_s']:.2f} s | "
                  f"{r['merged_people_s']:.2f} s | {r['to_analysis_s']:.2f} s | **{r['store_analysis_s']:.2f} s** "
                  f"{'(same)' if r['same'] else '(DIFFERENT)'} | {r['peak_mb']:,.0f} MB | {r['load']:.1f} |",
                  flush=True)
        print(f"\nGoal for all {total:,} documents: ≤ {GOALS['open_s']:.0f} s. {load()} at the end.", flush=True)
        if not args.no_browser:
            print()
            import store_dashboard  # the same store in the dashboard, in Chromium

            store_dashboard.main([str(a), "--reps", "2"])
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
