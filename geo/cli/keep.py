"""python -m geo keep FILE... [--together] [--sample]: analyse texts into the dashboard's analysis cache.

The dashboard then opens each at once, after a restart too, by the link this prints: a long text analysed
overnight, a set of files for a meeting, or the sample article before a dashboard's first start (`make setup`).
A text is the documents the dashboard would read from the same uploaded files (the same reader, the same
names), so the same file uploaded later is found kept as well.
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
    k.set_defaults(run=run)


def run(args) -> int:
    from geo import service
    from geo.text.documents import documents_from_files, read_bytes, sample_documents

    if not args.files and not args.sample:
        say("error: nothing to keep: name files, or --sample")
        return 2
    read, failed = [], 0
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
