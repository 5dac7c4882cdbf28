"""Geocoders: a place name -> every place it could be, best first.

`Geocoder` is the interface resolve.py codes against. OfflineGeocoder asks
the embedded gazetteer; NominatimGeocoder, PhotonGeocoder and PeliasGeocoder
ask those services through geopy, sharing one path for pacing, retries and
error translation (they differ in the geopy class, its query options and how
a result becomes a Candidate). Two wrappers compose them the way geopy
composes RateLimiter: CachedGeocoder (any geocoder + a store) and
FallbackGeocoder (a primary, and a fallback for when it fails, with a
CircuitBreaker that stops asking a primary that keeps failing).
`make_geocoder` builds the usual stacks from settings.

Each service gets one request a second (Nominatim's usage policy; fair use
of a public Photon), across threads (one RateLimiter per service per
process) and across processes (FileThrottle, a locked file per service
beside the cache).

"Not found" is an empty tuple. A failing service raises a GeocoderError
subclass; geopy's own errors never leave this module, and whatever JSON a
server answers becomes well-formed Candidates or a GeocoderError.
"""

from __future__ import annotations

import contextvars
import ipaddress
import json
import math
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import geopy.exc
import geopy.geocoders
import pycountry
from geopy.adapters import RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from geo import config
from geo.errors import (
    CacheError,
    ConfigError,
    GeocoderError,
    GeocoderRateLimited,
    GeocoderTimeout,
    GeocoderUnavailable,
)
from geo.geocoding.cache import GeocodeCache
from geo.model import Candidate
from geo.names import fold

try:  # POSIX: the throttle file is locked with flock; elsewhere the throttle is per process
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

GEOCODER_KINDS = ("offline", "nominatim", "photon", "pelias")
NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
PHOTON_URL = "https://photon.komoot.io"
PELIAS_API_KEY_ENV = "GEO_PELIAS_API_KEY"
MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy, and fair use elsewhere: one request per second per service
THROTTLE_FILE = "nominatim.throttle"  # beside the cache: the time of the last request, for every process
THROTTLE_FILES = {"nominatim": THROTTLE_FILE, "photon": "photon.throttle", "pelias": "pelias.throttle"}
COUNTRY_FILTER_LIMIT = 20  # results asked of Photon, which cannot filter by country, when countries are given
BREAKER_THRESHOLD = 2  # names in a row that the primary failed on before it is left alone...
BREAKER_COOLDOWN_SECONDS = 60.0  # ...for this long
MAX_POPULATION = 10**10  # more than anywhere has: a bigger number in an answer is garbage
LIMIT = 5
LANGUAGE = "en"


class Geocoder(Protocol):
    name: str  # "offline", "nominatim", ...

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        """Every place `query` could be, best first; () when nothing is found.

        `countries` (ISO 3166-1 alpha-2) restricts the answer to those countries.
        Raises a GeocoderError subclass when the service fails.
        """
        ...


class Gazetteer(Protocol):
    def lookup(self, name: str) -> tuple[Candidate, ...]: ...


# --- offline ------------------------------------------------------------


class OfflineGeocoder:
    name = "offline"

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        wanted = set(_country_codes(countries))
        found = self.gazetteer.lookup(query)
        return tuple(c for c in found if not wanted or c.country in wanted)


# --- online geocoders through geopy ----------------------------------------


