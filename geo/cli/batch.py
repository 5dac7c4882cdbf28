"""python -m geo batch DIR --out STORE: a folder of documents into one columnar store (geo.corpus.batch)."""

from __future__ import annotations

from pathlib import Path

from geo.cli.options import add_geocoder_options, add_workers_option
from geo.cli.output import say
from geo.corpus.batch import DEFAULT_CHUNK_SIZE, DEFAULT_PATTERNS, run_batch


def add_parser(subparsers) -> None:
    b = subparsers.add_parser(
        "batch", help="analyse a folder of documents into a columnar store (resumable)",
        description="Analyse every document under DIR into the Parquet store STORE. Documents already "
                    "stored are skipped, so a stopped batch resumes. People are merged across documents.")
    b.add_argument("dir", metavar="DIR")
    b.add_argument("--out", required=True, metavar="STORE", help="the store's folder (created if missing)")
    b.add_argument("--glob", action="append", metavar="PATTERN",
                   help="files to take, searched recursively (default: *.txt); may be repeated")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    add_workers_option(b)
    b.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help=f"documents per task and per stored chunk (default {DEFAULT_CHUNK_SIZE}; "
                        "smaller on Dask so every worker gets work)")
    add_geocoder_options(b)
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(run=run)


def run(args) -> int:
    from geo.corpus.store import Store

    try:
        result = run_batch(
            Path(args.dir), Path(args.out), patterns=args.glob or DEFAULT_PATTERNS, scheduler=args.scheduler,
            workers=args.workers, chunk_size=args.chunk_size, geocoder=args.geocoder, demonyms=args.demonyms,
            progress=not args.no_progress,
        )
        summary = Store(args.out).summary()
    except KeyboardInterrupt:
        say(f"interrupted: what was finished is stored in {args.out}; run the same command again to "
            "go on from there")
        raise
    except OSError as err:  # a full or read-only disk: what was stored whole stays, the run can go on later
        say(f"error: {args.out}: the store cannot be written ({err.strerror or err}); what was finished is "
            "stored: make room and run the same command again to go on from there")
        return 2
    for path, reason in result.failed:
        say(f"error: {reason}" if reason.startswith(path) else f"error: {path}: {reason}")
    for notice in result.notices:
        say(f"note: {notice}")
    if result.changed:
        shown = ", ".join(result.changed[:5]) + (" ..." if len(result.changed) > 5 else "")
        say(f"note: {len(result.changed)} stored document(s) changed on disk since they were analysed and "
            f"were kept as stored ({shown}); write to a new --out to analyse them again")
    say(f"{result.analysed} analysed ({result.words:,} words in {result.seconds:.1f} s, "
        f"{result.words_per_second:,.0f} words/s, {engine_of(result)}), {result.skipped} already stored, "
        f"{len(result.failed)} failed. {args.out}: {summary['documents']} documents, "
        f"{summary['resolved']} of {summary['places']} places resolved, {summary['people']} people "
        f"(merged from {summary['people in documents']})")
    if result.analysed:  # a large store's whole analysis, kept so the dashboard's first open reads one file
        from geo.cli.keep import keep_store

        keep_store(Path(args.out), quiet=True)
    return 1 if result.failed else 0


def engine_of(result) -> str:
    if result.engine == "dask":
        return f"on Dask, {result.processes} worker thread(s)"
    return "in one process" if result.processes < 2 else f"parsed in {result.processes} processes"
