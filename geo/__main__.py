"""Command line: python -m geo export|build-gazetteer."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import config
from .errors import GeoError
from .text import read_document

FORMATS = ("geojson",)


def _export(args) -> int:
    from .export import write_geojson
    from .regions import regions_for
    from .pipeline import fallback_notices, iter_analyses, load_resources

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
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    show_progress = len(documents) > 1
    started = time.monotonic()
    for n, ((path, _), analysis) in enumerate(zip(documents, iter_analyses([d for _, d in documents], resources)), 1):
        target = out / f"{path.stem}.geojson"
        try:
            write_geojson(analysis, target, regions_for(analysis, resources.gazetteer.region_members))
        except OSError as err:
            print(f"error: {target}: cannot be written ({err.strerror or err})", file=sys.stderr)
            failed += 1
        if show_progress:
            rate = n / max(time.monotonic() - started, 1e-9)
            print(f"\r[{n}/{len(documents)}] {path.name} ({rate:.1f} docs/s)", end="", file=sys.stderr, flush=True)
    if show_progress:
        print(file=sys.stderr)
    for notice in fallback_notices(resources):
        print(f"note: {notice}", file=sys.stderr)
    return 1 if failed else 0


def _build_gazetteer(args) -> int:
    from .gazetteer import build

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
    e.add_argument("--format", choices=FORMATS, default="geojson")
    e.add_argument("--geocoder", choices=("offline", "nominatim"), default="offline")
    e.add_argument("--geocoder-url", default=None, help="a self-hosted Nominatim, e.g. http://localhost:8080")
    e.add_argument("--user-agent", default=None, help=f"for Nominatim (default: $GEO_USER_AGENT or '{config.DEFAULT_USER_AGENT}')")
    e.add_argument("--demonyms", action="store_true",
                   help="count nationality adjectives ('French') as mentions of their country")
    e.set_defaults(run=_export)
    b = sub.add_parser("build-gazetteer", help="build the offline gazetteer into cache/")
    b.add_argument("--out", default=None)
    b.add_argument("--force", action="store_true")
    b.set_defaults(run=_build_gazetteer)
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