class _GeopyGeocoder:
    """What every online geocoder shares: pacing, retries and error translation.

    A subclass says which geopy class it drives (`_client`), with which query
    options (`_query`), and how its results become Candidates (`_convert`).
    At most one request a second per service across the whole process, and
    across processes too when `throttle_path` names a file that they share
    (see `FileThrottle`); a timeout, 5xx or 429 is retried `retries` times
    with exponential backoff (a 429's Retry-After is honoured, or the call
    gives up at once when the server asks for more than `max_retry_after`
    seconds). `clock` and `sleep` are replaceable, as in geopy, so tests
    need not wait.
    """

    name = ""  # "nominatim", "photon", "pelias": the cache and the rate limit key on it
    label = ""  # how messages name the service
    answer_shape = "a list of places"  # what geopy's parser expects, for the error message

    def __init__(
        self,
        *,
        timeout: float,
        retries: int,
        backoff: float,
        max_retry_after: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        throttle_path: Path | str | None,
    ):
        if not timeout > 0:
            raise ConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._limiter = _process_limiter(self.name, clock, sleep)
        self._throttle = FileThrottle(throttle_path) if throttle_path is not None else None
        self._secrets: tuple[str, ...] = ()  # never in a message (an API key in a URL)
        self._geopy: Any = None  # set by the subclass
        # Everything besides the query that changes the answer: the cache keys on it.
        self.options: dict[str, Any] = {}

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        codes = _country_codes(countries)
        if not fold(query):
            return ()
        return self._convert(self._search(query, codes), query, codes)

    # --- what differs between services --------------------------------------

    def _query(self, codes: tuple[str, ...]) -> dict[str, Any]:
        """geopy's geocode() keyword arguments besides the query."""
        raise NotImplementedError

    def _convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        raise NotImplementedError

    # --- the shared path ------------------------------------------------------

    def _search(self, query: str, codes: tuple[str, ...]) -> list[Location]:
        attempt = 0
        while True:
            try:
                return self._search_once(query, codes)
            except geopy.exc.GeopyError as err:
                wait = self._wait_before_retry(err, attempt)
                if wait is None:
                    raise _translate(err, attempts=attempt + 1, service=self.label, secrets=self._secrets) from err
            self._sleep(wait)
            attempt += 1

    def _search_once(self, query: str, codes: tuple[str, ...]) -> list[Location]:
        try:
            found = self._limiter(self._geocode, query, exactly_one=False, **self._query(codes))
        except geopy.exc.GeopyError:
            raise
        except (AttributeError, TypeError, ValueError, LookupError) as err:
            # geopy's parsers assume their service's JSON; other JSON breaks them with these.
            message = _redacted(f"{self.label} answered JSON that is not {self.answer_shape}: {err}", self._secrets)
            raise GeocoderUnavailable(message) from err
        return found or []  # geopy says "nothing found" with None

    def _geocode(self, *args: Any, **kwargs: Any) -> Any:
        """geopy's call, once this process's throttle and then every process's have let it through."""
        if self._throttle is not None:
            self._throttle.wait()
        return self._geopy.geocode(*args, **kwargs)

    def _wait_before_retry(self, err: geopy.exc.GeopyError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.retries or not _retryable(err):
            return None
        retry_after = getattr(err, "retry_after", None)
        if retry_after is None:
            return self.backoff * 2**attempt
        # Asking again sooner than the server said would only earn another 429.
        return retry_after if retry_after <= self.max_retry_after else None


class NominatimGeocoder(_GeopyGeocoder):
    """Nominatim through geopy, within its usage policy (see _GeopyGeocoder)."""

    name = "nominatim"
    label = "Nominatim"

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str = NOMINATIM_DOMAIN,
        scheme: str = "https",
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        throttle_path: Path | str | None = None,
    ):
        super().__init__(timeout=timeout, retries=retries, backoff=backoff, max_retry_after=max_retry_after,
                         clock=clock, sleep=sleep, throttle_path=throttle_path)
        self._geopy = _geopy_client(geopy.geocoders.Nominatim, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=timeout)
        self.options = {"url": self._geopy.api, "limit": LIMIT, "language": LANGUAGE, "extratags": True}

    def _query(self, codes: tuple[str, ...]) -> dict[str, Any]:
        return {
            "addressdetails": True,
            "extratags": True,  # for the population
            "limit": LIMIT,
            "language": LANGUAGE,
            "country_codes": [c.lower() for c in codes],
        }

    def _convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        return _to_candidates(locations, query)  # the server has applied the countries


class PhotonGeocoder(_GeopyGeocoder):
    """Photon (komoot's OSM geocoder) through geopy: the public one, or a self-hosted one at `url`.

    Photon cannot filter by country, so with `countries` it is asked for
    more results and they are filtered here. The public server asks for
    fair use: it is paced like Nominatim, one request a second.
    """

    name = "photon"
    label = "Photon"
    answer_shape = "GeoJSON features"

    def __init__(
        self,
        *,
        url: str = PHOTON_URL,
        user_agent: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        throttle_path: Path | str | None = None,
    ):
        super().__init__(timeout=timeout, retries=retries, backoff=backoff, max_retry_after=max_retry_after,
                         clock=clock, sleep=sleep, throttle_path=throttle_path)
        scheme, domain = _parse_url(url, self.label)
        self._geopy = _geopy_client(geopy.geocoders.Photon, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=timeout)
        self.options = {"url": self._geopy.api, "limit": LIMIT, "language": LANGUAGE}

    def _query(self, codes: tuple[str, ...]) -> dict[str, Any]:
        return {"limit": COUNTRY_FILTER_LIMIT if codes else LIMIT, "language": LANGUAGE}

    def _convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        weigh = partial(_feature_population, kind=_photon_kind)
        found = _ranked(locations, weigh, partial(_photon_candidate, query=query))
        return tuple(c for c in found if not codes or c.country in codes)[:LIMIT]


