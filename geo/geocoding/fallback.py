"""A primary geocoder and a fallback for when it fails, with a circuit breaker to stop asking a dead one.

The stack `make_geocoder` builds for an online service: the service
(cached) first, the offline gazetteer when the service fails or does not
know the name, every such name told to the user.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence

from geo.errors import ConfigError, GeocoderError, GeocoderRateLimited
from geo.geocoding import notices
from geo.geocoding.cache import CachedGeocoder
from geo.geocoding.protocol import Geocoder
from geo.model import Candidate

BREAKER_THRESHOLD = 2  # names in a row that the primary failed on before it is left alone...
BREAKER_COOLDOWN_SECONDS = 60.0  # ...for this long


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
            retry_after = err.retry_after if isinstance(err, GeocoderRateLimited) else None
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

    Each name that fell back is told to the user (geo.geocoding.notices):
    "'Kobani' was placed by the offline gazetteer: Nominatim timed out";
    `recording()` collects those of one analysis alone, even while other
    threads use the same geocoder. Its name is the primary's; every
    Candidate still names its own source.

    A `breaker` (a CircuitBreaker) stops asking a primary that keeps
    failing, so that a dead network costs a few timeouts, not one per name;
    meanwhile the primary's stored answers (when it is a CachedGeocoder)
    are still used. With `when_not_found`, a name the primary does not know
    at all is also asked of the fallback (and told): the name was
    recognised as a place, and a place the map leaves out is worse than one
    placed by the offline gazetteer.
    """

    recording = staticmethod(notices.recording)

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
        self.options = primary.options
        self.breaker = breaker if breaker is not None else CircuitBreaker()
        self.when_not_found = when_not_found

    def candidates(self, query: str, *, countries: Sequence[str] = ()) -> tuple[Candidate, ...]:
        found = self.primary.cached(query, countries=countries) if isinstance(self.primary, CachedGeocoder) else None
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
            notices.tell(fallback_notice(query, f"{name[:1].upper()}{name[1:]} does not know this name"))
        return offline

    def _fall_back(self, query: str, countries: Sequence[str], reason: str) -> tuple[Candidate, ...]:
        notices.tell(fallback_notice(query, reason))
        return self.fallback.candidates(query, countries=countries)


def fallback_notice(query: str, reason: str) -> str:
    """What the user is told of a name the online geocoder could not answer."""
    return f"'{query}' was placed by the offline gazetteer: {reason}"
