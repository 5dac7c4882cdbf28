"""A failing Nominatim never fails an analysis: the offline gazetteer answers, the user is told,
nothing faulty is kept, and the usage policy holds however many sessions or processes ask.

Nominatim here is tests/fake_nominatim.py, a local server that speaks the real
protocol and misbehaves on request. Time is a fake clock wherever waiting is
not itself the evidence; the rate tests use real time and the server's own
arrival times.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_nominatim import (
    EMPTY,
    FOREIGN,
    GARBAGE,
    HANG,
    SERVER_ERROR,
    FakeClock,
    FakeNominatim,
    drip,
    place,
    rate_limited,
    raw,
)
from geo import config
from geo.errors import ConfigError, GeocoderError, GeocoderRateLimited, GeocoderUnavailable
from geo.geocoding.cache import GeocodeCache
from geo.geocoding import (
    THROTTLE_FILE,
    CachedGeocoder,
    CircuitBreaker,
    FallbackGeocoder,
    FileThrottle,
    NominatimGeocoder,
    OfflineGeocoder,
    make_geocoder,
)
from geo.geocoding.notices import recording
from geo.model import KINDS, Candidate, Document
from geo.pipeline import Resources, analyse, analyse_text, iter_analyses

TRIP = "In May 2019 Anna Schmidt flew from Munich to Lisbon, then drove to Porto and took a train to Madrid."
TRIP_PLACES = ("Munich", "Lisbon", "Porto", "Madrid")
OFFLINE_PARIS = Candidate("Paris", 48.85, 2.35, "city", "FR", 2_138_551, source="geonames", id="geonames:2988507")


def rows(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT key, value FROM answers").fetchall()


def nominatim_on(server: FakeNominatim, clock: FakeClock, **options) -> NominatimGeocoder:
    return NominatimGeocoder(domain=urlsplit(server.url).netloc, scheme="http",
                             clock=clock, sleep=clock.sleep, **options)


class Stub:
    """A primary geocoder that answers from a script: a Candidate tuple, or an error to raise."""

    name = "stub"
    options: dict = {}

    def __init__(self, *script):
        self.script = list(script)
        self.asked: list[str] = []

    def candidates(self, query, *, countries=()):
        self.asked.append(query)
        answer = self.script.pop(0) if self.script else ()
        if isinstance(answer, BaseException):
            raise answer
        return answer


class Table:
    """The offline side: a geocoder, or (through `lookup`) a gazetteer stand-in, name -> candidates."""

    name = "offline"

    def __init__(self, table=None):
        self.table = table or {}

    def candidates(self, query, *, countries=()):
        return self.table.get(query, ())

    def lookup(self, name):
        return self.table.get(name, ())


# --- the circuit breaker ------------------------------------------------------


def test_after_two_failures_in_a_row_the_primary_is_left_alone_until_the_cooldown_ends():
    clock = FakeClock()
    down = GeocoderUnavailable("Nominatim failed (HTTP 500, 3 attempts)")
    primary = Stub(down, down, (OFFLINE_PARIS,))
    geocoder = FallbackGeocoder(primary, Table({"Paris": (OFFLINE_PARIS,)}),
                                breaker=CircuitBreaker(threshold=2, cooldown=60, clock=clock))

    with geocoder.recording() as told:
        for name in ("a", "b", "c", "d"):
            geocoder.candidates(name)
    assert primary.asked == ["a", "b"]  # c and d cost no timeout
    assert [n.split("'")[1] for n in told] == ["a", "b", "c", "d"]
    assert told[0] == "'a' was placed by the offline gazetteer: Nominatim failed (HTTP 500, 3 attempts)"
    assert "not asked" in told[2] and "asking again in 60 s" in told[2]

    clock.now += 60  # the cooldown is over: one trial goes through, and its success closes the breaker
    assert geocoder.candidates("Paris") == (OFFLINE_PARIS,)
    assert primary.asked == ["a", "b", "Paris"] and not geocoder.breaker.is_open
    geocoder.candidates("e")
    assert primary.asked[-1] == "e"


def test_a_failed_trial_opens_the_breaker_again_at_once():
    clock = FakeClock()
    down = GeocoderUnavailable("down")
    primary = Stub(down, down, down)
    geocoder = FallbackGeocoder(primary, Table(), breaker=CircuitBreaker(threshold=2, cooldown=30, clock=clock))
    with geocoder.recording():  # the user is told of each fallback (tested elsewhere)
        geocoder.candidates("a")
        geocoder.candidates("b")
        clock.now += 30
        geocoder.candidates("trial")
        geocoder.candidates("after")
        assert primary.asked == ["a", "b", "trial"]
        clock.now += 29
        geocoder.candidates("still")
        assert primary.asked == ["a", "b", "trial"]


def test_only_failures_in_a_row_open_the_breaker():
    down = GeocoderUnavailable("down")
    primary = Stub(down, (OFFLINE_PARIS,), down, (), down)
    geocoder = FallbackGeocoder(primary, Table(), breaker=CircuitBreaker(threshold=2, cooldown=60, clock=FakeClock()))
    with geocoder.recording():  # the user is told of each fallback (tested elsewhere)
        for name in "abcde":
            geocoder.candidates(name)
        assert primary.asked == list("abcde")


def test_a_429_keeps_the_breaker_open_as_long_as_the_server_asked():
    clock = FakeClock()
    primary = Stub(GeocoderRateLimited("too many requests", retry_after=300))
    geocoder = FallbackGeocoder(primary, Table(), breaker=CircuitBreaker(threshold=5, cooldown=60, clock=clock))
    with geocoder.recording():  # the user is told of each fallback (tested elsewhere)
        geocoder.candidates("a")  # one refusal is enough: the server said when to come back
        clock.now += 299
        geocoder.candidates("b")
        assert primary.asked == ["a"]
        clock.now += 1
        geocoder.candidates("c")
        assert primary.asked == ["a", "c"]


def test_stored_answers_are_still_used_while_the_breaker_is_open(tmp_path):
    store = GeocodeCache(tmp_path / "c.sqlite")
    down = GeocoderUnavailable("down")
    primary = CachedGeocoder(Stub(down, down), store)
    store.put(primary.key("Kobani"), (Candidate("Kobani", 36.89, 38.35, "city", "SY", source="nominatim"),))
    geocoder = FallbackGeocoder(primary, Table(), breaker=CircuitBreaker(threshold=2, cooldown=60, clock=FakeClock()))
    with geocoder.recording() as told:
        geocoder.candidates("a")
        geocoder.candidates("b")
        assert geocoder.breaker.is_open
        assert geocoder.candidates("Kobani")[0].source == "nominatim"
    assert [n.split("'")[1] for n in told] == ["a", "b"]


def test_an_unexpected_error_in_the_trial_does_not_jam_the_breaker():
    clock = FakeClock()
    down = GeocoderUnavailable("down")
    primary = Stub(down, down, ConfigError("a bug"), (OFFLINE_PARIS,))
    geocoder = FallbackGeocoder(primary, Table(), breaker=CircuitBreaker(threshold=2, cooldown=10, clock=clock))
    with geocoder.recording():  # the user is told of each fallback (tested elsewhere)
        geocoder.candidates("a")
        geocoder.candidates("b")
        clock.now += 10
        with pytest.raises(ConfigError):
            geocoder.candidates("trial")
        assert geocoder.candidates("next") == (OFFLINE_PARIS,)  # a new trial, not "open" forever


def test_a_fallback_outside_any_recording_is_a_warning_never_silent():
    geocoder = FallbackGeocoder(Stub(GeocoderUnavailable("down")), Table({"Paris": (OFFLINE_PARIS,)}))
    with pytest.warns(RuntimeWarning, match="'Paris' was placed by the offline gazetteer: down"):
        assert geocoder.candidates("Paris") == (OFFLINE_PARIS,)


@pytest.mark.parametrize("threshold,cooldown", [(0, 60), (2, -1), (2, float("nan"))])
def test_a_breaker_that_cannot_work_is_refused(threshold, cooldown):
    with pytest.raises(ConfigError, match="threshold"):
        CircuitBreaker(threshold, cooldown)


def test_a_name_the_primary_does_not_know_is_asked_of_the_fallback_when_told_to():
    quiet = FallbackGeocoder(Stub(()), Table({"Paris": (OFFLINE_PARIS,)}))
    assert quiet.candidates("Paris") == ()  # the default: "not found" is the primary's answer
    asking = FallbackGeocoder(Stub((), ()), Table({"Paris": (OFFLINE_PARIS,)}), when_not_found=True)
    with asking.recording() as told:
        assert asking.candidates("Paris") == (OFFLINE_PARIS,)
        assert asking.candidates("Nowhere") == ()
    assert told == ["'Paris' was placed by the offline gazetteer: Stub does not know this name"]


def test_recording_collects_one_threads_fallbacks_only():
    geocoder = FallbackGeocoder(Stub(*[GeocoderUnavailable("down")] * 10), Table(),
                                breaker=CircuitBreaker(threshold=100, clock=FakeClock()))
    seen = {}
    ready = threading.Barrier(2)

    def session(name):
        with geocoder.recording() as mine:
            ready.wait()
            for i in range(3):
                geocoder.candidates(f"{name}{i}")
        seen[name] = [n.split("'")[1] for n in mine]

    threads = [threading.Thread(target=session, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"x": ["x0", "x1", "x2"], "y": ["y0", "y1", "y2"]}


# --- whole analyses against a misbehaving Nominatim ------------------------------

FAULTS = {
    "timeout": HANG,
    "slow drip": drip(0.05),  # a byte each 0.05 s: never a read timeout of 0.2 s, a reply of 4 s
    "429 with Retry-After": rate_limited(retry_after="2"),
    "500": SERVER_ERROR,
    "malformed JSON": GARBAGE,
    "JSON of another shape": FOREIGN,
    "empty list": EMPTY,
}


@pytest.fixture(scope="module")
def offline_trip(resources):
    return analyse_text(TRIP, resources, "trip")


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_an_analysis_with_a_failing_nominatim_is_finished_by_the_gazetteer(resources, offline_trip, tmp_path, fault):
    clock = FakeClock()
    with FakeNominatim(clock=clock) as server:
        server.always(fault)
        store = GeocodeCache(tmp_path / "geocode.sqlite")
        geocoder = FallbackGeocoder(
            CachedGeocoder(nominatim_on(server, clock, timeout=0.2), store),
            OfflineGeocoder(resources.gazetteer),
            breaker=CircuitBreaker(clock=clock),
            when_not_found=True,
        )
        online = Resources(resources.nlp, resources.gazetteer, geocoder)

        analysis = analyse_text(TRIP, online, "trip")

        asked = list(server.requests)
    # Finished, and every place where the offline gazetteer puts it.
    assert [p.mention.text for p in analysis.places] == list(TRIP_PLACES)
    assert [p.chosen for p in analysis.places] == [p.chosen for p in offline_trip.places]
    assert {p.geocoder for p in analysis.places} == {"offline"}  # what answered, not what was asked
    # The user is told, name by name.
    for name in TRIP_PLACES:
        assert any(n.startswith(f"'{name}' was placed by the offline gazetteer") for n in analysis.notices), name
    # Nothing faulty kept: an error is never stored; "nothing found" is an answer, stored as such.
    stored = rows(tmp_path / "geocode.sqlite")
    if fault is EMPTY:
        assert len(stored) == len(TRIP_PLACES) and all(json.loads(v) == [] for _, v in stored)
    else:
        assert stored == []
        # A dead service costs two names' worth of attempts (one for a 429), not one per name.
        assert len({r.params["q"] for r in asked}) == (1 if fault.kind == "429" else 2)
    # The policy held on the wire: a second between requests, longer when the server asked.
    gaps = [b.time - a.time for a, b in zip(asked, asked[1:])]
    assert all(gap >= (2.0 if fault.kind == "429" else 1.0) for gap in gaps), gaps


def test_the_notices_of_an_analysis_are_about_that_analysis_only(resources):
    geocoder = FallbackGeocoder(Stub(*[GeocoderUnavailable("down")] * 20), OfflineGeocoder(resources.gazetteer),
                                breaker=CircuitBreaker(threshold=100, clock=FakeClock()))
    online = Resources(resources.nlp, resources.gazetteer, geocoder)
    analyse_text("Anna Schmidt flew from Munich to Lisbon.", online, "first")
    second = analyse_text("Omar Khalil drove from Porto to Madrid.", online, "second")
    assert not any("Munich" in n or "Lisbon" in n for n in second.notices), second.notices


def test_each_document_of_a_corpus_carries_the_notices_of_its_own_names(resources, tmp_path):
    with FakeNominatim() as gone:
        url = gone.url  # nothing listens there any more: every request is refused
    geocoder = make_geocoder("nominatim", offline=resources.gazetteer, cache_path=tmp_path / "geocode.sqlite",
                             user_agent="faults-test/1", url=url)
    online = Resources(resources.nlp, resources.gazetteer, geocoder)
    documents = [Document("first", "Anna Schmidt flew from Munich to Lisbon."),
                 Document("second", "Omar Khalil drove from Porto to Madrid.")]

    first, second = iter_analyses(documents, online)

    assert [n.split("'")[1] for n in first.notices] == ["Munich", "Lisbon"], first.notices
    assert [n.split("'")[1] for n in second.notices] == ["Porto", "Madrid"], second.notices
    assert all(n.startswith(f"'{n.split(chr(39))[1]}' was placed by the offline gazetteer: Nominatim failed")
               for n in first.notices)
    assert all("not asked, after 2 failures in a row" in n for n in second.notices)  # the breaker spared them
    assert {p.geocoder for p in first.places + second.places} == {"offline"}
    corpus = analyse(documents, online)  # a corpus's notices are its documents', each once
    assert [n.split("'")[1] for n in corpus.notices] == ["Munich", "Lisbon", "Porto", "Madrid"]


class Rendezvous:
    """A primary that fails, each time only once another thread has asked too: the analyses overlap."""

    name = "nominatim"
    options: dict = {}

    def __init__(self, parties: int):
        self.barrier = threading.Barrier(parties, timeout=3)

    def candidates(self, query, *, countries=()):
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:  # never a deadlock, whatever the pipeline asks
            pass
        raise GeocoderUnavailable("down")


def test_sessions_analysing_at_once_are_each_told_of_their_own_names_only(resources):
    geocoder = FallbackGeocoder(Rendezvous(2), OfflineGeocoder(resources.gazetteer),
                                breaker=CircuitBreaker(threshold=100, clock=FakeClock()))
    shared = Resources(resources.nlp, resources.gazetteer, geocoder)  # as the dashboard shares its resources
    texts = {"a": "Anna Schmidt flew from Munich to Lisbon.", "b": "Omar Khalil drove from Porto to Madrid."}
    notices = {}

    def session(key):
        notices[key] = analyse_text(texts[key], shared, key).notices

    threads = [threading.Thread(target=session, args=(k,)) for k in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [n.split("'")[1] for n in notices["a"]] == ["Munich", "Lisbon"], notices["a"]
    assert [n.split("'")[1] for n in notices["b"]] == ["Porto", "Madrid"], notices["b"]


# --- the usage policy across sessions and processes, in real time ------------------


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from geo.geocoding import make_geocoder

    class NoGazetteer:
        def lookup(self, name):
            return ()

    cache, url, name, start = Path(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    geocoder = make_geocoder("nominatim", offline=NoGazetteer(), cache_path=cache, user_agent="faults-test/1",
                             url=url)
    time.sleep(max(0.0, start - time.time()))  # every session asks at the same moment
    geocoder.candidates(name)
""")