class PeliasGeocoder(_GeopyGeocoder):
    """A Pelias server at `url` through geopy (self-hosted, or a hosted one with an API key).

    The key is `api_key`, else the environment's GEO_PELIAS_API_KEY; it is
    sent with each request but kept out of the cache keys and of every
    error message. Paced at one request a second, like the others.
    """

    name = "pelias"
    label = "Pelias"
    answer_shape = "GeoJSON features"

    def __init__(
        self,
        *,
        url: str,
        api_key: str | None = None,
        user_agent: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        throttle_path: Path | str | None = None,
    ):
        super().__init__(timeout=timeout, retries=retries, backoff=backoff, max_retry_after=max_retry_after,
                         clock=clock, sleep=sleep, throttle_path=throttle_path)
        scheme, domain = _parse_url(url, self.label)
        key = (os.environ.get(PELIAS_API_KEY_ENV, "") if api_key is None else api_key).strip() or None
        self._secrets = (key,) if key else ()
        self._geopy = _geopy_client(geopy.geocoders.Pelias, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=timeout, api_key=key)
        self.options = {"url": self._geopy.geocode_api, "limit": LIMIT, "language": LANGUAGE}

    def _query(self, codes: tuple[str, ...]) -> dict[str, Any]:
        # Pelias takes alpha-2 codes in boundary.country; geopy cannot send `size` (10 by default).
        return {"countries": list(codes) or None, "language": LANGUAGE}

    def _convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        return _ranked(locations[:LIMIT], partial(_feature_population, kind=_pelias_kind),
                       partial(_pelias_candidate, query=query))


def _geopy_client(cls: type, label: str, *, user_agent: str | None, domain: str, scheme: str, timeout: float,
                  **extra: Any) -> Any:
    try:
        return cls(
            user_agent=_checked_user_agent(config.user_agent() if user_agent is None else user_agent),
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            proxies=_proxies_for(domain),
            # geopy's default RequestsAdapter lets urllib3 retry timeouts and 429s twice
            # on its own, on the real clock and past the throttle: every retry must be ours.
            adapter_factory=partial(RequestsAdapter, max_retries=0),
            **extra,
        )
    except geopy.exc.ConfigurationError as err:
        raise ConfigError(f"cannot use {label} at {scheme}://{domain}: {err}") from err


def _checked_user_agent(agent: str) -> str:
    if not agent.strip() or agent.startswith("geopy/"):
        raise ConfigError(
            f"user agent {agent!r} does not name this application, as the services' usage policies "
            "require; set GEO_USER_AGENT to something like 'my-project/1.0 (me@example.org)'"
        )
    return agent


def _proxies_for(domain: str) -> dict[str, str] | None:
    """No proxy for a server on this machine (a proxy cannot reach it); else the system's."""
    host = urlsplit(f"//{domain}").hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name
        loopback = False
    return {} if loopback else None


# --- the process-wide throttle --------------------------------------------

_limiters: dict[tuple[str, Callable[[], float]], RateLimiter] = {}
_limiters_lock = threading.Lock()


def _process_limiter(service: str, clock: Callable[[], float], sleep: Callable[[float], None]) -> RateLimiter:
    """The RateLimiter shared by every geocoder of `service` ("nominatim"...) that runs on `clock`.

    A usage policy binds the client, not one object: the gap between two
    requests must hold across instances and threads, so the limiter (its lock
    and last-request time) lives here rather than in an instance. There is one
    per service and clock (sleeping with the sleep it first came with) because
    services pace independently and times from different clocks cannot be
    compared; outside tests every geocoder runs on time.monotonic, so the
    process has one per service.
    This is the only pacing: retries wait in `_search`, then pass through here,
    which waits only for what is left of the second, so the two never add up.
    """
    with _limiters_lock:
        if (service, clock) not in _limiters:
            _limiters[service, clock] = _ClockedRateLimiter(clock, sleep)
        return _limiters[service, clock]


