"""python -m geo build-gazetteer: build the offline gazetteer into cache/."""

from __future__ import annotations

import sys
from pathlib import Path

from geo import config


def add_parser(subparsers) -> None:
    b = subparsers.add_parser("build-gazetteer", help="build the offline gazetteer into cache/")
    b.add_argument("--out", default=None)
    b.add_argument("--force", action="store_true")
    b.add_argument("--shapes", action="store_true",
                   help="build nothing of the gazetteer: keep the shape of every region it names, beside it, for "
                        "the maps (make setup does this once; a shape kept already is not built again)")
    b.set_defaults(run=run)


def run(args) -> int:
    from geo.gazetteer import build

    target = Path(args.out) if args.out else config.gazetteer_path()
    if args.shapes:
        return keep_shapes(target)
    if target.exists() and not args.force:
        print(f"{target} exists; --force rebuilds it", file=sys.stderr)
        return 0
    stats = build(target)
    print(f"built {target}: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 0


def keep_shapes(target: Path) -> int:
    import time

    from geo.gazetteer import Gazetteer
    from geo.geography import shapecache
    from geo.geography.regions import keep_macro_shapes

    t = time.perf_counter()
    with Gazetteer(target) as gazetteer:
        regions = gazetteer.regions()
        shaped = keep_macro_shapes(regions, gazetteer.region_members)
    print(f"kept the shapes of {shaped} of {len(regions)} regions in {shapecache.folder()} "
          f"({time.perf_counter() - t:.1f} s)", file=sys.stderr)
    return 0
