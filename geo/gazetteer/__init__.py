"""The offline gazetteer: built once from packaged data into SQLite, then read.

- ``sources``: the build records (City, Country, Region, Area, Airport, Sources) and reading them from the
  installed packages and ``geo/data/``;
- ``keys``: the folded keys an entry is found by (pure functions);
- ``admins``: first- and second-level areas assembled from the cities and GeoNames' areas;
- ``build``: writing the SQLite file (its schema in ``schema``);
- ``reader``: ``Gazetteer``, which reads it.
"""

from geo.gazetteer.admins import extent_centre
from geo.gazetteer.build import build
from geo.gazetteer.keys import admin_keys, alternate_keys, county_keys, latin_keys, name_keys, site_keys
from geo.gazetteer.reader import Gazetteer
from geo.gazetteer.schema import KIND_ORDER, SCHEMA_VERSION
from geo.gazetteer.sources import (
    DATA_DIR, GEONAMES_ATTRIBUTION, Airport, Area, City, Country, Region, Sources, country_point, is_site,
    package_sources, read_csv, read_geonames_areas, read_regions,
)

__all__ = [
    "DATA_DIR", "GEONAMES_ATTRIBUTION", "KIND_ORDER", "SCHEMA_VERSION",
    "Airport", "Area", "City", "Country", "Gazetteer", "Region", "Sources",
    "admin_keys", "alternate_keys", "build", "county_keys", "country_point", "extent_centre", "is_site", "latin_keys", "name_keys",
    "package_sources", "read_csv", "read_geonames_areas", "read_regions", "site_keys",
]
