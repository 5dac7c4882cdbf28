"""Which engine parses a job fastest, by its size: one process, spaCy's n_process children, or a local Dask cluster.

    .venv/bin/python bench/engines.py [--sizes 5,20,50,200] [--processes 2] [--reps 2] [--corpus DIR]

Each engine is timed from the start of the job (starting its processes included) to every document's
Analysis in this process, on the first N documents of the corpus (GeoWebNews, repeated when N is larger):

- serial: ``iter_analyses`` here;
- spacy: ``iter_analyses(..., n_process=P)``: P forked children parse, this process does the rest;
- dask: a new LocalCluster of P single-threaded worker processes (``geo.corpus.batch.local_cluster_client``),
  each loading the model and analysing chunks of documents whole; the analyses come back here.

What ``geo.corpus.engines`` decides for ``--workers auto`` comes from these figures. The load average is
printed beside each one; sizes are run in alternation, engine after engine, so load hits them alike.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "geoparse" / "GeoWebNews" / "docs"


def documents(corpus: Path, n: int):
    from geo.fsutil import natural_key
    from geo.model import Document

    files = sorted(Path(corpus).glob("*.txt"), key=lambda p: natural_key(p.name))
    texts = [p.read_text(encoding="utf-8") for p in files]
    return [Document(f"d{i}", texts[i % len(texts)]) for i in range(n)]


def _analyse_on_worker(docs):
    from geo.corpus.work import worker_resources
    from geo.pipeline import iter_analyses

    return list(iter_analyses(docs, worker_resources()))


def run_serial(docs, resources, processes):
    from geo.pipeline import iter_analyses

    return list(iter_analyses(docs, resources))


def run_spacy(docs, resources, processes):
    from geo.pipeline import iter_analyses

    return list(iter_analyses(docs, resources, n_process=processes))


def run_dask(docs, resources, processes):
    from geo.corpus.batch import chunked, local_cluster_client

    client, cluster = local_cluster_client(processes)
    with cluster, client:
        size = max(1, min(32, math.ceil(len(docs) / (8 * processes))))
        futures = client.map(_analyse_on_worker, list(chunked(docs, size)), pure=False)
        return [a for part in client.gather(futures) for a in part]


ENGINES = {"serial": run_serial, "spacy": run_spacy, "dask": run_dask}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5,20,50,200", help="documents per job, comma-separated")
    ap.add_argument("--processes", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    args = ap.parse_args(argv)

    from geo.pipeline import load_resources

    resources = load_resources()
    resources.nlp("Warm.")
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    times: dict[tuple[str, int], list[float]] = {}
    loads: dict[tuple[str, int], list[float]] = {}
    reference = {}
    for rep in range(args.reps):
        for n in sizes:
            docs = documents(Path(args.corpus), n)
            for engine in engines if rep % 2 == 0 else reversed(engines):
                t = time.perf_counter()
                analyses = ENGINES[engine](docs, resources, args.processes)
                times.setdefault((engine, n), []).append(time.perf_counter() - t)
                loads.setdefault((engine, n), []).append(os.getloadavg()[0])
                if reference.setdefault(n, analyses) != analyses:
                    print(f"warning: {engine} gave other analyses than {engines[0]} for {n} documents",
                          file=sys.stderr)
    words = {n: sum(len(d.text.split()) for d in documents(Path(args.corpus), n)) for n in sizes}
    print(f"# Engines, {args.processes} processes, {os.cpu_count()} cores; median of {args.reps} runs")
    print()
    print("| documents | words | " + " | ".join(engines) + " | fastest |")
    print("|---|---|" + "---|" * len(engines) + "---|")
    for n in sizes:
        cells = []
        for engine in engines:
            s = statistics.median(times[(engine, n)])
            la = ", ".join(f"{x:.1f}" for x in loads[(engine, n)])
            cells.append(f"{s:.1f} s ({words[n] / s:,.0f} words/s; load {la})")
        best = min(engines, key=lambda e: statistics.median(times[(e, n)]))
        print(f"| {n} | {words[n]:,} | " + " | ".join(cells) + f" | {best} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
