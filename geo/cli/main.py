"""Command line: python -m geo export|build-gazetteer|batch."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from geo import config
from geo.errors import GeoError
from geo.export import EXPORT_FORMATS
from geo.geocoding.factory import GEOCODER_KINDS
from geo.text.documents import read_document

def _export(args) -> int:
    from geo.geocoding.corrections import load as load_corrections
    from geo.export import export_view
    from geo.fsutil import write_atomic
    from geo.filters import Filters, apply, match_people
    from geo.pipeline import iter_analyses, load_resources
    from geo.geography.regions import regions_for

    formats = list(dict.fromkeys(args.format or ["geojson"]))
    try:  # a bad range is refused before any work
        filters = Filters(date_from=args.date_from, date_to=args.date_to, undated=args.undated)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    failed = 0
    documents = []
    for path in args.files:
        try:
            doc, notice = read_document(Path(path))
        except GeoError as err:
            print(f"error: {err}", file=sys.stderr)
            failed += 1
            continue
        if notice:
            print(f"note: {notice}", file=sys.stderr)
        documents.append((Path(path), doc))
    if not documents:
        return 1
    try:
        resources = load_resources(args.geocoder, user_agent=args.user_agent, url=args.geocoder_url,
                                   demonyms=args.demonyms)
        corrections = load_corrections(notify=lambda message: print(f"note: {message}", file=sys.stderr))
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    show_progress = len(documents) > 1
    started = time.monotonic()

    def say(line: str) -> None:
        """A message on a line of its own, clearing the progress line it would otherwise join."""
        if show_progress:
            print("\r" + " " * 79 + "\r", end="", file=sys.stderr)
        print(line, file=sys.stderr)

    told: dict[str, None] = {}  # each document's notices, each told once at the end
    analyses = iter_analyses([d for _, d in documents], resources, corrections)
    for n, ((path, _), analysis) in enumerate(zip(documents, analyses), 1):
        told.update(dict.fromkeys(analysis.notices))
        people = None
        if args.person:
            people, unknown = match_people(analysis, args.person)
            for name in unknown:
                say(f"note: {path.name}: no one named {name!r} (ambiguous or absent)")
        if not any(p.resolved for p in analysis.places):
            say(f"note: {path.name}: no place found in the text; its exports are empty")
        regions = regions_for(analysis, resources.gazetteer.region_members)
        view = apply(analysis, replace(filters, people=people), regions)
        for fmt in formats:
            try:
                files = export_view(view, fmt, path.stem)
                for name, data in files.items():
                    write_atomic(out / name, data)
            except OSError as err:
                print(f"error: {out}: {path.stem}.{fmt} cannot be written ({err.strerror or err})", file=sys.stderr)
                failed += 1
            except GeoError as err:
                print(f"error: {path.name}: {err}", file=sys.stderr)
                failed += 1
        if show_progress:
            rate = n / max(time.monotonic() - started, 1e-9)
            print(f"\r[{n}/{len(documents)}] {path.name} ({rate:.1f} docs/s)", end="", file=sys.stderr, flush=True)
    if show_progress:
        print(file=sys.stderr)
    for notice in told:
        print(f"note: {notice}", file=sys.stderr)
    return 1 if failed else 0


def _iso_date(value: str) -> str:
    """An argparse type: a date as YYYY, YYYY-MM or YYYY-MM-DD, refused with the forms otherwise."""
    from geo.filters import parse_iso

    try:
        parse_iso(value)
    except GeoError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    return value


def _build_gazetteer(args) -> int:
    from geo.gazetteer.core import build

    target = Path(args.out) if args.out else config.gazetteer_path()
    if target.exists() and not args.force:
        print(f"{target} exists; --force rebuilds it", file=sys.stderr)
        return 0
    stats = build(target)
    print(f"built {target}: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Places, people and routes in a text, on a map.")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="analyse files and write one export per file")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--out", required=True, metavar="DIR")
    e.add_argument("--format", action="append", choices=EXPORT_FORMATS, metavar="FORMAT",
                   help=f"{', '.join(EXPORT_FORMATS)} (repeat for several; default geojson); "
                        "csv writes <stem>.places.csv and <stem>.moves.csv")
    e.add_argument("--person", action="append", metavar="NAME",
                   help="only this person's ties and route (repeatable); full name, alias or unique partial name")
    e.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE",
                   help="only what happened on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    e.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE", help="only what happened up to DATE")
    e.add_argument("--undated", action=argparse.BooleanOptionalAction, default=True,
                   help="keep places and ties with no date (default: yes, as in the dashboard)")
    e.add_argument("--geocoder", choices=GEOCODER_KINDS, default="offline")
    e.add_argument("--geocoder-url", default=None, help="the geocoder's server: a self-hosted Nominatim or Photon, e.g. http://localhost:8080 (required for pelias)")
    e.add_argument("--user-agent", default=None, help=f"for Nominatim (default: $GEO_USER_AGENT or '{config.DEFAULT_USER_AGENT}')")
    e.add_argument("--demonyms", action="store_true",
                   help="count nationality adjectives ('French') as mentions of their country")
    e.set_defaults(run=_export)
    b = sub.add_parser("build-gazetteer", help="build the offline gazetteer into cache/")
    b.add_argument("--out", default=None)
    b.add_argument("--force", action="store_true")
    b.set_defaults(run=_build_gazetteer)
    from geo.corpus.batch import add_parser as add_batch_parser
    add_batch_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
