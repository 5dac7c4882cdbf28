"""python -m geo keep FILE... [--together] [--sample] [--store STORE]: texts into the dashboard's analysis cache.

The dashboard then opens each at once, after a restart too, by the link this prints: a long text analysed
overnight, a set of files for a meeting, or the sample article before a dashboard's first start (`make setup`).
A text is the documents the dashboard would read from the same uploaded files (the same reader, the same
names), so the same file uploaded later is found kept as well.

``--store STORE`` keeps a large batch store's whole analysis (``geo.corpus.kept_store``), so that the
dashboard's next open of it reads one file; ``geo batch`` does so at its end, and the dashboard after its
first read of a store.
"""

from __future__ import annotations

import time
from pathlib import Path

from geo.cli.output import printable, say
from geo.errors import GeoError

PROGRESS_SECONDS = 10.0  # a line on how far a long text is, this often


def add_parser(subparsers) -> None:
    k = subparsers.add_parser("keep", help="analyse texts into the dashboard's analysis cache; print their links")
    k.add_argument("files", nargs="*", metavar="FILE")
    k.add_argument("--together", action="store_true",
                   help="the files are one text, as when uploaded together (default: each file is a text)")
    k.add_argument("--sample", action="store_true", help="the dashboard's sample article too")
    k.add_argument("--store", action="append", default=[], metavar="STORE",
                   help="a batch store (geo batch --out), read whole and kept for the dashboard's next open of "
                        "it, when large enough to gain from it (repeatable)")
    k.set_defaults(run=run)


def run(args) -> int:
    from geo import service
    from geo.text.documents import documents_from_files, read_bytes, sample_documents

    if not args.files and not args.sample and not args.store:
        say("error: nothing to keep: name files, or --sample, or --store STORE")
        return 2
    failed = sum(keep_store(Path(root)) for root in args.store)
    read = []
    for path in map(Path, args.files):
        try:
            read.append((path.name, read_bytes(path, str(path))))
        except GeoError as err:
            say(f"error: {err}")
            failed += 1
    texts = []  # (how the link opens it, its documents)
    if args.sample:
        texts.append(("sample", sample_documents()))
    for files in ([read] if args.together and read else [[f] for f in read]):
        documents, notices, errors = documents_from_files(files)
        for line in notices:
            say(f"note: {line}")
        for line in errors:
            say(f"error: {line}")
        failed += len(errors)
        if documents:
            texts.append(("upload", documents))
    for source, documents in texts:
        t = time.monotonic()
        job = service.request(documents)
        names = printable(", ".join(d.id for d in documents))
        try:
            while True:
                try:
                    job.result(PROGRESS_SECONDS)
                    break
                except TimeoutError:  # still running: say how far it is
                    say(f"{names}: {100 * job.progress.fraction:.0f}%, {printable(job.progress.what)}")
        except GeoError as err:
            say(f"error: {names}: {err}")
            failed += 1
            continue
        link = "/" if source == "sample" else f"/?src={source}&text={job.key}"
        how = "kept already" if job.from_cache else f"analysed in {time.monotonic() - t:.1f} s"
        say(f"{names}: {how}; the dashboard opens it at {link}")
    return 1 if failed else 0


def keep_store(root: Path, *, quiet: bool = False) -> int:
    """Keep one store's analysis (``--store``); 1 when it cannot be read, else 0. ``quiet``: say nothing of a
    store too small to keep (the end of ``geo batch``)."""
    from geo import config, service
    from geo.corpus.kept_store import KeptStores, keep
    from geo.corpus.store import Store
    from geo.gazetteer import Gazetteer

    t = time.monotonic()
    try:
        with Gazetteer(config.gazetteer_path()) as gazetteer:
            _, kept = keep(Store(root), KeptStores(config.stores_dir()),
                           prepare=lambda a: service.prepare_map(a, gazetteer.region_members))
    except GeoError as err:
        say(f"error: {printable(str(root))}: {err}")
        return 1
    if kept or not quiet:
        say(f"{printable(str(root))}: " + (f"its analysis kept in {time.monotonic() - t:.1f} s: the dashboard opens "
                                            "it in a moment" if kept else "small enough to read as it is: not kept"))
    return 0
