"""Geocoders against a local Nominatim that speaks the real protocol (tests/fake_nominatim.py).

Nothing here touches the internet. Time is faked (geopy style: an injected
clock and sleep) except in the one test that proves the 1 request/second rule
from the server's own arrival times, and where a timeout must really elapse.
"""

from __future__ import annotations

import ast
import json
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import geopy.exc
import geopy.geocoders
import pytest

from fake_nominatim import (
    EMPTY,
    FOREIGN,
    GARBAGE,
    HANG,
    SERVER_ERROR,
    FakeClock,
    FakeNominatim,
    StubGazetteer,
    drip,
    huge,
    place,
    rate_limited,
    slow,
)
from geo import config
from geo.errors import (
    CacheError,
    ConfigError,
    GeocoderError,
    GeocoderRateLimited,
    GeocoderTimeout,
    GeocoderUnavailable,
)
from geo.geocoding import (
    CachedGeocoder,
    FallbackGeocoder,
    GazetteerLike,
    GeocodeCache,
    NominatimGeocoder,
    OfflineGeocoder,
    make_geocoder,
)
from geo.model import Candidate

KOBANI = place("Kobani", 36.8906, 38.3541, country_code="sy", type="town", importance=0.55, osm_id=1, osm_type="node")
ISTANBUL = place(
    "İstanbul", 41.0091982, 28.9662187, country_code="tr", cls="boundary", type="administrative",
    addresstype="province", importance=0.83, osm_id=223474, display_name="İstanbul, Marmara Region, Türkiye",
    address={"province": "İstanbul", "region": "Marmara Region", "country": "Türkiye"},
    extratags={"population": "15,462,452", "wikidata": "Q406"},
)
OFFLINE_KOBANI = Candidate("Kobani", 36.89, 38.35, "city", "SY", 44821, "Aleppo", "geonames", "geonames:170543")


@pytest.fixture
def server():
    with FakeNominatim() as fake:
        yield fake


@pytest.fixture
def clock():
    return FakeClock()


def nominatim(server: FakeNominatim, clock: FakeClock, **options) -> NominatimGeocoder:
    options.setdefault("timeout", 2.0)
    return NominatimGeocoder(
        domain=urlsplit(server.url).netloc, scheme="http", clock=clock, sleep=clock.sleep, **options
    )


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT key, value, created FROM answers").fetchall()


# --- the request on the wire ------------------------------------------------


def test_the_request_follows_nominatims_api_and_names_the_application(server, clock, monkeypatch):
    monkeypatch.delenv("GEO_USER_AGENT", raising=False)
    server.add("Kobani", KOBANI)

    nominatim(server, clock).candidates("Kobani", countries=("sy", "TR"))

    (request,) = server.requests
    assert request.path == "/search"
    assert request.user_agent == config.DEFAULT_USER_AGENT
    assert request.params == {
        "q": "Kobani", "format": "json", "limit": "5", "addressdetails": "1", "extratags": "True",
        "accept-language": "en", "countrycodes": "sy,tr",
    }


def test_a_given_user_agent_or_the_environments_is_sent(server, clock, monkeypatch):
    monkeypatch.setenv("GEO_USER_AGENT", "from-env/2.0 (ops@example.org)")
    nominatim(server, clock).candidates("a")
    nominatim(server, clock, user_agent="explicit/1.0").candidates("b")
    assert [r.user_agent for r in server.requests] == ["from-env/2.0 (ops@example.org)", "explicit/1.0"]


@pytest.mark.parametrize("agent", ["", "   ", geopy.geocoders.options.default_user_agent])
def test_an_empty_or_geopy_default_user_agent_is_refused(server, clock, agent):
    with pytest.raises(ConfigError, match="GEO_USER_AGENT"):
        nominatim(server, clock, user_agent=agent)


