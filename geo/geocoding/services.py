"""The online geocoders, through geopy: Nominatim, Photon and Pelias.

They share one path (`GeopyGeocoder`) for pacing, retries and error
translation, and differ in the geopy class they drive, its query options
and how an answer becomes Candidates (geo.geocoding.answers). To add a
service: a subclass here with those three, a kind in geo.geocoding.factory.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopy.exc
import geopy.geocoders
from geopy.location import Location

from geo import config
from geo.errors import ConfigError, GeocoderUnavailable
from geo.geocoding import notices
from geo.geocoding.answers import nominatim_candidates, pelias_candidates, photon_candidates
from geo.geocoding.failures import redacted, retryable, translate
from geo.geocoding.protocol import country_codes
from geo.geocoding.throttle import FileThrottle, process_limiter
from geo.geocoding.transport import BoundedAdapter
from geo.model import Candidate
from geo.names import fold

NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
PHOTON_URL = "https://photon.komoot.io"
PELIAS_API_KEY_ENV = "GEO_PELIAS_API_KEY"
COUNTRY_FILTER_LIMIT = 20  # results asked of Photon, which cannot filter by country, when countries are given
LIMIT = 5
LANGUAGE = "en"


class GeopyGeocoder:
    """What every online geocoder shares: pacing, retries and error translation.

    A subclass makes the geopy geocoder it drives (`_geopy_client`), and says
    with which query options (`query_options`) and how its results become
    Candidates (`convert`).
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
    recording = staticmethod(notices.recording)  # nothing to tell: a failure is raised

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        throttle_path: Path | str | None = None,
    ):
        """The pacing every service shares; a service's own __init__ takes its server's settings and passes
        these on (``**pacing``)."""
        if not timeout > 0:
            raise ConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._limiter = process_limiter(self.name, clock, sleep)
        self._throttle = FileThrottle(throttle_path) if throttle_path is not None else None
        self._secrets: tuple[str, ...] = ()  # never in a message (an API key in a URL)
        self._geopy: Any = None  # set by the subclass
        # Everything besides the query that changes the answer: the cache keys on it.
        self.options: dict[str, Any] = {}

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        codes = country_codes(countries)
        if not fold(query):
            return ()
        return self.convert(self._search(query, codes), query, codes)

    # --- what differs between services --------------------------------------

    def query_options(self, codes: tuple[str, ...]) -> dict[str, Any]:
        """geopy's geocode() keyword arguments besides the query."""
        raise NotImplementedError

    def convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
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
                    raise translate(err, attempts=attempt + 1, service=self.label, secrets=self._secrets) from err
            self._sleep(wait)
            attempt += 1

    def _search_once(self, query: str, codes: tuple[str, ...]) -> list[Location]:
        try:
            found = self._limiter(self._geocode, query, exactly_one=False, **self.query_options(codes))
        except geopy.exc.GeopyError:
            raise
        except (AttributeError, TypeError, ValueError, LookupError) as err:
            # geopy's parsers assume their service's JSON; other JSON breaks them with these.
            message = redacted(f"{self.label} answered JSON that is not {self.answer_shape}: {err}", self._secrets)
            raise GeocoderUnavailable(message) from err
        return found or []  # geopy says "nothing found" with None

    def _geocode(self, *args: Any, **kwargs: Any) -> Any:
        """geopy's call, once this process's throttle and then every process's have let it through."""
        if self._throttle is not None:
            self._throttle.wait()
        return self._geopy.geocode(*args, **kwargs)

    def _wait_before_retry(self, err: geopy.exc.GeopyError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.retries or not retryable(err):
            return None
        retry_after = getattr(err, "retry_after", None)
        if retry_after is None:
            return self.backoff * 2**attempt
        # Asking again sooner than the server said would only earn another 429.
        return retry_after if retry_after <= self.max_retry_after else None


class NominatimGeocoder(GeopyGeocoder):
    """Nominatim through geopy, within its usage policy (see GeopyGeocoder)."""

    name = "nominatim"
    label = "Nominatim"

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str = NOMINATIM_DOMAIN,
        scheme: str = "https",
        **pacing: Any,
    ):
        super().__init__(**pacing)
        self._geopy = _geopy_client(geopy.geocoders.Nominatim, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=self.timeout)
        self.options = {"url": self._geopy.api, "limit": LIMIT, "language": LANGUAGE, "extratags": True}

    def query_options(self, codes: tuple[str, ...]) -> dict[str, Any]:
        return {
            "addressdetails": True,
            "extratags": True,  # for the population
            "limit": LIMIT,
            "language": LANGUAGE,
            "country_codes": [c.lower() for c in codes],
        }

    def convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        return nominatim_candidates(locations, query)  # the server has applied the countries


class PhotonGeocoder(GeopyGeocoder):
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
        **pacing: Any,
    ):
        super().__init__(**pacing)
        scheme, domain = parse_url(url, self.label)
        self._geopy = _geopy_client(geopy.geocoders.Photon, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=self.timeout)
        self.options = {"url": self._geopy.api, "limit": LIMIT, "language": LANGUAGE}

    def query_options(self, codes: tuple[str, ...]) -> dict[str, Any]:
        return {"limit": COUNTRY_FILTER_LIMIT if codes else LIMIT, "language": LANGUAGE}

    def convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        found = photon_candidates(locations, query)
        return tuple(c for c in found if not codes or c.country in codes)[:LIMIT]


class PeliasGeocoder(GeopyGeocoder):
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
        **pacing: Any,
    ):
        super().__init__(**pacing)
        scheme, domain = parse_url(url, self.label)
        key = (os.environ.get(PELIAS_API_KEY_ENV, "") if api_key is None else api_key).strip() or None
        self._secrets = (key,) if key else ()
        self._geopy = _geopy_client(geopy.geocoders.Pelias, self.label, user_agent=user_agent,
                                    domain=domain, scheme=scheme, timeout=self.timeout, api_key=key)
        self.options = {"url": self._geopy.geocode_api, "limit": LIMIT, "language": LANGUAGE}

    def query_options(self, codes: tuple[str, ...]) -> dict[str, Any]:
        # Pelias takes alpha-2 codes in boundary.country; geopy cannot send `size` (10 by default).
        return {"countries": list(codes) or None, "language": LANGUAGE}

    def convert(self, locations: list[Location], query: str, codes: tuple[str, ...]) -> tuple[Candidate, ...]:
        return pelias_candidates(locations[:LIMIT], query)


def _geopy_client(cls: type, label: str, *, user_agent: str | None, domain: str, scheme: str, timeout: float,
                  **extra: Any) -> Any:
    try:
        return cls(
            user_agent=_checked_user_agent(config.user_agent() if user_agent is None else user_agent),
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            proxies=_proxies_for(domain),
            # A deadline for the whole reply and a cap on its size; no retries of its own
            # (geopy's default lets urllib3 retry past the throttle): every retry is ours.
            adapter_factory=BoundedAdapter,
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


def parse_url(url: str, service: str) -> tuple[str, str]:
    """(scheme, domain with any path) of an http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{service} URL {url!r} is not an http(s) URL; expected e.g. http://127.0.0.1:8080")
    return parts.scheme, parts.netloc + parts.path.rstrip("/")
