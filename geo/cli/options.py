"""Options that several commands share, defined once."""

from __future__ import annotations

import argparse

from geo.corpus.engines import AUTO, workers_option
from geo.errors import GeoError
from geo.geocoding.factory import GEOCODER_KINDS


def iso_date(value: str) -> str:
    """An argparse type: a date as YYYY, YYYY-MM or YYYY-MM-DD, refused with the forms otherwise."""
    from geo.filters import parse_iso

    try:
        parse_iso(value)
    except GeoError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    return value


def add_geocoder_options(p: argparse.ArgumentParser) -> None:
    """--geocoder and --demonyms: how places are found and placed."""
    p.add_argument("--geocoder", choices=GEOCODER_KINDS, default="offline")
    p.add_argument("--demonyms", action="store_true",
                   help="count nationality adjectives ('French') as mentions of their country")


def add_workers_option(p: argparse.ArgumentParser) -> None:
    """--workers: how many processes parse (geo.corpus.engines)."""
    p.add_argument("--workers", type=workers_option, default=AUTO, metavar="auto|N",
                   help="processes that parse at once: auto (the default) takes every core, and one for a job "
                        "too small to repay starting others; 1 keeps everything in this process")