class _ClockedRateLimiter(RateLimiter):
    """geopy's RateLimiter on a given clock and sleep; errors pass through (we retry)."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]):
        super().__init__(_call, min_delay_seconds=MIN_DELAY_SECONDS, max_retries=0, swallow_exceptions=False)
        self._clock_fn = clock
        self._sleep_fn = sleep

    def _clock(self) -> float:
        return self._clock_fn()

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)


def _call(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


class FileThrottle:
    """One request a second across processes: the time of the last one, in a locked file.

    The dashboard and a CLI run (or two CLI runs) on one machine share a
    Nominatim usage policy, not a process. Each request first takes an
    exclusive `flock` on `path`, waits until `min_delay` after the time
    written there, writes the current time, and lets go. The lock dies with
    its process, so a crash never leaves it held. Times are wall-clock (the
    only clock that processes share); a clock set back never makes a request
    wait more than `min_delay`. Where `flock` does not exist (Windows), or the
    file cannot be opened, the throttle is per process only, with a warning.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        min_delay: float = MIN_DELAY_SECONDS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.path = Path(path)
        self.min_delay = min_delay
        self._clock = clock
        self._sleep = sleep
        self._warned = False

    def wait(self) -> None:
        if fcntl is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            if not self._warned:
                self._warned = True
                warnings.warn(f"cannot use the throttle file {self.path} ({err.strerror or err}); "
                              "requests are paced in this process only", RuntimeWarning, stacklevel=2)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                last = float(os.pread(fd, 64, 0).decode("ascii").strip() or "0")
            except ValueError:  # a torn or foreign file: as if no request was ever made
                last = 0.0
            wait = last + self.min_delay - self._clock()
            if wait > 0 and math.isfinite(wait):
                self._sleep(min(wait, self.min_delay))
            stamp = f"{self._clock():.6f}\n".encode("ascii")
            os.pwrite(fd, stamp.ljust(32), 0)  # fixed width: never a tail of a longer old stamp
        finally:
            os.close(fd)  # and with it the lock


# --- geopy's errors -> ours -----------------------------------------------


def _status(err: geopy.exc.GeopyError) -> int | None:
    # geopy raises its HTTP errors `from` an AdapterHTTPError carrying the status.
    return getattr(err.__cause__, "status_code", None)


def _retryable(err: geopy.exc.GeopyError) -> bool:
    transient = (geopy.exc.GeocoderTimedOut, geopy.exc.GeocoderRateLimited)
    return isinstance(err, transient) or (_status(err) or 0) >= 500


def _translate(
    err: geopy.exc.GeopyError, *, attempts: int, service: str = "Nominatim", secrets: Sequence[str] = ()
) -> GeocoderError:
    status = _status(err)
    http = f"HTTP {status}, " if status else ""
    tries = f"{http}{attempts} attempt{'s' if attempts > 1 else ''}"
    if isinstance(err, geopy.exc.GeocoderRateLimited):
        return GeocoderRateLimited(f"{service} refused: too many requests ({tries})", retry_after=err.retry_after)
    if isinstance(err, geopy.exc.GeocoderTimedOut):
        return GeocoderTimeout(f"{service} timed out ({tries})")
    if isinstance(err, geopy.exc.GeocoderParseError):
        return GeocoderUnavailable(f"{service} answered something that is not JSON ({tries})")
    detail = "" if status else f": {err}"  # geopy's text for an HTTP error only repeats the status
    return GeocoderUnavailable(_redacted(f"{service} failed{detail} ({tries})", secrets))


