"""The geocoder a user chose, built from settings: `make_geocoder` and the kinds it knows."""

from __future__ import annotations

from pathlib import Path

from geo import config
from geo.errors import ConfigError
from geo.geocoding.cache import open_cached
from geo.geocoding.fallback import CircuitBreaker, FallbackGeocoder
from geo.geocoding.offline import OfflineGeocoder
from geo.geocoding.protocol import GazetteerLike, Geocoder
from geo.geocoding.services import (
    NOMINATIM_DOMAIN,
    PHOTON_URL,
    GeopyGeocoder,
    NominatimGeocoder,
    PeliasGeocoder,
    PhotonGeocoder,
    parse_url,
)
from geo.geocoding.throttle import THROTTLE_FILES

GEOCODER_KINDS = ("offline", "nominatim", "photon", "pelias")


def make_geocoder(
    kind: str,
    *,
    offline: GazetteerLike,
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
    never share answers (a cache that cannot be opened leaves the service
    uncached, and each analysis says so); names the service fails on or does
    not know go to the gazetteer.
    """
    if kind == "offline":
        return OfflineGeocoder(offline)
    if kind not in GEOCODER_KINDS:
        raise ConfigError(f"unknown geocoder {kind!r}; choose one of: {', '.join(GEOCODER_KINDS)}")
    path = Path(cache_path or config.geocode_cache_path())
    common = {"user_agent": user_agent, "timeout": timeout, "throttle_path": path.with_name(THROTTLE_FILES[kind])}
    online: GeopyGeocoder
    if kind == "nominatim":
        scheme, domain = parse_url(url, "Nominatim") if url else ("https", NOMINATIM_DOMAIN)
        online = NominatimGeocoder(domain=domain, scheme=scheme, **common)
    elif kind == "photon":
        online = PhotonGeocoder(url=url or PHOTON_URL, **common)
    else:
        if not url:
            raise ConfigError("the pelias geocoder needs the URL of a Pelias server (--geocoder-url), "
                              "e.g. http://127.0.0.1:4000")
        online = PeliasGeocoder(url=url, **common)
    return FallbackGeocoder(open_cached(online, path, label=online.label), OfflineGeocoder(offline),
                            breaker=breaker, when_not_found=True)
