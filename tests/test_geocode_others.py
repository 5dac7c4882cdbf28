"""Photon and Pelias, against local servers that speak their real protocols (tests/fake_photon.py).

They share Nominatim's path for pacing, retries, error translation, caching
and fallback; these tests prove each of those for each service, and the one
thing that differs: how a GeoJSON feature becomes a Candidate. Time is a
fake clock except where a timeout must really elapse. Nothing touches the
internet.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from fake_nominatim import (
    EMPTY,
    FOREIGN,
    HANG,
    SERVER_ERROR,
    FakeClock,
    FakeNominatim,
    StubGazetteer,
    place,
    rate_limited,
)
from fake_photon import FakePelias, FakePhoton, pelias_feature, photon_feature
from geo import config
from geo.errors import ConfigError, GeocoderRateLimited, GeocoderUnavailable
from geo.geocoding.cache import GeocodeCache
from geo.geocoding import (
    GEOCODER_KINDS,
    CachedGeocoder,
    FallbackGeocoder,
    NominatimGeocoder,
    OfflineGeocoder,
    PeliasGeocoder,
    PhotonGeocoder,
    make_geocoder,
)
from geo.model import Candidate

OFFLINE_BERLIN = Candidate("Berlin", 52.52, 13.41, "city", "DE", 3_426_354, "Berlin", "geonames", "geonames:2950159")

PHOTON_GERMANY = photon_feature("Germany", 51.16, 10.45, countrycode="DE", type="country", osm_value="country",
                                osm_id=51477)
PHOTON_BERLIN = photon_feature("Berlin", 52.5170365, 13.3888599, countrycode="DE", type="city", osm_value="city",
                               osm_id=62422, state="Berlin", extra={"population": "3,677,472"})
PHOTON_GATE = photon_feature("Brandenburger Tor", 52.5162746, 13.3777041, countrycode="DE", type="house",
                             osm_key="tourism", osm_value="attraction", osm_type="W", osm_id=518071791,
                             state="Berlin", street="Pariser Platz")
PELIAS_GERMANY = pelias_feature("Germany", 51.16, 10.45, country_a="DEU", layer="country")
PELIAS_BERLIN = pelias_feature("Berlin", 52.52, 13.40, country_a="DEU", layer="locality", region="Berlin",
                               population=3_677_472)
PELIAS_GATE = pelias_feature("Brandenburger Tor", 52.5163, 13.3777, country_a="DEU", layer="venue",
                             region="Berlin", source="openstreetmap")


@pytest.fixture
def clock():
    return FakeClock()


def photon(server, clock, **options) -> PhotonGeocoder:
    options.setdefault("timeout", 2.0)
    return PhotonGeocoder(url=server.url, clock=clock, sleep=clock.sleep, **options)


def pelias(server, clock, **options) -> PeliasGeocoder:
    options.setdefault("timeout", 2.0)
    return PeliasGeocoder(url=server.url, clock=clock, sleep=clock.sleep, **options)


def nominatim(server, clock, **options) -> NominatimGeocoder:
    host = server.url.split("://")[1]
    return NominatimGeocoder(domain=host, scheme="http", clock=clock, sleep=clock.sleep, timeout=2.0, **options)


# (fake server, geocoder factory, a feature factory for "Berlin") for the shared behaviour
SERVICES = {
    "photon": (FakePhoton, photon, lambda: photon_feature("Berlin", 52.52, 13.40, countrycode="DE")),
    "pelias": (FakePelias, pelias, lambda: pelias_feature("Berlin", 52.52, 13.40, country_a="DEU")),
}


@pytest.fixture(params=sorted(SERVICES))
def service(request):
    fake, factory, berlin = SERVICES[request.param]
    with fake() as server:
        server.add("Berlin", berlin())
        yield request.param, server, factory


def rows(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT key, value FROM answers").fetchall()


# --- Photon: the request and the mapping --------------------------------------


def test_photon_asks_its_api_and_maps_a_country_a_city_and_a_site(clock, monkeypatch):
    monkeypatch.delenv("GEO_USER_AGENT", raising=False)
    with FakePhoton() as server:
        server.add("Berlin", PHOTON_BERLIN, PHOTON_GATE, PHOTON_GERMANY)
        found = photon(server, clock).candidates("Berlin")

    (request,) = server.requests
    assert request.path == "/api"
    assert request.params == {"q": "Berlin", "limit": "5", "lang": "en"}
    assert request.user_agent == config.DEFAULT_USER_AGENT
    assert [c.kind for c in found] == ["city", "site", "country"]
    assert found[0] == Candidate(
        name="Berlin", lat=52.5170365, lon=13.3888599, kind="city", country="DE", population=3_677_472,
        admin1="Berlin", source="photon", id="photon:relation:62422",
    )
    assert found[1].id == "photon:way:518071791" and found[1].admin1 == "Berlin"
    # No population: stand-ins, never above the one before, so a population sort keeps Photon's order.
    assert found[1].population == 0 and found[2].population == 0
    assert found[2].country == "DE" and found[2].name == "Germany"


@pytest.mark.parametrize("type_,osm_key,osm_value,kind", [
    ("country", "place", "country", "country"),
    ("state", "boundary", "administrative", "admin"),
    ("county", "boundary", "administrative", "admin"),
    ("city", "place", "town", "city"),
    ("city", "place", "village", "city"),
    ("locality", "place", "locality", "city"),
    ("district", "place", "suburb", "city"),
    ("other", "place", "continent", "region"),
    ("other", "place", "ocean", "region"),
    ("other", "natural", "water", "region"),
    ("street", "highway", "residential", "site"),
    ("house", "aeroway", "aerodrome", "site"),
    ("other", "amenity", "city", "site"),  # osm_value names a kind only for places and nature
])
def test_photon_kinds(clock, type_, osm_key, osm_value, kind):
    with FakePhoton() as server:
        server.add("x", photon_feature("X", 1.0, 2.0, countrycode="TR", type=type_, osm_key=osm_key,
                                       osm_value=osm_value))
        assert photon(server, clock).candidates("x")[0].kind == kind


def test_photon_cannot_filter_by_country_so_more_are_asked_and_filtered_here(clock):
    with FakePhoton() as server:
        server.add("Paris", *(photon_feature("Paris", 33.6 + i, -95.5, countrycode="US") for i in range(8)),
                   photon_feature("Paris", 48.85, 2.35, countrycode="FR"))
        found = photon(server, clock).candidates("Paris", countries=("fr",))
    assert [c.country for c in found] == ["FR"]
    assert server.requests[0].params["limit"] == "20"


def test_a_feature_without_a_name_is_named_from_its_address(clock):
    with FakePhoton() as server:
        server.add("pariser platz 1", photon_feature("", 52.516, 13.378, countrycode="DE", type="house",
                                                     osm_key="building", osm_value="yes",
                                                     housenumber="1", street="Pariser Platz"))
        assert photon(server, clock).candidates("Pariser Platz 1")[0].name == "Pariser Platz 1"
    with FakePelias() as server:
        server.add("x", pelias_feature("", 1.0, 2.0, country_a="TUR", layer="address"))
        assert pelias(server, clock).candidates("x")[0].name == "x"


# --- Pelias: the request and the mapping ----------------------------------------


def test_pelias_asks_its_api_with_the_key_and_maps_a_country_a_city_and_a_site(clock, monkeypatch):
    monkeypatch.setenv("GEO_USER_AGENT", "pelias-test/1.0 (ops@example.org)")
    monkeypatch.setenv("GEO_PELIAS_API_KEY", "sekrit-key")
    with FakePelias() as server:
        server.add("Berlin", PELIAS_BERLIN, PELIAS_GATE, PELIAS_GERMANY)
        geocoder = pelias(server, clock)
        found = geocoder.candidates("Berlin", countries=("de",))

    (request,) = server.requests
    assert request.path == "/v1/search"
    assert request.params == {"text": "Berlin", "api_key": "sekrit-key", "boundary.country": "DE", "lang": "en"}
    assert request.user_agent == "pelias-test/1.0 (ops@example.org)"
    assert [c.kind for c in found] == ["city", "site", "country"]
    assert found[0] == Candidate(
        name="Berlin", lat=52.52, lon=13.40, kind="city", country="DE", population=3_677_472,
        admin1="Berlin", source="pelias", id=f"pelias:{PELIAS_BERLIN['properties']['gid']}",
    )
    assert found[1].country == "DE" and found[1].population == 0
    assert found[2].name == "Germany" and found[2].country == "DE"
    assert "sekrit-key" not in json.dumps(geocoder.options)


@pytest.mark.parametrize("layer,kind", [
    ("country", "country"), ("dependency", "country"), ("macroregion", "admin"), ("region", "admin"),
    ("county", "admin"), ("localadmin", "city"), ("locality", "city"), ("borough", "city"),
    ("neighbourhood", "city"), ("continent", "region"), ("ocean", "region"), ("marinearea", "region"),
    ("venue", "site"), ("address", "site"), ("street", "site"), ("postalcode", "site"),
])
def test_pelias_kinds(clock, layer, kind):
    with FakePelias() as server:
        server.add("x", pelias_feature("X", 1.0, 2.0, country_a="TUR", layer=layer))
        found = pelias(server, clock).candidates("x")
    assert found[0].kind == kind and found[0].country == "TR"


@pytest.mark.parametrize("props,country", [
    ({"country_a": "XKX"}, None),  # Kosovo: user-assigned, not in ISO 3166
    ({"country_a": 5}, None),
    ({"country_a": "FRA", "country_code": "FR"}, "FR"),
    ({"country_a": "FRA", "country_code": "France"}, "FR"),
])
def test_pelias_countries_are_alpha2_or_none(clock, props, country):
    with FakePelias() as server:
        feature = pelias_feature("X", 1.0, 2.0, country_a="FRA")
        feature["properties"].update(props)
        server.add("x", feature)
        assert pelias(server, clock).candidates("x")[0].country == country


def test_pelias_answers_are_cut_to_five_in_its_order(clock):
    with FakePelias() as server:
        server.add("Springfield", *(pelias_feature(f"Springfield {i}", 39.0, -89.0 - i, country_a="USA",
                                                   population=1000 * (i + 1)) for i in range(8)))
        found = pelias(server, clock).candidates("Springfield")
    assert [c.name for c in found] == [f"Springfield {i}" for i in range(5)]
    assert [c.population for c in found] == [1000] * 5  # capped by the first: the order survives a sort


def test_pelias_needs_a_url():
    with pytest.raises(ConfigError, match="URL"):
        make_geocoder("pelias", offline=StubGazetteer({}))
    with pytest.raises(ConfigError, match="http"):
        PeliasGeocoder(url="127.0.0.1:4000")


def test_the_pelias_api_key_never_reaches_a_message(clock):
    with FakePelias() as gone:
        url = gone.url
    geocoder = PeliasGeocoder(url=url, api_key="sekrit-key", clock=clock, sleep=clock.sleep, retries=0)
    with pytest.raises(GeocoderUnavailable) as caught:
        geocoder.candidates("Berlin")
    assert "sekrit-key" not in str(caught.value)
    assert "Pelias failed" in str(caught.value)


# --- shared behaviour, for each service ------------------------------------------


def test_the_user_agent_is_on_the_wire_and_a_geopy_default_refused(service, clock):
    name, server, factory = service
    factory(server, clock, user_agent="other-geocoders/1 (me@example.org)").candidates("Berlin")
    assert [r.user_agent for r in server.requests] == ["other-geocoders/1 (me@example.org)"]
    with pytest.raises(ConfigError, match="GEO_USER_AGENT"):
        factory(server, clock, user_agent="geopy/2.5.0")


def test_a_second_identical_query_asks_nothing(service, clock, tmp_path):
    name, server, factory = service
    cached = CachedGeocoder(factory(server, clock), GeocodeCache(tmp_path / "c.sqlite"))
    first = cached.candidates("Berlin")
    assert cached.candidates(" berlin ") == first and first[0].source == name
    assert len(server.requests) == 1


def test_requests_are_a_second_apart_per_service(service, clock):
    name, server, factory = service
    first, second = factory(server, clock), factory(server, clock)
    first.candidates("a")
    second.candidates("b")
    first.candidates("c")
    assert len(server.requests) == 3
    assert clock.sleeps == [1.0, 1.0]


def test_services_are_paced_apart_from_each_other(service, clock):
    name, server, factory = service
    with FakeNominatim(clock) as other:
        nominatim(other, clock).candidates("a")
        factory(server, clock).candidates("b")  # another service: no wait for Nominatim's second
    assert clock.sleeps == []


def test_a_500_is_retried_then_answered(service, clock):
    name, server, factory = service
    server.queue(SERVER_ERROR)
    assert factory(server, clock).candidates("Berlin")[0].name == "Berlin"
    assert len(server.requests) == 2
    assert clock.sleeps == [1.0]


def test_a_429_that_persists_is_rate_limited_naming_the_service(service, clock):
    name, server, factory = service
    server.always(rate_limited(retry_after="3600"))
    with pytest.raises(GeocoderRateLimited, match=f"{name.capitalize()} refused") as caught:
        factory(server, clock).candidates("Berlin")
    assert caught.value.retry_after == 3600 and len(server.requests) == 1


def test_nothing_found_and_foreign_json(service, clock):
    name, server, factory = service
    server.queue(EMPTY, FOREIGN)
    geocoder = factory(server, clock, retries=0)
    assert geocoder.candidates("Berlin") == ()
    with pytest.raises(GeocoderUnavailable, match="not GeoJSON features"):
        geocoder.candidates("Berlin")


def test_a_timeout_falls_back_to_offline_with_the_query_recorded(service, clock, tmp_path):
    name, server, factory = service
    server.always(HANG)
    store = GeocodeCache(tmp_path / "c.sqlite")
    geocoder = FallbackGeocoder(CachedGeocoder(factory(server, clock, timeout=0.2, retries=0), store),
                                OfflineGeocoder(StubGazetteer({"Berlin": (OFFLINE_BERLIN,)})))

    with geocoder.recording() as told:
        assert geocoder.candidates("Berlin") == (OFFLINE_BERLIN,)

    assert geocoder.name == name
    (notice,) = told
    assert notice.startswith(f"'Berlin' was placed by the offline gazetteer: {name.capitalize()} timed out")
    assert rows(tmp_path / "c.sqlite") == []


# --- one cache, three services --------------------------------------------------


def test_the_three_services_never_share_a_cached_answer(clock, tmp_path):
    path = tmp_path / "c.sqlite"
    store = GeocodeCache(path)
    with FakeNominatim() as nom, FakePhoton() as pho, FakePelias() as pel:
        nom.add("Berlin", place("Berlin", 52.5, 13.4, country_code="de"))
        pho.add("Berlin", photon_feature("Berlin", 52.5, 13.4, countrycode="DE"))
        pel.add("Berlin", pelias_feature("Berlin", 52.5, 13.4, country_a="DEU"))
        geocoders = [CachedGeocoder(g, store) for g in (nominatim(nom, clock), photon(pho, clock),
                                                         pelias(pel, clock))]
        for _ in range(2):
            answers = [g.candidates("Berlin") for g in geocoders]

        assert [len(s.requests) for s in (nom, pho, pel)] == [1, 1, 1]
    assert [a[0].source for a in answers] == ["nominatim", "photon", "pelias"]
    keys = [g.key("Berlin") for g in geocoders]
    assert len(set(keys)) == 3 and sorted(k for k, _ in rows(path)) == sorted(keys)
    assert [json.loads(k)[0] for k in keys] == ["nominatim", "photon", "pelias"]
    assert json.loads(keys[1])[1]["url"] == f"{pho.url}/api"
    assert json.loads(keys[2])[1]["url"] == f"{pel.url}/v1/search"


# --- make_geocoder ----------------------------------------------------------------


@pytest.mark.parametrize("kind,fake", [("photon", FakePhoton), ("pelias", FakePelias)])
def test_make_builds_a_cached_service_with_offline_fallback(kind, fake, tmp_path):
    path = tmp_path / "geocode.sqlite"
    with fake() as server:
        server.add("Berlin", SERVICES[kind][2]())
        geocoder = make_geocoder(kind, offline=StubGazetteer({"Nowhere": (OFFLINE_BERLIN,)}), cache_path=path,
                                 user_agent="make-test/1", url=server.url + "/")
        assert isinstance(geocoder, FallbackGeocoder) and geocoder.name == kind
        with geocoder.recording() as told:
            assert geocoder.candidates("Berlin")[0].source == kind
            assert geocoder.candidates("berlin")[0].source == kind
            # Not known to the service: the gazetteer answers, and the user is told.
            assert geocoder.candidates("Nowhere") == (OFFLINE_BERLIN,)
    assert [r.user_agent for r in server.requests] == ["make-test/1", "make-test/1"]
    assert told == [f"'Nowhere' was placed by the offline gazetteer: {kind.capitalize()} does not know this name"]
    assert len(rows(path)) == 2
    assert (tmp_path / f"{kind}.throttle").exists()


def test_make_photon_defaults_to_the_public_server(tmp_path):
    geocoder = make_geocoder("photon", offline=StubGazetteer({}), cache_path=tmp_path / "c.sqlite")
    assert json.loads(geocoder.primary.key("Berlin"))[1]["url"] == "https://photon.komoot.io/api"


def test_make_names_every_kind_when_the_kind_is_unknown():
    assert GEOCODER_KINDS == ("offline", "nominatim", "photon", "pelias")
    with pytest.raises(ConfigError, match=r"'google'.*offline, nominatim, photon, pelias"):
        make_geocoder("google", offline=StubGazetteer({}))