def _redacted(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret (an API key that geopy put in a URL) masked."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


# --- Nominatim's JSON -> Candidates ---------------------------------------

_KINDS = {
    "country": "country",
    **dict.fromkeys(("state", "province", "region", "county", "state_district"), "admin"),
    **dict.fromkeys(
        ("city", "town", "village", "hamlet", "suburb", "municipality", "city_district", "borough", "quarter"),
        "city",
    ),
    **dict.fromkeys(
        ("continent", "sea", "ocean", "bay", "strait", "water", "lake", "river",
         "island", "archipelago", "peninsula", "mountain_range", "desert"),
        "region",
    ),
}


def _to_candidates(locations: Iterable[Location], query: str) -> tuple[Candidate, ...]:
    """Candidates in Nominatim's order, their population capped by the one before.

    Nominatim ranks by importance, resolve.py by population. Each candidate
    gets its population (from extratags) or, lacking one, a stand-in from its
    importance (see `_ranked`).
    """
    weigh = lambda raw: _population(raw) or _importance_population(raw)  # noqa: E731
    return _ranked(locations, weigh, partial(_candidate, query=query))


def _ranked(
    locations: Iterable[Location],
    weigh: Callable[[Mapping[str, Any]], int],
    build: Callable[[Location, Mapping[str, Any], int], Candidate],
) -> tuple[Candidate, ...]:
    """Candidates in the service's order, each one's population capped by the one before.

    Services rank by their own measure, resolve.py by population: each
    candidate gets `weigh(raw)` (its population, or a stand-in), never above
    that of the candidate before it, so sorting by population keeps the
    service's order.

    geopy has checked the coordinates; every other field is read defensively
    (a server may answer `"name": 5` or `"address": []`): a field of the
    wrong type counts as missing, it never raises.
    """
    result: list[Candidate] = []
    ceiling: int | None = None
    for location in locations:
        raw = _mapping(location.raw)
        weight = weigh(raw)
        ceiling = weight if ceiling is None else min(weight, ceiling)
        result.append(build(location, raw, ceiling))
    return tuple(result)


def _candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    address = _mapping(raw.get("address"))
    return Candidate(
        name=_text(raw.get("name")).strip() or _text(raw.get("display_name")).split(",")[0].strip() or query.strip(),
        lat=location.latitude,
        lon=location.longitude,
        kind=_kind(raw),
        country=_iso2(address.get("country_code")),
        population=population,
        admin1=_text(address.get("state") or address.get("province")).strip() or None,
        source="nominatim",
        id=_osm_id(raw),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _iso2(value: Any) -> str | None:
    code = _text(value).strip().upper()
    return code if re.fullmatch(r"[A-Z]{2}", code) else None


def _kind(raw: Mapping[str, Any]) -> str:
    # addresstype is Nominatim's own reading of class/type; type covers older servers.
    for label in (raw.get("addresstype"), raw.get("type")):
        if isinstance(label, str) and label in _KINDS:
            return _KINDS[label]
    return "site"  # aeroway, building, amenity, tourism...


def _population(raw: Mapping[str, Any]) -> int:
    return _population_from(_mapping(raw.get("extratags")).get("population"))


def _population_from(value: Any) -> int:
    # OSM's population tag is free text: "15462452", "1,234,567", "ca. 5000".
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, (int, float)):
        return min(int(value), MAX_POPULATION) if math.isfinite(value) and value > 0 else 0
    text = re.sub(r"[\s,.'’]", "", str(value))
    digits = re.search(r"[0-9]{1,11}", text)
    return min(int(digits.group()), MAX_POPULATION) if digits else 0


def _importance_population(raw: Mapping[str, Any]) -> int:
    # importance is about log-scaled: 0.25 (a village) -> 100, 0.6 (a city) -> 63k, 0.9 -> 16M.
    try:
        importance = float(raw.get("importance") or 0.0)
    except (TypeError, ValueError):
        return 0
    if not importance > 0:  # NaN too
        return 0
    return int(10 ** (8 * min(importance, 1.25)))  # 1.25 -> MAX_POPULATION


def _osm_id(raw: Mapping[str, Any]) -> str:
    if raw.get("osm_type") and raw.get("osm_id") is not None:
        return f"nominatim:{raw['osm_type']}:{raw['osm_id']}"
    return f"nominatim:place:{raw.get('place_id')}"


# --- Photon's and Pelias's GeoJSON -> Candidates ----------------------------

# Photon's `type` (and, for places, its osm_value) and Pelias's `layer`.
_FEATURE_KINDS = {
    **_KINDS,
    **dict.fromkeys(("macroregion", "macrocounty"), "admin"),
    "dependency": "country",  # Puerto Rico, Greenland...
    **dict.fromkeys(("locality", "localadmin", "neighbourhood", "district"), "city"),
    **dict.fromkeys(("marinearea",), "region"),
}
# Neither service gives a population as a rule, nor an importance: a stand-in by
# kind, capped in order by `_ranked` (sites and regions weigh in resolve.py by kind).
_STAND_IN_POPULATION = {"country": 10_000_000, "admin": 1_000_000, "city": 100_000, "region": 0, "site": 0}
_PHOTON_OSM_TYPES = {"N": "node", "W": "way", "R": "relation"}


def _feature_kind(*labels: Any) -> str:
    for label in labels:
        if isinstance(label, str) and label.lower() in _FEATURE_KINDS:
            return _FEATURE_KINDS[label.lower()]
    return "site"  # house, street, venue, address...


def _photon_kind(props: Mapping[str, Any]) -> str:
    # type is Photon's rank (house, street, city, state, country, other); a continent or a sea is
    # "other" with osm_key place/natural, so osm_value is read for those only.
    value = props.get("osm_value") if props.get("osm_key") in ("place", "natural", "water") else None
    return _feature_kind(props.get("type"), value)


def _pelias_kind(props: Mapping[str, Any]) -> str:
    return _feature_kind(props.get("layer"))


def _feature_population(raw: Mapping[str, Any], *, kind: Callable[[Mapping[str, Any]], str]) -> int:
    """The feature's population (Photon puts OSM's tag in `extra`), else a stand-in by kind."""
    props = _mapping(raw.get("properties"))
    found = _population_from(props.get("population")) or _population_from(
        _mapping(props.get("extra")).get("population"))
    return found or _STAND_IN_POPULATION[kind(props)]


def _feature_name(location: Location, props: Mapping[str, Any], query: str) -> str:
    # An address has no name: "Pariser Platz 1" from Photon's street and housenumber.
    street = " ".join(_text(props.get(k)).strip() for k in ("street", "housenumber")).strip()
    return (_text(props.get("name")).strip() or street or _text(location.address).split(",")[0].strip()
            or query.strip())


def _photon_candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    props = _mapping(raw.get("properties"))
    osm_type = _PHOTON_OSM_TYPES.get(_text(props.get("osm_type")).upper(), "place")
    return Candidate(
        name=_feature_name(location, props, query),
        lat=location.latitude,
        lon=location.longitude,
        kind=_photon_kind(props),
        country=_iso2(props.get("countrycode")),
        population=population,
        admin1=_text(props.get("state")).strip() or None,
        source="photon",
        id=f"photon:{osm_type}:{props.get('osm_id')}",
    )


def _pelias_candidate(location: Location, raw: Mapping[str, Any], population: int, *, query: str) -> Candidate:
    props = _mapping(raw.get("properties"))
    gid = _text(props.get("gid")).strip() or f"{_text(props.get('source'))}:{_text(props.get('id'))}"
    return Candidate(
        name=_feature_name(location, props, query),
        lat=location.latitude,
        lon=location.longitude,
        kind=_pelias_kind(props),
        country=_iso2(props.get("country_code")) or _alpha3_to_alpha2(props.get("country_a")),
        population=population,
        admin1=_text(props.get("region")).strip() or None,
        source="pelias",
        id=f"pelias:{gid}",
    )


def _alpha3_to_alpha2(value: Any) -> str | None:
    code = _text(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        return None
    country = pycountry.countries.get(alpha_3=code)
    return _iso2(getattr(country, "alpha_2", None)) if country is not None else None


# --- wrappers -------------------------------------------------------------


class CachedGeocoder:
    """Any geocoder, with its answers kept in `store`, "not found" included; errors never.

    The key is the inner geocoder's name and its `options` when it has them
    (everything besides the query that changes the answer, such as the
    server's URL), the folded query, and the countries. A store that fails is warned about and worked around: the answer in hand
    matters more than keeping it.
    """

    def __init__(self, inner: Geocoder, store: GeocodeCache):
        self.inner = inner
        self.store = store
        self.name = inner.name
        self._miss_lock = threading.Lock()

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        key = self.key(query, countries)
        found = self._get(key)
        if found is not None:
            return found
        # Misses go one at a time so two threads asking one name ask the service once;
        # a throttled service could not answer them faster anyway.
        with self._miss_lock:
            found = self._get(key)
            if found is None:
                found = self.inner.candidates(query, countries=countries)
                self._put(key, found)
        return found

    def cached(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...] | None:
        """The stored answer, or None: never asks the inner geocoder."""
        return self._get(self.key(query, countries))

    def key(self, query: str, countries: Sequence[str] = ()) -> str:
        options = getattr(self.inner, "options", {})
        parts = [self.inner.name, options, fold(query), list(_country_codes(countries))]
        return json.dumps(parts, ensure_ascii=False, sort_keys=True)

    def _get(self, key: str) -> tuple[Candidate, ...] | None:
        try:
            return self.store.get(key)
        except CacheError as err:
            warnings.warn(f"{err}; asking {self.name} instead", RuntimeWarning, stacklevel=3)
            return None

    def _put(self, key: str, found: tuple[Candidate, ...]) -> None:
        try:
            self.store.put(key, found)
        except CacheError as err:
            warnings.warn(f"{err}; the answer was not kept", RuntimeWarning, stacklevel=3)


class CircuitBreaker:
    """Leaves a failing service alone for a while, so that each name does not wait out its timeout.

    Closed, every call goes through. After `threshold` failures in a row it
    opens: `allow()` says no for `cooldown` seconds (a 429 keeps it open for
    at least the Retry-After the server asked for). Then one trial call goes
    through (half-open): its success closes the breaker, its failure opens it
    for another cooldown. Thread-safe; `clock` is replaceable for tests.
    """

    def __init__(
        self,
        threshold: int = BREAKER_THRESHOLD,
        cooldown: float = BREAKER_COOLDOWN_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ):
        if threshold < 1 or not cooldown >= 0:
            raise ConfigError(f"a circuit breaker needs threshold >= 1 and cooldown >= 0, "
                              f"not {threshold!r} and {cooldown!r}")
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._trial = False
        self._last_error = ""

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None and (self._trial or self._clock() < self._open_until)

    def allow(self) -> bool:
        """May a call go through now? A True after a cooldown is the one trial call."""
        with self._lock:
            if self._open_until is None:
                return True
            if self._trial or self._clock() < self._open_until:
                return False
            self._trial = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failures, self._open_until, self._trial = 0, None, False

    def failed(self, err: BaseException) -> None:
        with self._lock:
            self._failures += 1
            self._last_error = str(err)
            retry_after = getattr(err, "retry_after", None) if isinstance(err, GeocoderRateLimited) else None
            if self._trial or self._failures >= self.threshold or retry_after is not None:
                wait = max(self.cooldown, float(retry_after or 0.0))
                self._open_until = self._clock() + wait
            self._trial = False

    def released(self) -> None:
        """The trial call ended without an answer either way (a bug, an interrupt): try again later."""
        with self._lock:
            self._trial = False

    def reason(self) -> str:
        """Why calls are not going through, for the user."""
        with self._lock:
            left = max(0.0, (self._open_until or 0.0) - self._clock())
            return (f"not asked, after {self._failures} failure{'s' if self._failures != 1 else ''} "
                    f"in a row (last: {self._last_error}); asking again in {math.ceil(left)} s")


class FallbackGeocoder:
    """`primary`, and `fallback` when the primary fails.

    Each query that fell back is recorded in `fallbacks` as (query, reason)
    for the UI: "these names fell back to the offline gazetteer because ...";
    `recording()` collects those of one analysis alone, even while other
    threads use the same geocoder. Its name is the primary's; every
    Candidate still names its own source.

    A `breaker` (a CircuitBreaker) stops asking a primary that keeps
    failing, so that a dead network costs a few timeouts, not one per name;
    meanwhile the primary's stored answers (its `cached` method, when it has
    one) are still used. With `when_not_found`, a name the primary does not
    know at all is also asked of the fallback (and recorded): the name was
    recognised as a place, and a place the map leaves out is worse than one
    placed by the offline gazetteer.
    """

    def __init__(
        self,
        primary: Geocoder,
        fallback: Geocoder,
        *,
        breaker: CircuitBreaker | None = None,
        when_not_found: bool = False,
    ):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.breaker = breaker if breaker is not None else CircuitBreaker()
        self.when_not_found = when_not_found
        self.fallbacks: list[tuple[str, str]] = []
        self._recording: contextvars.ContextVar[list[tuple[str, str]] | None] = contextvars.ContextVar(
            f"fallbacks-{id(self)}", default=None
        )

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        found = self._stored(query, countries)
        if found is None:
            if not self.breaker.allow():
                return self._fall_back(query, countries, self.breaker.reason())
            try:
                found = self.primary.candidates(query, countries=countries)
            except GeocoderError as err:
                self.breaker.failed(err)
                return self._fall_back(query, countries, str(err))
            except BaseException:
                self.breaker.released()
                raise
            self.breaker.succeeded()
        if found or not self.when_not_found:
            return found
        offline = self.fallback.candidates(query, countries=countries)
        if offline:
            name = self.primary.name
            self._record(query, f"{name[:1].upper()}{name[1:]} does not know this name")
        return offline

    @contextmanager
    def recording(self) -> Iterator[list[tuple[str, str]]]:
        """The (query, reason) of every fallback in this block, in this thread (or context) only."""
        collected: list[tuple[str, str]] = []
        token = self._recording.set(collected)
        try:
            yield collected
        finally:
            self._recording.reset(token)

    def _stored(self, query: str, countries: Sequence[str]) -> tuple[Candidate, ...] | None:
        cached = getattr(self.primary, "cached", None)
        return cached(query, countries=countries) if cached is not None else None

    def _fall_back(self, query: str, countries: Sequence[str], reason: str) -> tuple[Candidate, ...]:
        self._record(query, reason)
        return self.fallback.candidates(query, countries=countries)

    def _record(self, query: str, reason: str) -> None:
        self.fallbacks.append((query, reason))
        collected = self._recording.get()
        if collected is not None:
            collected.append((query, reason))


# --- building from settings -----------------------------------------------


def make_geocoder(
    kind: str,
    *,
    offline: Gazetteer,
    cache_path: Path | None = None,
    user_agent: str | None = None,
    url: str | None = None,
    timeout: float = 10.0,
    breaker: CircuitBreaker | None = None,
) -> Geocoder:
    """The geocoder a user chose: "offline", or an online one (cached, falling back to offline).

    Online: "nominatim" (the public server, or a self-hosted one at `url`,
    e.g. http://127.0.0.1:8080), "photon" (https://photon.komoot.io, or
    `url`) or "pelias" (`url` required; an API key from GEO_PELIAS_API_KEY).
    Requests are paced across processes through a throttle file per service
    beside the cache; the cache keys on the service and its URL, so services
    never share answers; names the service fails on or does not know go to
    the gazetteer.
    """
    if kind == "offline":
        return OfflineGeocoder(offline)
    if kind not in GEOCODER_KINDS:
        raise ConfigError(f"unknown geocoder {kind!r}; choose one of: {', '.join(GEOCODER_KINDS)}")
    path = Path(cache_path or config.geocode_cache_path())
    common = {"user_agent": user_agent, "timeout": timeout, "throttle_path": path.with_name(THROTTLE_FILES[kind])}
    online: Geocoder
    if kind == "nominatim":
        scheme, domain = _parse_url(url, "Nominatim") if url else ("https", NOMINATIM_DOMAIN)
        online = NominatimGeocoder(domain=domain, scheme=scheme, **common)
    elif kind == "photon":
        online = PhotonGeocoder(url=url or PHOTON_URL, **common)
    else:
        if not url:
            raise ConfigError("the pelias geocoder needs the URL of a Pelias server (--geocoder-url), "
                              "e.g. http://127.0.0.1:4000")
        online = PeliasGeocoder(url=url, **common)
    store = GeocodeCache(path)
    return FallbackGeocoder(CachedGeocoder(online, store), OfflineGeocoder(offline),
                            breaker=breaker, when_not_found=True)


def _parse_url(url: str, service: str) -> tuple[str, str]:
    """(scheme, domain with any path) of an http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{service} URL {url!r} is not an http(s) URL; expected e.g. http://127.0.0.1:8080")
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _country_codes(countries: Sequence[str]) -> tuple[str, ...]:
    """Sorted, upper-case, unique ISO alpha-2 codes; a lone string is one code."""
    if isinstance(countries, str):
        countries = (countries,)
    codes = {c.strip().upper() for c in countries}
    bad = sorted(c for c in codes if not re.fullmatch(r"[A-Z]{2}", c))
    if bad:
        raise ConfigError(f"countries must be ISO 3166-1 alpha-2 codes such as 'TR'; got {bad}")
    return tuple(sorted(codes))