def test_an_empty_user_agent_from_the_environment_is_refused(server, clock, monkeypatch):
    monkeypatch.setenv("GEO_USER_AGENT", "")
    with pytest.raises(ConfigError):
        nominatim(server, clock)


def test_geopys_sample_agents_are_refused_for_the_public_server():
    with pytest.raises(ConfigError, match="nominatim.openstreetmap.org") as caught:
        NominatimGeocoder(user_agent="my-application")
    assert isinstance(caught.value.__cause__, geopy.exc.ConfigurationError)


def test_a_local_server_is_reached_directly_despite_a_system_proxy(server, clock, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    server.add("Kobani", KOBANI)
    assert nominatim(server, clock).candidates("Kobani")[0].name == "Kobani"


@pytest.mark.parametrize("timeout", [0, -1.5])
def test_the_timeout_must_be_positive(server, clock, timeout):
    with pytest.raises(ConfigError, match=str(timeout)):
        nominatim(server, clock, timeout=timeout)


def test_a_blank_query_asks_nothing(server, clock):
    assert nominatim(server, clock).candidates("  ") == ()
    assert server.requests == []


@pytest.mark.parametrize("countries", [("Turkey",), ("T",), ("TR", "")])
def test_countries_must_be_iso_codes(server, clock, countries):
    with pytest.raises(ConfigError, match="alpha-2"):
        nominatim(server, clock).candidates("Kobani", countries=countries)
    assert server.requests == []


# --- the answer ---------------------------------------------------------------


def test_results_become_candidates_in_nominatims_order(server, clock):
    server.add(
        "istanbul",
        ISTANBUL,
        place("Istanbul Airport", 41.26, 28.74, country_code="tr", cls="aeroway", type="aerodrome",
              addresstype="aeroway", importance=0.5, osm_type="way", osm_id=7),
        place("Istanbul", 39.5, -98.0, country_code="us", type="village", importance=0.3,
              extratags={"population": "ca. 1 200"}, address={"state": "Kansas"}),
    )

    found = nominatim(server, clock).candidates("Istanbul")

    assert [c.kind for c in found] == ["admin", "site", "city"]
    first = found[0]
    assert first == Candidate(
        name="İstanbul", lat=41.0091982, lon=28.9662187, kind="admin", country="TR", population=15_462_452,
        admin1="İstanbul", source="nominatim", id="nominatim:relation:223474",
    )
    assert found[1].id == "nominatim:way:7" and found[1].country == "TR"
    assert found[2].admin1 == "Kansas" and found[2].country == "US"
    # No population: a stand-in from importance; the last's own 1200 is kept under the one before.
    assert found[1].population == int(10 ** (8 * 0.5))
    assert found[2].population == 1_200
    assert sorted(found, key=lambda c: -c.population) == list(found)


def test_population_is_capped_so_a_population_sort_keeps_the_order(server, clock):
    server.add(
        "paris",
        place("Paris", 33.66, -95.55, country_code="us", importance=0.6, extratags={"population": "25000"}),
        place("Paris", 48.85, 2.35, country_code="fr", importance=0.5, extratags={"population": "2100000"}),
    )
    found = nominatim(server, clock).candidates("Paris")
    assert [c.country for c in found] == ["US", "FR"]
    assert [c.population for c in found] == [25_000, 25_000]


@pytest.mark.parametrize("cls,type_,addresstype,kind", [
    ("boundary", "administrative", "country", "country"),
    ("place", "state", "state", "admin"),
    ("boundary", "administrative", "county", "admin"),
    ("place", "city", "city", "city"),
    ("place", "hamlet", "hamlet", "city"),
    ("place", "suburb", "suburb", "city"),
    ("place", "sea", "sea", "region"),
    ("natural", "water", "water", "region"),
    ("place", "continent", "continent", "region"),
    ("tourism", "museum", "tourism", "site"),
    ("amenity", "hospital", "amenity", "site"),
    ("building", "yes", "building", "site"),
])
def test_kinds(server, clock, cls, type_, addresstype, kind):
    server.add("x", place("X", 1.0, 2.0, country_code="tr", cls=cls, type=type_, addresstype=addresstype))
    assert nominatim(server, clock).candidates("x")[0].kind == kind


def test_a_result_without_a_name_is_named_from_its_display_name(server, clock):
    result = place("", 36.9, 38.4, country_code="sy", display_name="Ayn al-Arab, Aleppo, Syria")
    server.add("ayn al arab", result)
    assert nominatim(server, clock).candidates("Ayn al Arab")[0].name == "Ayn al-Arab"


def test_nothing_found_is_an_empty_tuple(server, clock):
    server.queue(EMPTY)
    assert nominatim(server, clock).candidates("Nowhere at all") == ()


def test_countries_restrict_the_answer(server, clock):
    server.add("tal abyad", place("Tal Abyad", 36.69, 38.95, country_code="sy"),
               place("Akçakale", 36.71, 38.95, country_code="tr"))
    assert [c.country for c in nominatim(server, clock).candidates("Tal Abyad", countries="TR")] == ["TR"]


# --- the usage policy: one request a second, process-wide ---------------------


def test_requests_are_a_second_apart_across_instances_on_one_clock(server, clock):
    first, second = nominatim(server, clock), nominatim(server, clock)
    first.candidates("a")
    second.candidates("b")
    first.candidates("c")
    assert len(server.requests) == 3
    assert clock.sleeps == [1.0, 1.0]


def test_no_two_requests_within_a_second_from_threads_and_instances_in_real_time(server):
    # The one real-time test: the server's arrival times are the evidence.
    host = urlsplit(server.url).netloc
    geocoders = [NominatimGeocoder(domain=host, scheme="http", timeout=5) for _ in range(2)]
    threads = [
        threading.Thread(target=geocoders[i % 2].candidates, args=(f"place {i}",)) for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    times = sorted(r.time for r in server.requests)
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.9  # 1 s, less arrival jitter


# --- failures: retried when transient, then translated ------------------------


def test_429_waits_as_long_as_retry_after_says_and_no_longer(server, clock):
    server.add("Kobani", KOBANI)
    server.queue(rate_limited(retry_after="2"))
    assert nominatim(server, clock).candidates("Kobani")[0].name == "Kobani"
    assert len(server.requests) == 2
    assert clock.sleeps == [2.0]  # the throttle's second is inside those two, not added to them


def test_5xx_is_retried_with_growing_backoff(server, clock):
    server.add("Kobani", KOBANI)
    server.queue(SERVER_ERROR, SERVER_ERROR)
    assert nominatim(server, clock).candidates("Kobani")[0].name == "Kobani"
    assert len(server.requests) == 3
    assert clock.sleeps == [1.0, 2.0]


def test_5xx_that_persists_raises_unavailable_after_two_retries(server, clock):
    server.always(SERVER_ERROR)
    with pytest.raises(GeocoderUnavailable, match="HTTP 500, 3 attempts") as caught:
        nominatim(server, clock).candidates("Kobani")
    assert len(server.requests) == 3
    assert isinstance(caught.value.__cause__, geopy.exc.GeocoderServiceError)


def test_429_that_persists_raises_rate_limited_with_retry_after(server, clock):
    server.always(rate_limited(retry_after="1"))
    with pytest.raises(GeocoderRateLimited) as caught:
        nominatim(server, clock).candidates("Kobani")
    assert caught.value.retry_after == 1
    assert len(server.requests) == 3


def test_429_asking_for_longer_than_the_cap_gives_up_at_once(server, clock):
    server.always(rate_limited(retry_after="3600"))
    with pytest.raises(GeocoderRateLimited) as caught:
        nominatim(server, clock).candidates("Kobani")
    assert caught.value.retry_after == 3600
    assert len(server.requests) == 1
    assert clock.sleeps == []


def test_a_timeout_is_retried_then_raises_timeout(server, clock):
    server.always(HANG)
    with pytest.raises(GeocoderTimeout, match="timed out") as caught:
        nominatim(server, clock, timeout=0.2).candidates("Kobani")
    assert isinstance(caught.value, TimeoutError)
    # One request per attempt: geopy's adapter must not retry behind our back.
    assert len(server.requests) == 3


def test_a_reply_that_drips_is_cut_off_at_the_timeout_for_the_whole_reply_then_retried(server, clock):
    # A byte every 0.1 s never trips a 0.5 s timeout per read: only a deadline for the whole reply ends it.
    server.always(drip(0.1))
    with pytest.raises(GeocoderTimeout, match=r"timed out \(3 attempts\)"):
        nominatim(server, clock, timeout=0.5).candidates("Kobani")
    assert len(server.requests) == 3
    assert server.sent < 3 * 30  # each attempt hung up early in its reply of 70-odd bytes


@pytest.mark.parametrize("declared", [True, False], ids=["with its length", "chunked"])
def test_a_huge_reply_is_a_failing_service_and_is_never_read_whole(server, clock, declared):
    size = 64 * 2**20
    server.always(huge(size, declared=declared))
    with pytest.raises(GeocoderUnavailable, match=r"larger than 5 MB.*\(1 attempt\)"):
        nominatim(server, clock).candidates("Kobani")
    assert len(server.requests) == 1  # not retried: it would only be as large again
    assert server.sent < size // 4  # the client hung up, at the latest once past the cap


@pytest.mark.parametrize("fault,message", [(GARBAGE, "not JSON"), (FOREIGN, "not a list of places")])
def test_an_answer_that_is_not_nominatims_json_is_unavailable_and_not_retried(server, clock, fault, message):
    server.always(fault)
    with pytest.raises(GeocoderUnavailable, match=message):
        nominatim(server, clock).candidates("Kobani")
    assert len(server.requests) == 1


def test_a_server_that_is_not_there_is_unavailable(clock):
    with FakeNominatim() as gone:
        url = gone.url
    geocoder = NominatimGeocoder(domain=urlsplit(url).netloc, scheme="http", clock=clock, sleep=clock.sleep)
    with pytest.raises(GeocoderUnavailable):
        geocoder.candidates("Kobani")


# --- the cache -------------------------------------------------------------


def test_a_second_run_asks_nothing_even_from_a_new_process(server, clock, tmp_path):
    server.add("Kobani", KOBANI)
    path = tmp_path / "geocode.sqlite"
    store = GeocodeCache(path)
    first = CachedGeocoder(nominatim(server, clock), store).candidates("Kobani")
    assert CachedGeocoder(nominatim(server, clock), store).candidates("Kobani") == first
    store.close()

    again = CachedGeocoder(nominatim(server, clock), GeocodeCache(path)).candidates("Kobani")

    assert again == first and again[0].name == "Kobani"
    assert len(server.requests) == 1


def test_keys_fold_case_accents_whitespace_and_country_order(server, clock, tmp_path):
    server.add("izmir", place("İzmir", 38.42, 27.14, country_code="tr"))
    cached = CachedGeocoder(nominatim(server, clock), GeocodeCache(tmp_path / "c.sqlite"))
    for spelling in ("İzmir", "izmir", "  IZMIR ", "Izmír"):
        cached.candidates(spelling, countries=("tr", "SY"))
        cached.candidates(spelling, countries=["SY", "TR", "tr"])
    assert len(server.requests) == 1


def test_keys_tell_apart_countries_options_geocoders_and_servers(server, clock, tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite")
    here = CachedGeocoder(nominatim(server, clock), store)
    here.candidates("Kobani")
    here.candidates("Kobani", countries=("SY",))
    with FakeNominatim() as elsewhere:
        CachedGeocoder(nominatim(elsewhere, clock), store).candidates("Kobani")
        assert len(elsewhere.requests) == 1
    assert len(server.requests) == 2
    offline = CachedGeocoder(OfflineGeocoder(StubGazetteer({})), store)
    assert offline.key("Kobani") != here.key("Kobani")
    assert json.loads(here.key("Kobani"))[1]["url"] == f"{server.url}/search"


def test_not_found_is_an_answer_and_is_kept(server, clock, tmp_path):
    cached = CachedGeocoder(nominatim(server, clock), GeocodeCache(tmp_path / "c.sqlite"))
    assert cached.candidates("Nowhere at all") == ()
    assert cached.candidates("Nowhere at all") == ()
    assert len(server.requests) == 1
    assert [json.loads(value) for _, value, _ in rows(tmp_path / "c.sqlite")] == [[]]


def test_an_error_is_never_kept(server, clock, tmp_path):
    server.add("Kobani", KOBANI)
    server.queue(SERVER_ERROR)
    cached = CachedGeocoder(nominatim(server, clock, retries=0), GeocodeCache(tmp_path / "c.sqlite"))
    with pytest.raises(GeocoderUnavailable):
        cached.candidates("Kobani")
    assert rows(tmp_path / "c.sqlite") == []
    assert cached.candidates("Kobani")[0].name == "Kobani"
    assert len(server.requests) == 2


def test_two_threads_asking_one_name_ask_the_server_once(server, clock, tmp_path):
    server.add("Kobani", KOBANI)
    server.queue(slow(0.3))
    cached = CachedGeocoder(nominatim(server, clock), GeocodeCache(tmp_path / "c.sqlite"))
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cached.candidates("Kobani"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 2 and answers[0] == answers[1]
    assert len(server.requests) == 1


def test_a_failing_store_is_warned_about_and_the_answer_still_given(server, clock, tmp_path):
    server.add("Kobani", KOBANI)
    store = GeocodeCache(tmp_path / "c.sqlite")
    store.close()  # every use now fails inside sqlite3
    cached = CachedGeocoder(nominatim(server, clock), store)
    with pytest.warns(RuntimeWarning, match="geocoder cache"):
        assert cached.candidates("Kobani")[0].name == "Kobani"


# --- GeocodeCache ------------------------------------------------------------


def test_the_store_is_one_wal_table_of_json_committed_at_each_put(tmp_path):
    path = tmp_path / "c.sqlite"
    store = GeocodeCache(path)
    store.put("k", (OFFLINE_KOBANI, Candidate("Kobanî", 36.9, 38.4, "city")))

    with sqlite3.connect(path) as other:  # another connection sees it: the put was committed
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        (table,) = other.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        columns = [(c[1], c[2], c[5]) for c in other.execute("PRAGMA table_info(answers)")]
    assert table == ("answers",)
    assert columns == [("key", "TEXT", 1), ("value", "TEXT", 0), ("created", "REAL", 0)]
    (key, value, created) = rows(path)[0]
    assert key == "k" and abs(created - time.time()) < 60
    assert json.loads(value)[0] == {
        "name": "Kobani", "lat": 36.89, "lon": 38.35, "kind": "city", "country": "SY", "population": 44821,
        "admin1": "Aleppo", "source": "geonames", "id": "geonames:170543",
    }
    assert store.get("k") == (OFFLINE_KOBANI, Candidate("Kobanî", 36.9, 38.4, "city"))
    assert store.get("never asked") is None


def test_a_writer_in_another_process_is_waited_for_not_failed_on(tmp_path):
    path = tmp_path / "c.sqlite"
    store = GeocodeCache(path)
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    threading.Timer(0.3, other.commit).start()
    store.put("k", ())  # waits on the busy timeout rather than raising "database is locked"
    assert store.get("k") == ()
    other.close()


def test_a_corrupt_file_is_moved_aside_with_a_warning_and_replaced(tmp_path):
    path = tmp_path / "geocode.sqlite"
    garbage = b"this is not a database\x00\xff" * 200
    path.write_bytes(garbage)
    (tmp_path / "geocode.sqlite-wal").write_bytes(b"stale")

    with pytest.warns(RuntimeWarning, match="corrupt"):
        store = GeocodeCache(path)

    (moved,) = tmp_path.glob("geocode.sqlite.corrupt-*")
    assert moved.read_bytes() == garbage
    store.put("k", (OFFLINE_KOBANI,))
    assert store.get("k") == (OFFLINE_KOBANI,)


def damage_a_page(path) -> None:
    data = bytearray(path.read_bytes())
    data[3 * 4096 : 4 * 4096] = bytes(range(256)) * 16  # a b-tree page; the header is untouched
    path.write_bytes(bytes(data))


def declare_value_not_null_over_a_null(path) -> None:
    """Damage that reading does not trip on, only PRAGMA quick_check: a NULL under NOT NULL."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO answers VALUES ('null', 'x', 0)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'value TEXT NOT NULL', 'value TEXT')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)  # a fresh schema: the column now takes a NULL
    conn.execute("UPDATE answers SET value = NULL WHERE key = 'null'")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'value TEXT', 'value TEXT NOT NULL')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", [damage_a_page, declare_value_not_null_over_a_null])
def test_a_damaged_database_is_moved_aside_too(tmp_path, damage):
    path = tmp_path / "geocode.sqlite"
    store = GeocodeCache(path)
    for i in range(300):
        store.put(f"k{i}", (OFFLINE_KOBANI,) * 3)
    store.close()
    damage(path)

    with pytest.warns(RuntimeWarning, match="corrupt"):
        store = GeocodeCache(path)

    assert len(list(tmp_path.glob("geocode.sqlite.corrupt-*"))) == 1
    assert store.get("k1") is None
    store.put("k1", ())
    assert store.get("k1") == ()


def test_a_row_from_an_older_candidate_is_a_miss(tmp_path):
    path = tmp_path / "c.sqlite"
    store = GeocodeCache(path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO answers VALUES ('k', ?, 0)", (json.dumps([{"label": "Kobani"}]),))
    assert store.get("k") is None


def test_the_store_is_thread_safe(tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite")

    def work(n: int) -> None:
        for i in range(25):
            store.put(f"{n}:{i}", (Candidate(f"p{n}-{i}", n, i, "city"),))
            assert store.get(f"{n}:{i}")[0].name == f"p{n}-{i}"

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(rows(tmp_path / "c.sqlite")) == 200


def test_a_cache_that_cannot_be_created_is_a_cache_error(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CacheError):
        GeocodeCache(tmp_path / "file" / "geocode.sqlite")


# --- offline and fallback ------------------------------------------------------


def test_offline_answers_from_the_gazetteer_restricted_to_countries():
    other = Candidate("Kobani", 1.0, 2.0, "city", "TR")
    offline = OfflineGeocoder(StubGazetteer({"Kobani": (OFFLINE_KOBANI, other)}))
    assert offline.name == "offline"
    assert offline.candidates("Kobani") == (OFFLINE_KOBANI, other)
    assert offline.candidates("Kobani", countries=("sy",)) == (OFFLINE_KOBANI,)
    assert offline.candidates("Nowhere") == ()


def test_a_timing_out_nominatim_falls_back_to_offline_and_keeps_nothing(server, clock, tmp_path):
    server.always(HANG)
    gazetteer = StubGazetteer({"Kobani": (OFFLINE_KOBANI,)})
    store = GeocodeCache(tmp_path / "c.sqlite")
    geocoder = FallbackGeocoder(
        CachedGeocoder(nominatim(server, clock, timeout=0.3), store), OfflineGeocoder(gazetteer)
    )

    with geocoder.recording() as told:
        assert geocoder.candidates("Kobani") == (OFFLINE_KOBANI,)

    assert geocoder.name == "nominatim"
    assert told == ["'Kobani' was placed by the offline gazetteer: Nominatim timed out (3 attempts)"]
    assert rows(tmp_path / "c.sqlite") == []
    assert len(server.requests) == 3


def test_fallback_is_not_asked_when_the_primary_answers(server, clock):
    server.add("Kobani", KOBANI)
    gazetteer = StubGazetteer({"Kobani": (OFFLINE_KOBANI,)})
    geocoder = FallbackGeocoder(nominatim(server, clock), OfflineGeocoder(gazetteer))
    with geocoder.recording() as told:
        assert geocoder.candidates("Kobani")[0].source == "nominatim"
        assert geocoder.candidates("Nowhere") == ()  # "not found" is an answer, not a failure
    assert gazetteer.asked == [] and told == []


def test_fallback_catches_only_geocoder_errors():
    class Broken:
        name = "broken"
        options: dict = {}

        def candidates(self, query, *, countries=()):
            raise ConfigError("misconfigured")

    geocoder = FallbackGeocoder(Broken(), OfflineGeocoder(StubGazetteer({})))
    with pytest.raises(ConfigError):
        geocoder.candidates("Kobani")
    assert not issubclass(ConfigError, GeocoderError)


# --- make_geocoder ------------------------------------------------------------


def test_make_offline():
    gazetteer = StubGazetteer({"Kobani": (OFFLINE_KOBANI,)})
    geocoder = make_geocoder("offline", offline=gazetteer)
    assert isinstance(geocoder, OfflineGeocoder)
    assert geocoder.candidates("Kobani") == (OFFLINE_KOBANI,)


def test_make_nominatim_at_a_self_hosted_url_is_cached_with_offline_fallback(server, tmp_path):
    server.add("Kobani", KOBANI)
    path = tmp_path / "geocode.sqlite"
    geocoder = make_geocoder("nominatim", offline=StubGazetteer({}), cache_path=path,
                             user_agent="self-hosted-test/1", url=server.url + "/")
    assert isinstance(geocoder, FallbackGeocoder) and geocoder.name == "nominatim"
    assert geocoder.candidates("Kobani")[0].id == "nominatim:node:1"
    assert geocoder.candidates("kobani")[0].id == "nominatim:node:1"
    assert [r.user_agent for r in server.requests] == ["self-hosted-test/1"]
    assert len(rows(path)) == 1


def test_make_nominatim_with_a_cache_that_cannot_be_opened_runs_uncached_and_says_so(server, tmp_path):
    server.add("Kobani", KOBANI)
    (tmp_path / "file").write_text("")  # a regular file where a folder belongs: no one can write under it
    geocoder = make_geocoder("nominatim", offline=StubGazetteer({}), cache_path=tmp_path / "file" / "c.sqlite",
                             user_agent="uncached-test/1", url=server.url)
    with geocoder.recording() as told:
        assert geocoder.candidates("Kobani")[0].id == "nominatim:node:1"
        assert geocoder.candidates("Kobani")[0].id == "nominatim:node:1"
    assert len(server.requests) == 2  # nothing kept, so asked again
    cache, throttle = told  # each once; the throttle file cannot be made there either
    assert "cannot open the geocoder cache" in cache and "running without the cache" in cache
    assert "asked of Nominatim again" in cache
    assert throttle.startswith("cannot use the throttle file") and "paced in this process only" in throttle


def test_a_store_that_fails_is_told_in_the_analysis_and_the_answer_still_given(server, clock, tmp_path):
    server.add("Kobani", KOBANI)
    store = GeocodeCache(tmp_path / "c.sqlite")
    store.close()  # every use now fails inside sqlite3, as a full disk's writes do
    cached = CachedGeocoder(nominatim(server, clock), store)
    with cached.recording() as told:
        assert cached.candidates("Kobani")[0].name == "Kobani"
    assert any("the answer was not kept" in n for n in told) and all("geocoder cache" in n for n in told), told


def test_make_nominatim_defaults_to_the_public_server_over_https(tmp_path):
    geocoder = make_geocoder("nominatim", offline=StubGazetteer({}), cache_path=tmp_path / "c.sqlite")
    key = json.loads(geocoder.primary.key("Kobani"))
    assert key[1]["url"] == "https://nominatim.openstreetmap.org/search"


def test_make_rejects_an_unknown_kind_naming_the_valid_ones():
    with pytest.raises(ConfigError, match=r"'google'.*offline, nominatim"):
        make_geocoder("google", offline=StubGazetteer({}))


@pytest.mark.parametrize("url", ["ftp://example.org", "127.0.0.1:8080", "http://"])
def test_make_rejects_a_url_it_cannot_use(url, tmp_path):
    with pytest.raises(ConfigError, match="http"):
        make_geocoder("nominatim", offline=StubGazetteer({}), cache_path=tmp_path / "c.sqlite", url=url)


# --- the package's boundary ---------------------------------------------------------


def imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) of every import statement in a file; names are () for `import x`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


SOURCES = sorted([*(config.REPO_ROOT / "geo").rglob("*.py"), config.REPO_ROOT / "dashboard.py"])


def test_only_the_geocoding_package_imports_geopy():
    package = config.REPO_ROOT / "geo" / "geocoding"
    outside = [f"{path.relative_to(config.REPO_ROOT)}: {module}" for path in SOURCES if package not in path.parents
               for module, _ in imports(path) if module.split(".")[0] == "geopy"]
    assert outside == []
    assert any(m.startswith("geopy") for m, _ in imports(package / "services.py"))  # the scan does see them


def test_no_private_name_of_the_geocoding_package_is_imported_from_another_module():
    private = [f"{path.relative_to(config.REPO_ROOT)}: {module}.{name}" for path in SOURCES
               for module, names in imports(path) if module.startswith("geo.geocoding")
               for name in names if name.startswith("_")]
    assert private == []


def test_the_package_exports_its_public_api():
    import geo.geocoding as package

    assert set(package.__all__) >= {"Geocoder", "GazetteerLike", "make_geocoder", "GEOCODER_KINDS",
                                    "OfflineGeocoder", "NominatimGeocoder", "CachedGeocoder", "FallbackGeocoder"}
    assert all(hasattr(package, name) for name in package.__all__)


class OnlyTheProtocol:
    """The real gazetteer, of which only GazetteerLike's members can be asked: anything else raises."""

    MEMBERS = frozenset(name for name in vars(GazetteerLike) if not name.startswith("_"))

    def __init__(self, real):
        self._real = real
        self.asked: set[str] = set()

    def __getattr__(self, name):
        if name not in self.MEMBERS:
            raise AttributeError(f"{name!r} is asked of the gazetteer but is not in GazetteerLike")
        self.asked.add(name)
        return getattr(self._real, name)


def test_gazetteer_like_is_all_that_an_analysis_its_regions_and_corrections_ask_of_the_gazetteer(nlp, gazetteer):
    from geo.geocoding.corrections import candidates_for
    from geo.geography.regions import regions_for
    from geo.pipeline import Resources, analyse_text

    strict = OnlyTheProtocol(gazetteer)
    resources = Resources(nlp, strict, OfflineGeocoder(strict), demonyms=True)
    text = config.SAMPLE_PATH.read_text(encoding="utf-8") + " French and Turkish officials met in Europe."
    analysis = analyse_text(text, resources, "sample")
    regions_for(analysis, strict.region_members)
    candidates_for(analysis.places[0], strict)
    assert strict.asked == OnlyTheProtocol.MEMBERS  # each member is used, none is missing
