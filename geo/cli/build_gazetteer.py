"""python -m geo build-gazetteer: build the offline gazetteer into cache/."""

from __future__ import annotations

import sys
from pathlib import Path

from geo import config


def add_parser(subparsers) -> None:
    b = subparsers.add_parser("build-gazetteer", help="build the offline gazetteer into cache/")
    b.add_argument("--out", default=None)
    b.add_argument("--force", action="store_true")
    b.set_defaults(run=run)


def run(args) -> int:
    from geo.gazetteer import build

    target = Path(args.out) if args.out else config.gazetteer_path()
    if target.exists() and not args.force:
        print(f"{target} exists; --force rebuilds it", file=sys.stderr)
        return 0
    stats = build(target)
    print(f"built {target}: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 0
