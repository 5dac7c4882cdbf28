"""python -m geo export FILE... --out DIR: analyse files and write one export per file."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from geo import config
from geo.cli.options import add_geocoder_options, add_workers_option, iso_date
from geo.cli.output import printable, read_files, say
from geo.errors import GeoError
from geo.export import EXPORT_FORMATS, REGION_FORMATS
from geo.model import Document
from geo.text.documents import unique_ids


def add_parser(subparsers) -> None:
    e = subparsers.add_parser("export", help="analyse files and write one export per file")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--out", required=True, metavar="DIR")
    e.add_argument("--format", action="append", choices=EXPORT_FORMATS, metavar="FORMAT",
                   help=f"{', '.join(EXPORT_FORMATS)} (repeat for several; default geojson); "
                        "csv writes <stem>.places.csv and <stem>.moves.csv")
    e.add_argument("--person", action="append", metavar="NAME",
                   help="only this person's ties and route (repeatable); full name, alias or unique partial name")
    e.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE",
                   help="only what happened on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    e.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help="only what happened up to DATE")
    e.add_argument("--date", type=iso_date, metavar="DATE",
                   help="the date the documents were written (YYYY-MM-DD): it anchors 'on Monday', 'last week'; "
                        "by default each document's dateline or 'Posted on' line, when it has one")
    e.add_argument("--undated", action=argparse.BooleanOptionalAction, default=True,
                   help="keep places and ties with no date (default: yes, as in the dashboard)")
    add_geocoder_options(e)
    add_workers_option(e)
    e.add_argument("--geocoder-url", default=None,
                   help="the geocoder's server: a self-hosted Nominatim or Photon, e.g. http://localhost:8080 "
                        "(required for pelias)")
    e.add_argument("--user-agent", default=None,
                   help=f"for Nominatim (default: $GEO_USER_AGENT or '{config.DEFAULT_USER_AGENT}')")
    e.set_defaults(run=run)


def run(args) -> int:
    from geo.corpus.engines import forked_quietly, plan
    from geo.corpus.forked import available as forked_available
    from geo.corpus.forked import forked_analyses
    from geo.geocoding.corrections import load as load_corrections
    from geo.export import export_view
    from geo.fsutil import write_atomic
    from geo.filters import Filters, apply, match_people
    from geo.pipeline import iter_analyses, load_resources
    from geo.geography.regions import regions_for

    formats = list(dict.fromkeys(args.format or ["geojson"]))
    drawn_regions = bool(REGION_FORMATS.intersection(formats))
    try:  # a bad range is refused before any work
        filters = Filters(date_from=args.date_from, date_to=args.date_to, undated=args.undated)
    except GeoError as err:
        say(f"error: {err}")
        return 2
    documents, failed = read_files(args.files)
    if args.date:  # the user's date of the documents wins over their datelines
        documents = [(path, replace(doc, document_date=args.date)) for path, doc in documents]
    if not documents:
        return 1
    documents = named_uniquely(documents)
    try:
        resources = load_resources(args.geocoder, user_agent=args.user_agent, url=args.geocoder_url,
                                   demonyms=args.demonyms)
        corrections = load_corrections(notify=lambda message: say(f"note: {message}"))
    except GeoError as err:
        say(f"error: {err}")
        return 2
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        say(f"error: {out}: cannot be created ({err.strerror or err})")
        return 2
    show_progress = len(documents) > 1
    started = time.monotonic()

    def note(line: str) -> None:
        """A message on a line of its own, clearing the progress line it would otherwise join."""
        if show_progress:
            print("\r" + " " * 79 + "\r", end="", file=sys.stderr)
        say(line)

    told: dict[str, None] = {}  # each document's notices, each told once at the end
    job = plan(sum(len(d.text.split()) for _, d in documents), args.workers, documents=len(documents),
               whole=args.geocoder == "offline" and forked_available())
    if job.engine == "forked":
        analyses = forked_analyses([d for _, d in documents], resources, corrections, job.processes)
    else:
        analyses = iter_analyses([d for _, d in documents], resources, corrections, n_process=job.processes)
        if job.processes > 1:
            analyses = forked_quietly(analyses)
    for n, ((path, doc), analysis) in enumerate(zip(documents, analyses), 1):
        told.update(dict.fromkeys(analysis.notices))
        people = None
        if args.person:
            people, unknown = match_people(analysis, args.person)
            for name in unknown:
                note(f"note: {path.name}: no one named {name!r} (ambiguous or absent)")
        if not any(p.resolved for p in analysis.places):
            note(f"note: {path.name}: no place found in the text; its exports are empty")
        regions = regions_for(analysis, resources.gazetteer.region_members) if drawn_regions else ()
        view = apply(analysis, replace(filters, people=people), regions)
        for fmt in formats:
            try:
                files = export_view(view, fmt, doc.id)
                for name, data in files.items():
                    write_atomic(out / name, data)
            except OSError as err:
                note(f"error: {out}: {doc.id}.{fmt} cannot be written ({err.strerror or err})")
                failed += 1
            except GeoError as err:
                note(f"error: {path.name}: {err}")
                failed += 1
        if show_progress:
            rate = n / max(time.monotonic() - started, 1e-9)
            print(f"\r[{n}/{len(documents)}] {printable(path.name)} ({rate:.1f} docs/s)", end="", file=sys.stderr,
                  flush=True)
    if show_progress:
        print(file=sys.stderr)
    for notice in told:
        say(f"note: {notice}")
    return 1 if failed else 0


def named_uniquely(documents: list[tuple[Path, Document]]) -> list[tuple[Path, Document]]:
    """Each document with an id no other file of this run has ("report", "report-2"), said where changed:
    exports are named by the id, and two files named alike must not overwrite each other's."""
    ids = unique_ids([doc.id for _, doc in documents])
    first = {}
    renamed = []
    for (path, doc), new in zip(documents, ids):
        first.setdefault(doc.id.casefold(), path)
        if new != doc.id:
            say(f"note: {path}: exported as {new}.* ({doc.id}.* is {first[doc.id.casefold()]}'s)")
        renamed.append((path, replace(doc, id=new)))
    return renamed
