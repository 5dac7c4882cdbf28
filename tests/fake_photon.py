"""A local Photon and a local Pelias that speak the real protocols, for tests.

FakePhoton answers ``GET /api?q=...&limit=...&lang=...`` and FakePelias
``GET /v1/search?text=...&boundary.country=...&lang=...&api_key=...`` with a
GeoJSON FeatureCollection, the way photon.komoot.io and a Pelias server do,
from a table of query -> features that a test fills in (``photon_feature``,
``pelias_feature``). Everything else is FakeNominatim's (tests/fake_nominatim.py):
the same scripting (``add``, ``queue``, ``always``), the same faults (hang,
slow, 429, 500, garbage, raw...; ``EMPTY`` is an empty FeatureCollection here,
``FOREIGN`` a Nominatim-style list) and the same record of every request.

    with FakePhoton() as server:
        server.add("Berlin", photon_feature("Berlin", 52.52, 13.40, countrycode="DE"))
        ...  # point PhotonGeocoder at server.url
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pycountry

from fake_nominatim import FakeNominatim, Fault, _handler_for, _match_key

_ids = iter(range(500_000, 10**9))


def photon_feature(
    name: str,
    lat: float,
    lon: float,
    *,
    countrycode: str,
    type: str = "city",  # noqa: A002 - Photon's field name
    osm_key: str = "place",
    osm_value: str = "city",
    osm_type: str = "R",
    osm_id: int | None = None,
    state: str | None = None,
    country: str | None = None,
    **extra_properties: object,
) -> dict:
    """One feature as Photon's /api answers it."""
    properties = {
        "osm_type": osm_type,
        "osm_id": osm_id if osm_id is not None else next(_ids),
        "osm_key": osm_key,
        "osm_value": osm_value,
        "type": type,
        "name": name,
        "countrycode": countrycode,
        "country": country or countrycode,
        "extent": [lon - 0.1, lat + 0.1, lon + 0.1, lat - 0.1],
        **({"state": state} if state else {}),
        **extra_properties,
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def pelias_feature(
    name: str,
    lat: float,
    lon: float,
    *,
    country_a: str,
    layer: str = "locality",
    region: str | None = None,
    confidence: float = 1.0,
    source: str = "whosonfirst",
    **extra_properties: object,
) -> dict:
    """One feature as Pelias's /v1/search answers it (country_a is ISO 3166-1 alpha-3)."""
    number = next(_ids)
    properties = {
        "id": str(number),
        "gid": f"{source}:{layer}:{number}",
        "layer": layer,
        "source": source,
        "source_id": str(number),
        "name": name,
        "confidence": confidence,
        "match_type": "exact",
        "accuracy": "centroid",
        "country": country_a,
        "country_a": country_a,
        **({"region": region} if region else {}),
        "label": f"{name}, {country_a}",
        **extra_properties,
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def _collection(features: list[dict], **extra: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **extra}).encode()


class _FakeGeoJSONService(FakeNominatim):
    """FakeNominatim's server, answering another service's path, parameter and JSON."""

    path = ""
    query_param = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._server.RequestHandlerClass = _geojson_handler_for(self)

    def _features(self, params: dict[str, str]) -> list[dict]:
        return list(self._table.get(_match_key(params.get(self.query_param, "")), []))

    def _body(self, params: dict[str, str]) -> bytes:
        raise NotImplementedError


class FakePhoton(_FakeGeoJSONService):
    path = "/api"
    query_param = "q"

    def _body(self, params: dict[str, str]) -> bytes:
        features = self._features(params)
        if "limit" in params:
            features = features[: int(params["limit"])]
        return _collection(features)


class FakePelias(_FakeGeoJSONService):
    path = "/v1/search"
    query_param = "text"

    def _body(self, params: dict[str, str]) -> bytes:
        features = self._features(params)
        wanted = {c for c in params.get("boundary.country", "").upper().split(",") if c}
        if wanted:
            # Pelias takes alpha-2 or alpha-3 codes.
            wanted |= {getattr(pycountry.countries.get(alpha_2=c), "alpha_3", c) for c in wanted if len(c) == 2}
            features = [f for f in features if f["properties"]["country_a"] in wanted]
        features = features[: int(params.get("size", 10))]
        return _collection(features, geocoding={"version": "0.2", "query": {"text": params.get("text")}})


def _geojson_handler_for(fake: _FakeGeoJSONService) -> type[BaseHTTPRequestHandler]:
    base = _handler_for(fake)

    class Handler(base):  # type: ignore[valid-type, misc]
        def _answer(self, params: dict[str, str]) -> None:
            self._send(200, fake._body(params))

        def _misbehave(self, fault: Fault, params: dict[str, str]) -> None:
            if fault.kind == "empty":
                self._send(200, _collection([]))
            elif fault.kind == "foreign":  # e.g. the URL points at Nominatim
                self._send(200, b'[{"place_id": 1, "lat": "36.9", "lon": "38.4"}]')
            else:
                super()._misbehave(fault, params)

    return Handler