def test_sessions_and_processes_asking_at_once_never_exceed_one_request_a_second(tmp_path):
    """Dashboard sessions are threads of one process sharing the app's geocoder; a CLI run
    beside them is another process, with its own. They share the throttle file beside the
    cache. The first request is refused with a 429, and retried."""
    cache = tmp_path / "geocode.sqlite"
    with FakeNominatim() as server:
        server.queue(rate_limited(retry_after="1"))
        start = time.time() + 0.8  # once the other interpreter has started
        cli = subprocess.Popen([sys.executable, "-c", CHILD, str(cache), server.url, "Madrid", str(start)],
                               cwd=config.REPO_ROOT, stderr=subprocess.PIPE, text=True)
        shared = make_geocoder("nominatim", offline=Table(), cache_path=cache, user_agent="faults-test/1",
                               url=server.url)

        def session(geocoder, name):
            time.sleep(max(0.0, start - time.time()))
            geocoder.candidates(name)

        threads = [threading.Thread(target=session, args=(g, n))
                   for g, n in ((shared, "Munich"), (shared, "Lisbon"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _, cli_errors = cli.communicate(timeout=60)
    assert cli.returncode == 0, cli_errors
    refused = server.requests[0].params["q"]  # asked again after its Retry-After
    assert sorted(r.params["q"] for r in server.requests) == sorted(["Lisbon", "Madrid", "Munich", refused])
    times = sorted(r.time for r in server.requests)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.95, gaps
    assert (tmp_path / THROTTLE_FILE).exists()


def test_the_throttle_file_paces_instances_that_share_it(tmp_path):
    clock = FakeClock(now=1_700_000_000.0)
    path = tmp_path / "t"
    first, second = (FileThrottle(path, clock=clock, sleep=clock.sleep) for _ in range(2))
    first.wait()
    second.wait()
    clock.now += 5
    first.wait()
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("content", [b"garbage\x00\xff", b"", b"1e999", b"nan"])
def test_a_torn_or_foreign_throttle_file_is_not_an_error(tmp_path, content):
    clock = FakeClock(now=1_700_000_000.0)
    (tmp_path / "t").write_bytes(content)
    FileThrottle(tmp_path / "t", clock=clock, sleep=clock.sleep).wait()
    FileThrottle(tmp_path / "t", clock=clock, sleep=clock.sleep).wait()
    assert all(s <= 1.0 for s in clock.sleeps)


def test_a_clock_set_back_never_stalls_a_request_for_more_than_the_gap(tmp_path):
    clock = FakeClock(now=1_700_000_000.0)
    (tmp_path / "t").write_text(f"{clock.now + 3600:.6f}")  # written by a clock an hour ahead
    FileThrottle(tmp_path / "t", clock=clock, sleep=clock.sleep).wait()
    assert clock.sleeps == [1.0]


def test_an_unusable_throttle_file_paces_in_process_only_and_says_so(tmp_path):
    (tmp_path / "file").write_text("")
    throttle = FileThrottle(tmp_path / "file" / "t")
    with recording() as told:
        throttle.wait()
        throttle.wait()
    assert len(told) == 1 and told[0].endswith("requests are paced in this process only"), told  # once
    with pytest.warns(RuntimeWarning, match="in this process only"):  # outside an analysis
        throttle.wait()


# --- whatever Nominatim answers, a GeocoderError or well-formed candidates --------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ("lat", "lon", "name", "display_name", "address", "extratags", "importance", "type", "addresstype",
          "osm_type", "osm_id", "place_id")
RESULT = st.fixed_dictionaries(
    {"lat": st.one_of(st.floats(-90, 90).map(str), JSON), "lon": st.one_of(st.floats(-180, 180).map(str), JSON),
     "display_name": st.one_of(st.text(max_size=20), JSON)},
    optional={f: JSON for f in FIELDS[2:] if f != "display_name"} | {
        "address": st.dictionaries(st.sampled_from(["country_code", "state", "province"]), JSON, max_size=3),
        "extratags": st.dictionaries(st.just("population"), JSON, max_size=1),
    },
)


@pytest.fixture(scope="module")
def fuzzed():
    clock = FakeClock()
    with FakeNominatim() as server:
        yield server, nominatim_on(server, clock, retries=0)


@settings(max_examples=100, deadline=None)
@given(body=st.one_of(JSON, st.lists(RESULT, max_size=3)), status=st.sampled_from([200, 200, 200, 404, 503]))
def test_any_answer_is_candidates_or_a_geocoder_error(fuzzed, body, status):
    server, geocoder = fuzzed
    server.always(raw(json.dumps(body).encode(), status))
    try:
        found = geocoder.candidates("anywhere")
    except GeocoderError:
        return
    for c in found:
        assert isinstance(c.name, str) and c.name
        assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180
        assert c.kind in KINDS
        assert c.country is None or (isinstance(c.country, str) and len(c.country) == 2)
        assert c.admin1 is None or isinstance(c.admin1, str)
        assert isinstance(c.population, int) and 0 <= c.population <= 10**10
    assert [c.population for c in found] == sorted((c.population for c in found), reverse=True)


# --- the command line, with a failing Nominatim and a corrupt cache ---------------------


def test_cli_with_a_failing_nominatim_and_a_corrupt_cache_finishes_and_says_why(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(config.gazetteer_path())
    (cache / "geocode.sqlite").write_bytes(b"not a database\x00" * 100)
    trip = tmp_path / "trip.txt"
    trip.write_text(TRIP, encoding="utf-8")
    with FakeNominatim() as server:
        server.always(GARBAGE)
        r = subprocess.run(
            [sys.executable, "-m", "geo", "export", str(trip), "--out", str(tmp_path / "out"),
             "--geocoder", "nominatim", "--geocoder-url", server.url, "--user-agent", "faults-test/1"],
            capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=120,
            env={**os.environ, "GEO_CACHE_DIR": str(cache)},
        )
        asked = len(server.requests)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "corrupt" in r.stderr and len(list(cache.glob("geocode.sqlite.corrupt-*"))) == 1
    notes = [line for line in r.stderr.splitlines() if line.startswith("note: ")]
    for name in TRIP_PLACES:
        assert any(f"'{name}' was placed by the offline gazetteer" in line for line in notes), r.stderr
    assert asked == 2  # then the breaker spared the other names
    data = json.loads((tmp_path / "out" / "trip.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["place"] for f in data["features"] if f["geometry"]["type"] == "Point"} >= set(TRIP_PLACES)
    assert rows(cache / "geocode.sqlite") == []


def test_cli_tells_each_documents_fallbacks_once(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(config.gazetteer_path())
    texts = {"first": "Anna Schmidt flew from Munich to Lisbon.", "second": "Anna Schmidt drove from Lisbon to Porto."}
    for stem, text in texts.items():
        (tmp_path / f"{stem}.txt").write_text(text, encoding="utf-8")
    with FakeNominatim() as gone:
        url = gone.url  # a dead server
    r = subprocess.run(
        [sys.executable, "-m", "geo", "export", str(tmp_path / "first.txt"), str(tmp_path / "second.txt"),
         "--out", str(tmp_path / "out"), "--geocoder", "nominatim", "--geocoder-url", url,
         "--user-agent", "faults-test/1"],
        capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=120,
        env={**os.environ, "GEO_CACHE_DIR": str(cache)},
    )
    assert r.returncode == 0, r.stderr
    notes = [line.split("\r")[-1] for line in r.stderr.splitlines() if "note: " in line]
    fell_back = [n for n in notes if "was placed by the offline gazetteer" in n]
    assert len(fell_back) == len(set(fell_back)), r.stderr  # once each
    # Lisbon twice: failed in the first document, then not asked in the second (another reason).
    assert sorted(n.split("'")[1] for n in fell_back) == ["Lisbon", "Lisbon", "Munich", "Porto"], r.stderr



@pytest.fixture
def unusable_cache_folder(tmp_path):
    """A cache folder that holds the gazetteer but where no geocoder cache can be made.

    Read-only; where that does not stop writes (tests run as root), the cache
    file's path also goes through a regular file, which stops everyone.
    """
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(config.gazetteer_path())
    cache.chmod(0o555)
    try:
        (cache / "probe").touch()
    except PermissionError:
        pass
    else:
        (cache / "probe").unlink()
        (tmp_path / "file").write_text("")
        (cache / "geocode.sqlite").symlink_to(tmp_path / "file" / "geocode.sqlite")
    yield cache
    cache.chmod(0o755)


def test_cli_with_an_unusable_cache_folder_runs_uncached_and_says_so_once(tmp_path, unusable_cache_folder):
    trip = tmp_path / "trip.txt"
    trip.write_text(TRIP, encoding="utf-8")
    with FakeNominatim() as server:
        for name, lat, lon, cc in (("Munich", 48.14, 11.58, "de"), ("Lisbon", 38.72, -9.14, "pt"),
                                   ("Porto", 41.15, -8.61, "pt"), ("Madrid", 40.42, -3.70, "es")):
            server.add(name, place(name, lat, lon, country_code=cc, importance=0.7))
        r = subprocess.run(
            [sys.executable, "-m", "geo", "export", str(trip), "--out", str(tmp_path / "out"),
             "--geocoder", "nominatim", "--geocoder-url", server.url, "--user-agent", "faults-test/1"],
            capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=120,
            env={**os.environ, "GEO_CACHE_DIR": str(unusable_cache_folder)},
        )
        asked = sorted(r.params["q"] for r in server.requests)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    told = [line for line in r.stderr.splitlines() if "running without the cache" in line]
    assert len(told) == 1 and told[0].startswith("note: ") and "Nominatim" in told[0], r.stderr
    assert asked == sorted(TRIP_PLACES)
    data = json.loads((tmp_path / "out" / "trip.geojson").read_text(encoding="utf-8"))
    placed = {f["properties"]["place"]: f["properties"]["geocoder"] for f in data["features"]
              if f["geometry"]["type"] == "Point"}
    assert {placed[name] for name in TRIP_PLACES} == {"nominatim"}  # Nominatim's answers, though none was kept
