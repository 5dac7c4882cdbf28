"""python -m geo COMMAND: one module per command in geo.cli, each with add_parser() and run()."""

from __future__ import annotations

import argparse
import sys

from geo.cli import batch, build_gazetteer, dates, export, keep
from geo.cli.output import say
from geo.errors import GeoError

COMMANDS = (export, batch, keep, build_gazetteer, dates)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Places, people and routes in a text, on a map.")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except GeoError as err:
        say(f"error: {err}")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
